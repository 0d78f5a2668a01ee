import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.core.dates import DateParseError, format_date, is_valid_on, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2012", dt.date(2012, 12, 31)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        ("01.07.2025", dt.date(2025, 7, 1)),
        ("01-07-2025", dt.date(2025, 7, 1)),
        ("2025-07-01", dt.date(2025, 7, 1)),
        (" 29/02/2024 ", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_forms(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "31/02/2012", "2025-13-01", "12/31/2012", "hôm qua", "1/1/99", "00/00/0000", "29/02/2023"]
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_format_parse_round_trip(value: dt.date) -> None:
    assert parse_date(format_date(value)) == value
    assert parse_date(value.isoformat()) == value


@given(st.text(max_size=40))
def test_parse_date_never_fails_otherwise(text: str) -> None:
    with contextlib.suppress(DateParseError):
        parse_date(text)


def test_is_valid_on_bounds() -> None:
    day = dt.date(2025, 6, 30)
    assert is_valid_on(None, day, day)
    assert not is_valid_on(None, day, day + dt.timedelta(days=1))
    assert is_valid_on(day, None, day)
    assert not is_valid_on(day, None, day - dt.timedelta(days=1))
