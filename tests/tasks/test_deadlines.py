"""Deadline and recurrence normaliser: every written form it claims to read, round-tripped."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.tasks.extraction.deadlines import find_deadline, find_recurrence, next_due

D = dt.date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("hoàn thành trước ngày 31 tháng 12 năm 2012", D(2012, 12, 31)),
        ("trình Chính phủ trong quý IV năm 2012", D(2012, 12, 31)),
        ("trong quý 2/2025", D(2025, 6, 30)),
        ("trình Chính phủ phê duyệt trong năm 2013", D(2013, 12, 31)),
        ("bảo đảm đến năm 2015, các Bộ", D(2015, 12, 31)),
        ("hoàn thành trong tháng 6/2024", D(2024, 6, 30)),
        ("trong tháng 2 năm 2024", D(2024, 2, 29)),
        ("gửi trước ngày 15/5/2024", D(2024, 5, 15)),
        ("chậm nhất ngày 05-01-2025", D(2025, 1, 5)),
        ("báo cáo 6 tháng đầu năm 2024", D(2024, 6, 30)),
        ("Thời hạn: 20/10/2023", D(2023, 10, 20)),
    ],
)
def test_deadlines(text: str, due: dt.date) -> None:
    assert find_deadline(text).due == due


@pytest.mark.parametrize(
    "text",
    [
        "Thường xuyên cung cấp thông tin",
        "trước ngày 31/02/2024",
        "năm 2012 đã làm",
        "trong quý V năm 2012",
        "",
    ],
)
def test_no_deadline_is_invented(text: str) -> None:
    assert find_deadline(text).due is None


@pytest.mark.parametrize(
    ("text", "kind", "periods", "month", "day"),
    [
        ("hằng năm", "yearly", ("year",), None, None),
        ("Xây dựng kế hoạch hàng năm", "yearly", ("year",), None, None),
        ("gửi trước ngày 01/7 hàng năm", "yearly", ("year",), 7, 1),
        ("hàng năm (tháng 5)", "yearly", ("year",), 5, None),
        ("định kỳ 6 tháng, 1 năm", "semiannual", ("half_year", "year"), None, None),
        ("định kỳ hằng quý", "quarterly", ("quarter",), None, None),
        ("định kỳ kiểm tra, đôn đốc", "periodic", (), None, None),
        ("Thường xuyên cung cấp thông tin", "continuous", (), None, None),
        ("hằng tháng", "monthly", ("month",), None, None),
        # the yearly date written apart from "hằng năm", with or without "tháng"; a dated one is a deadline
        ("Hằng năm xây dựng kế hoạch, gửi Sở Nội vụ trước ngày 15/01.", "yearly", ("year",), 1, 15),
        ("Hằng năm tổng kết, báo cáo chậm nhất ngày 20 tháng 12.", "yearly", ("year",), 12, 20),
        ("Hằng năm báo cáo trước ngày 20/12/2026.", "yearly", ("year",), None, None),
    ],
)
def test_recurrence(text: str, kind: str, periods: tuple, month: int | None, day: int | None) -> None:
    found = find_recurrence(text)
    assert found is not None and (found.kind, found.periods, found.month, found.day) == (
        kind,
        periods,
        month,
        day,
    )


def test_not_a_recurrence() -> None:
    assert find_recurrence("địa bàn có hoạt động giao thương thường xuyên với nước ngoài") is None
    assert find_recurrence("Xây dựng Chương trình hành động") is None


def test_next_due() -> None:
    yearly = find_recurrence("trước ngày 01/7 hàng năm")
    assert next_due(yearly, D(2024, 3, 1)) == D(2024, 7, 1)
    assert next_due(yearly, D(2024, 7, 2)) == D(2025, 7, 1)
    assert next_due(find_recurrence("hàng năm (tháng 5)"), D(2024, 1, 1)) == D(2024, 5, 31)


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31))


@given(dates, st.sampled_from(["numeric", "words", "dash"]))
def test_day_forms_round_trip(day: dt.date, form: str) -> None:
    written = {
        "numeric": f"trước ngày {day.day}/{day.month}/{day.year}",
        "words": f"trước ngày {day.day:02d} tháng {day.month} năm {day.year}",
        "dash": f"chậm nhất ngày {day.day:02d}-{day.month:02d}-{day.year}",
    }[form]
    assert find_deadline(f"Gửi báo cáo {written}.").due == day


@given(st.integers(1990, 2099), st.integers(1, 4), st.sampled_from(["IV", "4"]))
def test_quarter_round_trips(year: int, quarter: int, style: str) -> None:
    name = ["I", "II", "III", "IV"][quarter - 1] if style == "IV" else str(quarter)
    assert find_deadline(f"trình trong quý {name} năm {year}").due == D(
        year, quarter * 3, calendar.monthrange(year, quarter * 3)[1]
    )


@given(st.integers(1990, 2099), st.integers(1, 12))
def test_month_and_year_round_trip(year: int, month: int) -> None:
    assert find_deadline(f"hoàn thành trong tháng {month}/{year}").due == D(
        year, month, calendar.monthrange(year, month)[1]
    )
    assert find_deadline(f"hoàn thành trong năm {year}").due == D(year, 12, 31)
    assert find_deadline(f"bảo đảm đến năm {year}").due == D(year, 12, 31)


@given(st.text(max_size=300))
def test_never_crashes(text: str) -> None:
    deadline = find_deadline(text)
    assert deadline.due is None or deadline.as_written
    recurrence = find_recurrence(text)
    assert recurrence is None or recurrence.kind in {
        "yearly",
        "semiannual",
        "quarterly",
        "monthly",
        "periodic",
        "continuous",
    }


# -- the schedule of a recurring duty (one engine function for issuing, the review page and the daily job) --

from ttdn.tasks.extraction.deadlines import schedule  # noqa: E402


def test_the_schedule_keeps_each_deadline_in_its_place() -> None:
    given, today = dt.date(2026, 4, 15), dt.date(2026, 11, 20)
    found = find_recurrence("Báo cáo kết quả về Sở Nội vụ trước ngày 15/6 và 15/12 hằng năm.")
    assert (found.kind, found.periods, found.month, found.day) == ("semiannual", ("half_year",), 6, 15)
    assert schedule(found.periods, found.month, found.day, given, today) == [
        ("2026-H1", dt.date(2026, 6, 15)),
        ("2026-H2", dt.date(2026, 12, 15)),
    ]
    # a directive of 15/04/2026 has no first quarter of 2026: it had ended before the directive was given
    assert [code for code, _ in schedule(("quarter",), None, None, given, today)] == [
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    # "trước ngày 15/01 hằng năm", given in April: the first is due in January 2027, shown ahead of time
    assert schedule(("year",), 1, 15, given, today) == [("2027", dt.date(2027, 1, 15))]
    assert schedule(("month",), None, 31, dt.date(2026, 9, 10), today)[:2] == [
        ("2026-09", dt.date(2026, 9, 30)),  # the 31st of a short month is its last day
        ("2026-10", dt.date(2026, 10, 31)),
    ]


@given(
    st.sampled_from([("year",), ("half_year",), ("quarter",), ("month",), ("half_year", "year")]),
    st.one_of(st.none(), st.integers(1, 12)),
    st.one_of(st.none(), st.integers(1, 31)),
    st.dates(dt.date(2010, 1, 1), dt.date(2030, 12, 31)),
    st.integers(0, 2000),
)
def test_no_occurrence_falls_due_before_the_duty_was_given(periods, month, day, given, days) -> None:  # noqa: ANN001
    today = given + dt.timedelta(days=days)
    rows = schedule(periods, month, day, given, today)
    codes = [code for code, _ in rows]
    assert rows and len(codes) == len(set(codes))  # at least the first one, each period once
    assert all(due is None or due >= given for _, due in rows)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2026", "Năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026-Q2", "Quý II/2026"),
        ("2026-09", "Tháng 9/2026"),
        ("", ""),
        ("kỳ đặc biệt", "kỳ đặc biệt"),
    ],
)
def test_periods_are_shown_by_their_names(code: str, label: str) -> None:
    from ttdn.tasks.extraction.deadlines import period_label

    assert period_label(code) == label


@given(st.text(max_size=20))
def test_period_label_never_fails(code: str) -> None:
    from ttdn.tasks.extraction.deadlines import period_label

    assert isinstance(period_label(code), str)
