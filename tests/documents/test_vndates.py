"""Dates as written: "ngày 06 tháng 8 năm 2012", "06/8/2012", "6-8-2012"."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ttdn.documents.parsing import vndates


def test_dates_in_words_and_figures_with_their_spans() -> None:
    text = "Hà Nội, ngày 06 tháng 8 năm 2012; sửa đổi 6-8-2013 và 31/02/2014 (không có ngày ấy)."
    found = vndates.find_dates(text)
    assert [value for *_, value in found] == [dt.date(2012, 8, 6), dt.date(2013, 8, 6)]
    assert text[found[0][0] : found[0][1]] == "ngày 06 tháng 8 năm 2012"
    assert text[found[1][0] : found[1][1]] == "6-8-2013"
    assert vndates.find_dates("số 12/2019/NĐ-CP, 1/1/19999") == []


PIECES = st.sampled_from(
    [
        "ngày ",
        "Ngay ",
        "ngay  ",
        " ",
        "\n",
        "tháng ",
        " năm ",
        "/",
        "-",
        ".",
        "12",
        "6",
        "2024",
        "1999",
        "31",
        "x",
        "số ",
    ]
)


@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_fast_search_finds_what_the_whole_pattern_finds(text: str) -> None:
    flat = vndates.plain(text)
    expected = [(m.start(), m.end(), vndates.from_match(m)) for m in vndates.ANY.finditer(flat)]
    assert vndates.find_dates(flat, is_plain=True) == [item for item in expected if item[2] is not None]
