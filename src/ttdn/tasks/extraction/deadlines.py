"""Deadlines (thời hạn) and recurrence (định kỳ) of a duty, as written in Vietnamese directives.

Pure Python, no Django. Patterns are matched on the text without diacritics (``plain``), which keeps
every character in place, so what was written is read back from the original.

Deadlines: "trước ngày 31 tháng 12 năm 2012", "trước ngày 31/12/2012", "trong quý IV năm 2012",
"trong năm 2013", "đến năm 2015", "hoàn thành trong tháng 6/2024", "6 tháng đầu năm 2024".
Recurrence: "hằng năm"/"hàng năm" (yearly), "trước ngày 01/7 hàng năm" (yearly, due 1 July),
"hàng năm (tháng 5)" (yearly, in May), "định kỳ 6 tháng, 1 năm" (half-yearly and yearly),
"hằng quý", "hằng tháng", "định kỳ" alone (periodic), "thường xuyên" (continuous).
A duty without any of these has no deadline: nothing is invented.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from ttdn.core.text import plain

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Deadline:
    due: dt.date | None
    as_written: str | None
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Recurrence:
    """``kind``: yearly, semiannual, quarterly, monthly, periodic (unspecified) or continuous.
    ``periods``: every period named ("định kỳ 6 tháng, 1 năm" → half_year and year)."""

    kind: str
    periods: tuple[str, ...] = ()
    month: int | None = None
    day: int | None = None
    as_written: str = ""
    span: tuple[int, int] | None = field(default=None, compare=False)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date | None:
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_YEAR = r"((?:19|20)\d{2})"
_DATE = r"(?:ngay\s+)?(\d{1,2})(?:\s+thang\s+|\s?[/.\-]\s?)(\d{1,2})(?:\s+nam\s+|\s?[/.\-]\s?)" + _YEAR
# Order matters: the first pattern that matches at a position wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            r"\b(?:truoc|cham nhat|den|trong)\s+(?:ngay\s+)?" + _DATE.replace(r"(?:ngay\s+)?", "", 1), re.I
        ),
    ),
    (
        "date",
        re.compile(
            r"\b(?:han|thoi han|hoan thanh)(?:\s+chot)?\s*:?\s*(?:truoc\s+)?(?:ngay\s+)?"
            + _DATE.replace(r"(?:ngay\s+)?", "", 1),
            re.I,
        ),
    ),
    (
        "quarter",
        re.compile(
            r"\b(?:trong|truoc|den het|het)\s+quy\s+(i{1,3}|iv|[1-4])\s*(?:nam\s+|/\s?)" + _YEAR, re.I
        ),
    ),
    ("first_half", re.compile(r"\b(?:trong\s+)?6\s+thang\s+dau\s+nam\s+" + _YEAR, re.I)),
    (
        "month",
        re.compile(
            r"\b(?:trong|truoc|den|het)\s+(?:cuoi\s+)?thang\s+(\d{1,2})\s*(?:nam\s+|/\s?)" + _YEAR, re.I
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:trong|den|truoc|den het|het|cuoi|trong nam|hoan thanh trong)\s+nam\s+" + _YEAR, re.I
        ),
    ),
]
_YEARLY_DATE = re.compile(
    r"\b(?:truoc|cham nhat)\s+(?:ngay\s+)?(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s+hang\s+nam\b", re.I
)
_TWICE_YEARLY = re.compile(
    r"\b(?:truoc|cham nhat)\s+(?:ngay\s+)?(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s*(?:va|,)\s*(?:ngay\s+)?(\d{1,2})\s?[/.\-]\s?(\d{1,2})"
    r"\s+(?:hang|moi)\s+nam\b",
    re.I,
)
# A day and month with no year after them ("trước ngày 15/01", "chậm nhất ngày 20 tháng 12").
_YEARLESS_DATE = re.compile(
    r"\b(?:truoc|cham nhat)\s+(?:ngay\s+)?(\d{1,2})(?:\s?[/.\-]\s?|\s+thang\s+)(\d{1,2})\b(?!\s?[/.\-]\s?\d|\s+nam\s+\d)",
    re.I,
)
_YEARLY_MONTH = re.compile(r"\bhang\s+nam\s*\(\s*(?:vao\s+)?thang\s+(\d{1,2})\s*\)", re.I)
_IN_MONTH_YEARLY = re.compile(r"\b(?:trong|vao)\s+thang\s+(\d{1,2})\s+hang\s+nam\b", re.I)
_PERIOD_NAME = r"(?:(?:6|sau)\s+thang|(?:1|mot)\s+nam|hang\s+nam|nam|quy|hang\s+quy|thang|hang\s+thang|3\s+thang)(?:\s*\([^()]{0,40}\))?"
_PERIODIC_LIST = re.compile(
    r"\bdinh\s+ky\s+(" + _PERIOD_NAME + r"(?:\s*(?:,|va|hoac)\s*" + _PERIOD_NAME + r")*)", re.I
)
_WORDS = [
    ("semiannual", re.compile(r"\bhang\s+(?:6\s+thang|nua\s+nam)\b|\b6\s+thang\s+mot\s+lan\b", re.I)),
    ("quarterly", re.compile(r"\bhang\s+quy\b", re.I)),
    ("monthly", re.compile(r"\bhang\s+thang\b", re.I)),
    ("yearly", re.compile(r"\bhang\s+nam\b", re.I)),
    (
        "periodic",
        re.compile(r"\bdinh\s+ky\b|\bhang\s+(?:tuan|ngay)\b", re.I),
    ),  # weekly and daily work: periodic, as written
    # "chi thường xuyên" is recurrent spending, not a duty done continuously.
    (
        "continuous",
        re.compile(
            r"(?<!\bchi )(?<!\bchi ngan sach )\bthuong\s+xuyen\b(?!\s+(?:voi|cua|tai|o|ngan sach|nha nuoc)\b)",
            re.I,
        ),
    ),
]
_PERIOD_WORDS = [
    ("half_year", re.compile(r"6\s+thang|sau\s+thang", re.I)),
    ("quarter", re.compile(r"quy|3\s+thang", re.I)),
    ("year", re.compile(r"(?:1|mot)\s+nam|\bnam\b", re.I)),
    ("month", re.compile(r"(?<!6 )(?<!sau )(?<!3 )\bthang\b", re.I)),
]
_KIND_OF_PERIOD = {"year": "yearly", "half_year": "semiannual", "quarter": "quarterly", "month": "monthly"}
_ORDER = ["month", "quarter", "half_year", "year"]


_A_YEAR = re.compile(_YEAR)
_ANY_RECURRENCE = re.compile(r"\b(?:hang|dinh\s+ky|thuong\s+xuyen|6\s+thang\s+mot)\b", re.I)


def find_deadline(text: str, flat: str | None = None) -> Deadline:
    """The first deadline written in ``text`` (normalised to the last day it allows), or none.
    ``flat``: ``plain(text)`` when the caller has it already."""
    flat = plain(text) if flat is None else flat
    if _A_YEAR.search(flat) is None:
        return Deadline(None, None)  # every deadline pattern ends in a year
    best: tuple[int, int, dt.date] | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(flat):
            due = _due(kind, match)
            if due is None:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), match.end(), due)
            break
    if best is None:
        return Deadline(None, None)
    start, end, due = best
    return Deadline(due, text[start:end].strip(), (start, end))


def _due(kind: str, match: re.Match[str]) -> dt.date | None:
    groups = match.groups()
    if kind == "date":
        return _date(int(groups[2]), int(groups[1]), int(groups[0]))
    if kind == "quarter":
        quarter = ROMAN.get(groups[0].lower()) or int(groups[0])
        return _month_end(int(groups[1]), quarter * 3)
    if kind == "first_half":
        return _month_end(int(groups[0]), 6)
    if kind == "month":
        return _month_end(int(groups[1]), int(groups[0]))
    return _date(int(groups[0]), 12, 31)


def find_recurrence(text: str, flat: str | None = None) -> Recurrence | None:
    """How often the duty comes back, or None for a one-off duty."""
    flat = plain(text) if flat is None else flat
    if _ANY_RECURRENCE.search(flat) is None:
        return None
    twice = _TWICE_YEARLY.search(flat)
    if twice:
        (d1, m1), (d2, m2) = (
            (int(twice.group(1)), int(twice.group(2))),
            (int(twice.group(3)), int(twice.group(4))),
        )
        if d1 == d2 and abs(m2 - m1) == 6 and _date(2000, min(m1, m2), d1):
            # "trước ngày 15/6 và 15/12 hằng năm": each half year, on the same day of its sixth month
            return Recurrence(
                "semiannual",
                ("half_year",),
                min(m1, m2),
                d1,
                text[twice.start() : twice.end()].strip(),
                twice.span(),
            )
    match = _YEARLY_DATE.search(flat)
    if match and _date(2000, int(match.group(2)), int(match.group(1))):
        return Recurrence(
            "yearly",
            ("year",),
            int(match.group(2)),
            int(match.group(1)),
            text[match.start() : match.end()].strip(),
            match.span(),
        )
    for pattern in (_YEARLY_MONTH, _IN_MONTH_YEARLY):
        match = pattern.search(flat)
        if match and 1 <= int(match.group(1)) <= 12:
            return Recurrence(
                "yearly",
                ("year",),
                int(match.group(1)),
                None,
                text[match.start() : match.end()].strip(),
                match.span(),
            )
    match = _PERIODIC_LIST.search(flat)
    if match:
        named = {name for name, pattern in _PERIOD_WORDS if pattern.search(match.group(1))}
        periods = tuple(p for p in _ORDER if p in named)
        if periods:
            return Recurrence(
                _KIND_OF_PERIOD[periods[0]],
                periods,
                None,
                None,
                text[match.start() : match.end()].strip(),
                match.span(),
            )
    for kind, pattern in _WORDS:
        match = pattern.search(flat)
        if match:
            day = _YEARLESS_DATE.search(flat) if kind == "yearly" else None
            if day and _date(2000, int(day.group(2)), int(day.group(1))):
                # "Hằng năm xây dựng kế hoạch ..., gửi ... trước ngày 15/01": the yearly date is written apart.
                span = (min(match.start(), day.start()), max(match.end(), day.end()))
                return Recurrence(
                    kind,
                    periods_of(kind),
                    int(day.group(2)),
                    int(day.group(1)),
                    f"{text[match.start() : match.end()].strip()} … {text[day.start() : day.end()].strip()}",
                    span,
                )
            return Recurrence(
                kind, periods_of(kind), None, None, text[match.start() : match.end()].strip(), match.span()
            )
    return None


def periods_of(kind: str) -> tuple[str, ...]:
    """The period a recurrence kind repeats over ("yearly" → year); none for periodic or continuous."""
    return tuple(p for p, k in _KIND_OF_PERIOD.items() if k == kind)


def next_due(recurrence: Recurrence, after: dt.date) -> dt.date | None:
    """The first due date of a recurring duty on or after ``after`` (None when the text gives no date)."""
    if recurrence.kind == "yearly" and recurrence.month:
        for year in (after.year, after.year + 1):
            due = (
                _date(year, recurrence.month, recurrence.day)
                if recurrence.day
                else _month_end(year, recurrence.month)
            )
            if due and due >= after:
                return due
    return None


_PERIOD_MONTHS = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}
_PERIOD_SUFFIX = {"year": "", "half_year": "-H", "quarter": "-Q", "month": "-"}


def schedule(
    periods: tuple[str, ...] | list[str], month: int | None, day: int | None, start: dt.date, end: dt.date
) -> list[tuple[str, dt.date | None]]:
    """The occurrences of a recurring duty (lịch các kỳ): (period code, due) for each period of each kind in
    ``periods`` ("year", "half_year", "quarter", "month") from the day the duty was given (``start``) to today
    (``end``), and always the first one due after ``start``.

    The due date keeps its place in the period: "trước ngày 15/01 hằng năm" is due on 15/01 of each year;
    "trước ngày 15/6 và 15/12 hằng năm" on the 15th of the sixth month of each half; a quarter's on the same
    day of the same month of each quarter. No occurrence falls due (or, without a date, ends) before the
    duty was given: a directive of 15/04/2026 has no 2026-Q1."""
    out: list[tuple[dt.date, str, dt.date | None]] = []
    for kind in periods:
        span = _PERIOD_MONTHS.get(kind)
        if span is None:
            continue
        first_due: tuple[dt.date, str, dt.date | None] | None = None
        for year in range(start.year, max(end.year, start.year) + 2):
            for index in range(12 // span):
                first_month = index * span + 1
                begins = dt.date(year, first_month, 1)
                last_month = first_month + span - 1
                ends = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
                due = _due_in(begins, span, month, day)
                if (due or ends) < start:
                    continue
                code = (
                    str(year)
                    if kind == "year"
                    else (
                        f"{year}{_PERIOD_SUFFIX[kind]}{index + 1:02d}"
                        if kind == "month"
                        else f"{year}{_PERIOD_SUFFIX[kind]}{index + 1}"
                    )
                )
                row = (begins, code, due)
                if first_due is None:
                    first_due = row
                if begins <= end:
                    out.append(row)
        if first_due is not None and first_due not in out:
            out.append(first_due)
    return [(code, due) for _begins, code, due in sorted(out)]


def _due_in(begins: dt.date, span: int, month: int | None, day: int | None) -> dt.date | None:
    """The due date of the period that begins on ``begins``: the same place in it as ``month``/``day``."""
    if span == 1:
        if day is None:
            return None
        return _date(begins.year, begins.month, min(day, calendar.monthrange(begins.year, begins.month)[1]))
    if month is None:
        return None
    due_month = begins.month + (month - 1) % span
    last = calendar.monthrange(begins.year, due_month)[1]
    return _date(begins.year, due_month, min(day, last) if day else last)


_ROMAN_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}
_PERIOD_CODE = re.compile(r"^(\d{4})(?:-(H[12])|-Q([1-4])|-(\d{2}))?$")


def period_label(code: str) -> str:
    """A task period by its name, as officials write it: "2026" → "Năm 2026", "2026-H1" → "6 tháng đầu năm
    2026", "2026-H2" → "6 tháng cuối năm 2026", "2026-Q2" → "Quý II/2026", "2026-09" → "Tháng 9/2026"; an
    empty code (a one-off duty) stays empty and anything else is returned as it is."""
    match = _PERIOD_CODE.match(code or "")
    if not match:
        return code or ""
    year, half, quarter, month = match.groups()
    if half:
        return f"6 tháng {'đầu' if half == 'H1' else 'cuối'} năm {year}"
    if quarter:
        return f"Quý {_ROMAN_QUARTERS[quarter]}/{year}"
    if month:
        return f"Tháng {int(month)}/{year}"
    return f"Năm {year}"
