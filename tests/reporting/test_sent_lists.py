"""A report counts as sent once its own leader approved it; the centre's lists export, the reminder letter goes
to exactly the missing bodies, a late report is flagged, and the reported figures add up by province."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document as Docx
from openpyxl import load_workbook

from ttdn.orgs.models import OrgKind
from ttdn.reporting import selectors
from ttdn.reporting.models import ExpectedReporter, Indicator, ReportForm, Submission, SubmissionState
from ttdn.reporting.services import submissions as svc


@pytest.fixture
def form(db) -> ReportForm:  # noqa: ANN001
    form = ReportForm.objects.create(
        code="thu_gui", name="Báo cáo thử gửi Cục", period_type="year", deadline_month=11, deadline_day=15
    )
    Indicator.objects.create(form=form, code="courses", name="Số lớp", kind="count", required=True, order=1)
    Indicator.objects.create(
        form=form, code="money", name="Kinh phí", kind="money", order=2, categories=["NSĐP", "Khác"]
    )
    Indicator.objects.create(form=form, code="plan", name="Có kế hoạch", kind="yes_no", order=3)
    ExpectedReporter.objects.create(form=form, kind=OrgKind.PROVINCE)
    return form


def _sent(form, code: str, on: dt.datetime, values: dict) -> Submission:  # noqa: ANN001
    from ttdn.orgs.models import OrgUnit

    return Submission.objects.create(
        form=form,
        unit=OrgUnit.objects.get(code=code),
        period="2026",
        state=SubmissionState.APPROVED,
        values=values,
        submitted_at=timezone.make_aware(on),
        sent_at=timezone.make_aware(on),
    )


@pytest.mark.django_db
def test_lists_letter_and_totals(form, unit, user) -> None:  # noqa: ANN001
    officer, leader = user("quangtri.canbo"), user("quangtri.lanhdao")
    draft = svc.save_draft(officer, form, unit("T44-2025"), "2026", {"courses": "2", "money__1": "1.000.000"})
    svc.submit(officer, draft)  # waiting for its own leader: still "chưa gửi"
    _sent(
        form,
        "T75-2025",
        dt.datetime(2026, 11, 10, 9),
        {"courses": 3, "money": {"NSĐP": 5_000_000, "Khác": 500_000}, "plan": True},
    )
    _sent(
        form, "T01", dt.datetime(2026, 11, 20, 9), {"courses": 4, "money": {"NSĐP": 2_000_000}, "plan": False}
    )
    client = Client()
    client.force_login(user("cuc.canbo"))
    base = "/reporting/forms/thu_gui/2026/"
    book = load_workbook(io.BytesIO(client.get(base, {"status": "missing", "export": "xlsx"}).content))
    missing = {row[1]: row[2] for row in book.active.iter_rows(min_row=3, values_only=True)}
    assert len(missing) == 32 and missing["Tỉnh Quảng Trị"] == "Chưa gửi Cục: chờ Tỉnh Quảng Trị duyệt"
    late = client.get(base, {"status": "late", "export": "csv"}).content.decode("utf-8-sig")
    assert "Thành phố Hà Nội" in late and "gửi muộn 5 ngày" in late and "Đồng Nai" not in late
    letter = Docx(io.BytesIO(client.get(base, {"export": "letter"}).content))
    names = [row.cells[1].text for row in letter.tables[-1].rows[1:]]
    assert len(names) == 32 and "Tỉnh Quảng Trị" in names and "Tỉnh Đồng Nai" not in names
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "32 cơ quan, đơn vị chưa gửi báo cáo thử gửi Cục (năm 2026) (hạn gửi 15/11/2026)" in text
    from ttdn.reporting.views.submissions import _report_and_period

    assert _report_and_period("Báo cáo công tác TTĐN năm", "Năm 2026") == "báo cáo công tác TTĐN năm 2026"
    officer_client = Client()
    officer_client.force_login(officer)
    assert officer_client.get(base, {"export": "letter"}).status_code == 403  # the centre's letter

    result = selectors.rollup(user("cuc.canbo"), form, "2026")
    assert result.reports == 2 and result.national == {"courses": 7, "money": 7_500_000, "plan": 1}
    by_body = {u.code: (n, line) for u, n, line in result.rows}
    assert by_body["T75-2025"] == (1, {"courses": 3, "money": 5_500_000, "plan": 1})
    page = client.get(base + "totals/")
    assert page.status_code == 200 and "7.500.000 đ" in page.content.decode()
    sheet = load_workbook(io.BytesIO(client.get(base + "totals/", {"export": "xlsx"}).content)).active
    assert list(sheet.iter_rows(min_row=sheet.max_row, values_only=True))[0][:3] == ("Toàn quốc", 2, 7)

    svc.decide(leader, Submission.objects.get(form=form, unit__code="T44-2025"), approve=True)
    sent = Submission.objects.get(form=form, unit__code="T44-2025")
    assert sent.sent_at is not None and svc.lateness(sent, dt.date(2026, 11, 15), dt.date(2026, 12, 1)) == (
        5,
        True,
    )
    page = Client()
    page.force_login(officer)
    assert "gửi Cục muộn 5 ngày" in page.get(base + "T44-2025/").content.decode()


@pytest.mark.django_db
def test_a_report_not_sent_after_its_deadline_is_warned(form, unit, user) -> None:  # noqa: ANN001
    assert svc.lateness(None, dt.date(2026, 11, 15), dt.date(2026, 11, 20)) == (5, False)
    assert svc.lateness(None, dt.date(2026, 11, 15), dt.date(2026, 11, 15)) is None
    client = Client()
    client.force_login(user("quangtri.canbo"))
    page = client.get("/reporting/forms/thu_gui/2026/T44-2025/").content.decode()
    assert "Đã quá hạn gửi 15/11/2026 5 ngày" in page
