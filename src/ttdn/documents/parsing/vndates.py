"""Dates as written in Vietnamese documents: "ngày 06 tháng 8 năm 2012", "06/8/2012", "6-8-2012"."""

from __future__ import annotations

import datetime as dt
import re

from ttdn.core.text import plain

# Any written date, with an optional leading "ngày"; matched on text without diacritics.
ANY = re.compile(
    r"(?:ngay\s+)?(?:(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})|(?<![\d/])(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}))(?![\d/])",
    re.IGNORECASE,
)
# The same date without "ngày": a pattern that starts with a digit is searched for much faster, and the
# "ngày" before it is looked for only where a date was found.
_DIGITS_FIRST = re.compile(ANY.pattern.removeprefix(r"(?:ngay\s+)?"), re.IGNORECASE)
_NGAY_BEFORE = re.compile(r"ngay\s+$", re.IGNORECASE)


def make_date(day: str | int, month: str | int, year: str | int) -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None
    return value if 1945 <= value.year <= 2100 else None


def from_match(match: re.Match[str]) -> dt.date | None:
    groups = match.groups()
    if groups[0] is not None:
        return make_date(groups[0], groups[1], groups[2])
    return make_date(groups[3], groups[4], groups[5])


def find_dates(text: str, *, is_plain: bool = False) -> list[tuple[int, int, dt.date]]:
    """Every date in ``text`` with its span (``is_plain``: the text has no diacritics already)."""
    found = []
    flat = text if is_plain else plain(text)
    for match in _DIGITS_FIRST.finditer(flat):
        value = from_match(match)
        if value is not None:
            ngay = _NGAY_BEFORE.search(flat, max(0, match.start() - 12), match.start())
            found.append((ngay.start() if ngay else match.start(), match.end(), value))
    return found


def first_date(text: str) -> dt.date | None:
    dates = find_dates(text)
    return dates[0][2] if dates else None
