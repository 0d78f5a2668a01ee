"""The one body-name resolver: names of provinces as tables write them, near misses, and what is never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.orgs.names import match_provinces, name_key

ON = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("TP Hồ Chí Minh", "ho chi minh"),
        ("Thành phố Hồ Chí Minh", "ho chi minh"),
        ("Tỉnh Thừa Thiên - Huế", "thua thien hue"),
        ("UBND tỉnh Gia Lai", "gia lai"),
        ("Sở TT&TT Quảng Trị", "quang tri"),
        ("  Bà Rịa-Vũng Tàu ", "ba ria vung tau"),
    ],
)
def test_name_key_drops_the_administrative_words(written: str, key: str) -> None:
    assert name_key(written) == key


@given(st.text(max_size=80))
def test_name_key_is_stable(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key and key == key.strip()


@pytest.mark.django_db
def test_provinces_matched_by_name_and_by_a_near_miss() -> None:
    found, missing = match_provinces(
        ["TP. Hà Nội", "Tỉnh Quảng Trị", "Quảng Trj", "Dong Nai", "Tỉnh Hư Cấu"], ON
    )
    assert {name: unit.name for name, unit in found.items()} == {
        "Tỉnh Quảng Trị": "Tỉnh Quảng Trị",
        "Quảng Trj": "Tỉnh Quảng Trị",  # one letter wrong, no other province near
        "Dong Nai": "Tỉnh Đồng Nai",
        "TP. Hà Nội": "Thành phố Hà Nội",
    }
    assert missing == ["Tỉnh Hư Cấu"]


@pytest.mark.django_db
def test_a_name_between_two_provinces_is_not_guessed() -> None:
    # On a 2012 table "Quang Nai" is near both Quảng Ngãi and Quảng Nam: neither is picked.
    found, missing = match_provinces(["Quang Nai", "Ha Na"], dt.date(2012, 12, 31))
    assert {name: unit.name for name, unit in found.items()} == {
        "Ha Na": "Tỉnh Hà Nam"
    }  # only Hà Nam is near
    assert missing == ["Quang Nai"]
