"""The period engine against Nghị định 09/2019's cut-off rules and real deadlines."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.core.periods import CutoffRule, DeadlineRule, Period, PeriodType, parse_period, periods_between

ND09 = CutoffRule(15)
D = dt.date


@pytest.mark.parametrize(
    ("period", "window"),
    [
        (Period(PeriodType.MONTH, 2024, 3), (D(2024, 2, 15), D(2024, 3, 14))),
        (Period(PeriodType.MONTH, 2024, 1), (D(2023, 12, 15), D(2024, 1, 14))),
        (Period(PeriodType.QUARTER, 2024, 1), (D(2023, 12, 15), D(2024, 3, 14))),
        (Period(PeriodType.QUARTER, 2024, 4), (D(2024, 9, 15), D(2024, 12, 14))),
        (Period(PeriodType.HALF_YEAR, 2024), (D(2023, 12, 15), D(2024, 6, 14))),
        (Period(PeriodType.NINE_MONTHS, 2024), (D(2023, 12, 15), D(2024, 9, 14))),
        (Period(PeriodType.YEAR, 2024), (D(2023, 12, 15), D(2024, 12, 14))),
        (Period(PeriodType.REVIEW_3Y, 2026), (D(2023, 12, 15), D(2026, 12, 14))),
        (Period(PeriodType.REVIEW_10Y, 2030), (D(2020, 12, 15), D(2030, 12, 14))),
    ],
)
def test_nd09_windows(period: Period, window: tuple[dt.date, dt.date]) -> None:
    assert ND09.window(period) == window


def test_calendar_windows() -> None:
    assert CutoffRule(1).window(Period(PeriodType.QUARTER, 2024, 1)) == (D(2024, 1, 1), D(2024, 3, 31))
    assert CutoffRule(1).window(Period(PeriodType.MONTH, 2024, 2)) == (D(2024, 2, 1), D(2024, 2, 29))


def test_real_deadlines() -> None:
    # A provincial regime: half-year reports due 6 June, yearly reports due 25 November.
    assert DeadlineRule(month=6, day=6).due(Period(PeriodType.HALF_YEAR, 2024), ND09) == D(2024, 6, 6)
    assert DeadlineRule(month=11, day=25).due(Period(PeriodType.YEAR, 2024), ND09) == D(2024, 11, 25)
    assert DeadlineRule(days_after=5).due(Period(PeriodType.QUARTER, 2024, 2), ND09) == D(2024, 6, 19)
    assert DeadlineRule(month=1, day=15, year_offset=1).due(Period(PeriodType.YEAR, 2024), ND09) == D(
        2025, 1, 15
    )
    assert DeadlineRule(month=2, day=29).due(Period(PeriodType.YEAR, 2025), ND09) == D(2025, 2, 28)


@pytest.mark.parametrize(
    "kwargs", [{}, {"month": 2, "day": 30}, {"month": 6, "day": 6, "days_after": 3}, {"days_after": -1}]
)
def test_bad_deadline_rules(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        DeadlineRule(**kwargs)


def test_period_for_day_and_labels() -> None:
    assert ND09.period_for(PeriodType.YEAR, D(2024, 12, 20)) == Period(PeriodType.YEAR, 2025)
    assert ND09.period_for(PeriodType.QUARTER, D(2024, 3, 14)) == Period(PeriodType.QUARTER, 2024, 1)
    assert ND09.period_for(PeriodType.QUARTER, D(2024, 3, 15)) == Period(PeriodType.QUARTER, 2024, 2)
    with pytest.raises(ValueError):
        ND09.period_for(PeriodType.HALF_YEAR, D(2024, 8, 1))
    assert Period(PeriodType.QUARTER, 2024, 2).label == "Quý II/2024"
    assert Period(PeriodType.HALF_YEAR, 2024).label == "6 tháng đầu năm 2024"
    assert Period(PeriodType.REVIEW_10Y, 2030).label == "Tổng kết 10 năm 2021 - 2030"
    assert [
        p.code
        for p in periods_between(
            PeriodType.QUARTER, Period(PeriodType.QUARTER, 2024, 3), Period(PeriodType.QUARTER, 2025, 2)
        )
    ] == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]


periods = st.one_of(
    st.builds(Period, st.just(PeriodType.MONTH), st.integers(1950, 2150), st.integers(1, 12)),
    st.builds(Period, st.just(PeriodType.QUARTER), st.integers(1950, 2150), st.integers(1, 4)),
    st.builds(
        Period,
        st.sampled_from(
            [
                PeriodType.HALF_YEAR,
                PeriodType.NINE_MONTHS,
                PeriodType.YEAR,
                PeriodType.REVIEW_3Y,
                PeriodType.REVIEW_5Y,
                PeriodType.REVIEW_10Y,
            ]
        ),
        st.integers(1950, 2150),
    ),
)


@given(periods)
def test_codes_round_trip(period: Period) -> None:
    assert parse_period(period.code) == period
    assert period.next().previous() == period


@given(
    st.sampled_from([PeriodType.MONTH, PeriodType.QUARTER, PeriodType.YEAR]),
    st.dates(D(1950, 1, 1), D(2150, 1, 1)),
    st.sampled_from([1, 15, 20]),
)
def test_windows_tile_time(period_type: PeriodType, day: dt.date, start_day: int) -> None:
    """Every day falls in exactly one window, and consecutive windows meet."""
    rule = CutoffRule(start_day)
    period = rule.period_for(period_type, day)
    start, end = rule.window(period)
    assert start <= day <= end
    assert rule.window(period.next())[0] == end + dt.timedelta(days=1)


@given(st.text(max_size=20))
def test_parse_period_refuses_cleanly(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_period(text)
