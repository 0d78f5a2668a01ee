"""Reporting periods (kỳ báo cáo), data cut-off windows and deadlines. Pure Python, no Django.

Nghị định 09/2019/NĐ-CP (reporting regime of administrative bodies) sets the
cut-off windows: a month runs from the 15th of the previous month to the 14th;
a quarter from the 15th of the month before it to the 14th of its last month;
the first half-year from 15/12 of the previous year to 14/06; the year from
15/12 of the previous year to 14/12; some provinces add nine months (15/12 to
14/09). Each regime names its own sending deadline. Windows and deadlines are
rules attached to a report form, not constants: ``CutoffRule`` and
``DeadlineRule`` below.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum


class PeriodType(str, Enum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"  # the first six months
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    REVIEW_3Y = "review_3y"  # sơ kết 3 năm
    REVIEW_5Y = "review_5y"  # sơ kết 5 năm
    REVIEW_10Y = "review_10y"  # tổng kết 10 năm


# Calendar months covered by one period of each type within its (last) year: (first month, last month).
_SPAN_YEARS = {PeriodType.REVIEW_3Y: 3, PeriodType.REVIEW_5Y: 5, PeriodType.REVIEW_10Y: 10}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    """One period: its type, the year it ends in, and its index in that year (month 1-12, quarter 1-4)."""

    type: PeriodType
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        limits = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4}
        if not 1 <= self.index <= limits.get(self.type, 1):
            raise ValueError(f"{self.type.value}: index {self.index} out of range")
        if not 1900 <= self.year <= 2200:
            raise ValueError(f"year {self.year} out of range")

    @property
    def months(self) -> tuple[dt.date, dt.date]:
        """First day of the first calendar month and last day of the last one (the period itself)."""
        if self.type == PeriodType.MONTH:
            first_year, first, last = self.year, self.index, self.index
        elif self.type == PeriodType.QUARTER:
            first_year, first, last = self.year, 3 * self.index - 2, 3 * self.index
        elif self.type == PeriodType.HALF_YEAR:
            first_year, first, last = self.year, 1, 6
        elif self.type == PeriodType.NINE_MONTHS:
            first_year, first, last = self.year, 1, 9
        elif self.type == PeriodType.YEAR:
            first_year, first, last = self.year, 1, 12
        else:
            first_year, first, last = self.year - _SPAN_YEARS[self.type] + 1, 1, 12
        return dt.date(first_year, first, 1), dt.date(
            self.year, last, calendar.monthrange(self.year, last)[1]
        )

    @property
    def code(self) -> str:
        """Stable text form: 2024-03, 2024-Q2, 2024-H1, 2024-9M, 2024, 2022-2024 (3Y), ..."""
        if self.type == PeriodType.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.type == PeriodType.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.type == PeriodType.HALF_YEAR:
            return f"{self.year}-H1"
        if self.type == PeriodType.NINE_MONTHS:
            return f"{self.year}-9M"
        if self.type == PeriodType.YEAR:
            return str(self.year)
        return f"{self.year - _SPAN_YEARS[self.type] + 1}-{self.year}-{_SPAN_YEARS[self.type]}Y"

    @property
    def label(self) -> str:
        """Vietnamese name: "Tháng 3/2024", "Quý II/2024", "6 tháng đầu năm 2024", "Sơ kết 3 năm 2022 - 2024"."""
        if self.type == PeriodType.MONTH:
            return f"Tháng {self.index}/{self.year}"
        if self.type == PeriodType.QUARTER:
            return f"Quý {_ROMAN[self.index]}/{self.year}"
        if self.type == PeriodType.HALF_YEAR:
            return f"6 tháng đầu năm {self.year}"
        if self.type == PeriodType.NINE_MONTHS:
            return f"9 tháng năm {self.year}"
        if self.type == PeriodType.YEAR:
            return f"Năm {self.year}"
        span = _SPAN_YEARS[self.type]
        word = "Tổng kết" if span == 10 else "Sơ kết"
        return f"{word} {span} năm {self.year - span + 1} - {self.year}"

    def previous(self) -> Period:
        if self.type == PeriodType.MONTH:
            return Period(self.type, self.year - (self.index == 1), (self.index - 2) % 12 + 1)
        if self.type == PeriodType.QUARTER:
            return Period(self.type, self.year - (self.index == 1), (self.index - 2) % 4 + 1)
        return Period(self.type, self.year - _SPAN_YEARS.get(self.type, 1))

    def next(self) -> Period:
        if self.type == PeriodType.MONTH:
            return Period(self.type, self.year + (self.index == 12), self.index % 12 + 1)
        if self.type == PeriodType.QUARTER:
            return Period(self.type, self.year + (self.index == 4), self.index % 4 + 1)
        return Period(self.type, self.year + _SPAN_YEARS.get(self.type, 1))


_CODE = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-(H1)|-(9M)|-(\d{4})-(3|5|10)Y)?$")


def parse_period(code: str) -> Period:
    """The inverse of ``Period.code``."""
    match = _CODE.match(code.strip())
    if not match:
        raise ValueError(f"not a period code: {code!r}")
    year, month, quarter, half, nine, last, span = match.groups()
    if month:
        return Period(PeriodType.MONTH, int(year), int(month))
    if quarter:
        return Period(PeriodType.QUARTER, int(year), int(quarter))
    if half:
        return Period(PeriodType.HALF_YEAR, int(year))
    if nine:
        return Period(PeriodType.NINE_MONTHS, int(year))
    if last:
        kind = {"3": PeriodType.REVIEW_3Y, "5": PeriodType.REVIEW_5Y, "10": PeriodType.REVIEW_10Y}[span]
        if int(last) - int(year) + 1 != int(span):
            raise ValueError(f"not a period code: {code!r}")
        return Period(kind, int(last))
    return Period(PeriodType.YEAR, int(year))


@dataclass(frozen=True)
class CutoffRule:
    """The data window of a period. ``start_day`` 15 is Nghị định 09/2019's rule (the 15th of the month
    before the period to the 14th of its last month); 1 gives plain calendar periods."""

    start_day: int = 15

    def __post_init__(self) -> None:
        if not 1 <= self.start_day <= 28:
            raise ValueError("start_day must be between 1 and 28")

    def window(self, period: Period) -> tuple[dt.date, dt.date]:
        first, last = period.months
        if self.start_day == 1:
            return first, last
        before = first - dt.timedelta(days=1)  # last day of the month before the period
        return dt.date(before.year, before.month, self.start_day), dt.date(
            last.year, last.month, self.start_day - 1
        )

    def period_for(self, period_type: PeriodType, day: dt.date) -> Period:
        """The period of this type whose window holds ``day`` (20/12/2024 is in year 2025's window)."""
        shifted = (
            day if self.start_day == 1 or day.day < self.start_day else _add_months(day.replace(day=1), 1)
        )
        year, month = shifted.year, shifted.month
        if period_type == PeriodType.MONTH:
            return Period(period_type, year, month)
        if period_type == PeriodType.QUARTER:
            return Period(period_type, year, (month - 1) // 3 + 1)
        if period_type in _SPAN_YEARS:
            return Period(period_type, year)  # a review ending in that year
        if (
            period_type == PeriodType.HALF_YEAR
            and month > 6
            or period_type == PeriodType.NINE_MONTHS
            and month > 9
        ):
            raise ValueError(f"{day:%d/%m/%Y} is in no {period_type.value} window")
        return Period(period_type, year)


@dataclass(frozen=True)
class DeadlineRule:
    """When a report is due: a fixed day and month (in the period's last year, plus ``year_offset``),
    or ``days_after`` the end of the cut-off window. Real example: 06/06 for the half-year and 25/11
    for the year, ahead of the window's end (the figures are then estimates)."""

    month: int | None = None
    day: int | None = None
    year_offset: int = 0
    days_after: int | None = None

    def __post_init__(self) -> None:
        fixed = self.month is not None and self.day is not None
        if fixed == (self.days_after is not None):
            raise ValueError(
                "a deadline is either a fixed day and month or a number of days after the cut-off"
            )
        if self.month is not None and self.day is not None:
            dt.date(2024, self.month, self.day)  # raises for 31/02 and the like (29/02 allowed)
        if self.days_after is not None and not 0 <= self.days_after <= 366:
            raise ValueError("days_after must be between 0 and 366")

    def due(self, period: Period, cutoff: CutoffRule) -> dt.date:
        if self.days_after is not None:
            return cutoff.window(period)[1] + dt.timedelta(days=self.days_after)
        year = period.year + self.year_offset
        assert self.month is not None and self.day is not None  # fixed (checked when made)
        day = min(self.day, calendar.monthrange(year, self.month)[1])
        return dt.date(year, self.month, day)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods_between(period_type: PeriodType, first: Period, last: Period) -> list[Period]:
    if first.type != period_type or last.type != period_type:
        raise ValueError("periods of another type")
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out
