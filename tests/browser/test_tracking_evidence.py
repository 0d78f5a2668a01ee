"""Finding 5 of the officials' trial (issue 12) in a real browser: the tracking table is fed by real work.

"After the centre accepted Quảng Trị's 2026 annual report and its border-guard programme task was confirmed
done, Quảng Trị's 2026 cells stay empty; 'Theo đơn vị thời điểm đó' over 2011-2026 blanks the 2011-2012
data of merged provinces ('1/34 ban hành Quy chế' against '9/34' in the other view)." Now each of those
records fills its cell with a link to it, and the at-that-time view keeps 2011-2012 under the 63 provinces
of that time, counted out of 63, and 2026 out of 34. Fails on the code before the change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import needs_seeds

pytestmark = [pytest.mark.browser, needs_seeds]  # the 2011-2012 table is seed 000's

QUANG_TRI = "T44-2025"
REPORT_URL = f"/reporting/forms/ttdn_nam/2026/{QUANG_TRI}/"
BORDER = (
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 42/CT-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nQuảng Trị, ngày 5 tháng 3 năm 2026\n\nCHỈ THỊ\n"
    "Về Chương trình phối hợp thông tin đối ngoại ở khu vực biên giới\n\nChủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\n"
    "1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Bộ Chỉ huy Bộ đội Biên phòng tỉnh xây dựng và thực "
    "hiện Chương trình phối hợp thông tin đối ngoại ở khu vực biên giới, hoàn thành trước ngày 30/9/2026.\n\n"
    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Đức Tiến\n"
)


def _quang_tri_at_work() -> int:
    """What the province did, through its own officer and leader: its 2026 yearly report, approved and sent to
    the centre; its border-guard programme, issued to its department, reported done. Returns the task's id."""
    from ttdn.accounts.models import User
    from ttdn.documents.services import import_text
    from ttdn.reporting.models import ReportForm, Submission
    from ttdn.reporting.services import submissions as reports
    from ttdn.tasks import services as tasks

    officer, leader = (
        User.objects.get(username="quangtri.canbo"),
        User.objects.get(username="quangtri.lanhdao"),
    )
    form = ReportForm.objects.get(code="ttdn_nam")
    Submission.objects.filter(form=form, unit=officer.org_unit, period="2026").delete()
    typed = {"co_ke_hoach": True, "so_lop_tap_huan": "2", "so_hoc_vien": "160"}
    sent = reports.submit(officer, reports.save_draft(officer, form, officer.org_unit, "2026", typed))
    reports.decide(leader, sent, approve=True)
    document = import_text(BORDER).document
    tasks.extract_document(officer, document)
    (task,) = tasks.issue(officer, document)
    occurrence = task.occurrences.get()
    if occurrence.completed_on is None:
        tasks.report_progress(
            officer,
            occurrence,
            text="Đã ký Chương trình phối hợp với BĐBP tỉnh.",
            percent=100,
            done_on=dt.date(2026, 9, 12),
        )
        tasks.confirm(leader, occurrence)
    return task.pk


def _column(page, item: str, year: str) -> int:  # noqa: ANN001
    """The index (among a row's cells) of an item's column for a year, read off the table's two heading rows."""
    heads = page.get_by_test_id("tracking-table").locator("thead tr")
    items = heads.nth(0).locator("th").all_inner_texts()[2:]
    years = heads.nth(1).locator("th").all_inner_texts()
    per_item = len(years) // len(items)
    return 2 + items.index(item) * per_item + years[:per_item].index(year)


def test_finding_5_the_tracking_table_is_fed_by_real_work(page) -> None:  # noqa: ANN001
    task_id = _quang_tri_at_work()
    login(page, "cuc.canbo")

    # The centre accepts the report, and names the item the border-guard task carries out.
    page.goto(f"{page.base_url}{REPORT_URL}")
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_test_id("state")).to_contain_text("Cục đã tiếp nhận")
    page.goto(f"{page.base_url}/tasks/{task_id}/")
    link = page.get_by_test_id("tracking-link-form")
    link.locator("select[name=item]").select_option(label="Chương trình phối hợp với BĐBP")
    link.get_by_role("button", name="Lưu").click()
    expect(page.locator(".msg-success")).to_contain_text(
        "Đã gắn với hạng mục “Chương trình phối hợp với BĐBP”"
    )

    # At that time, 2011-2026: Quảng Trị's 2026 cells link to the records that prove them.
    page.goto(f"{page.base_url}/reporting/tracking/?mode=historical&year_from=2011&year_to=2026")
    table = page.get_by_test_id("tracking-table")
    today = table.locator(f"tbody tr[data-unit='{QUANG_TRI}']")
    expect(today.locator("td").nth(1)).to_have_text("Quảng Trị (từ 01/07/2025)")
    report = today.locator("td").nth(_column(page, "Báo cáo tổng kết công tác TTĐN", "2026"))
    expect(report).to_have_class(re.compile(r"\bderived\b"))
    expect(report).to_have_attribute(
        "title",
        re.compile(
            r"^Suy ra từ hồ sơ: Báo cáo công tác thông tin đối ngoại năm \(Năm 2026\), Cục tiếp nhận ngày 20/11/2026"
        ),
    )
    expect(report.get_by_role("link", name="x")).to_have_attribute("href", REPORT_URL)
    border = today.locator("td").nth(_column(page, "Chương trình phối hợp với BĐBP", "2026"))
    expect(border).to_have_attribute(
        "title", re.compile(r"42/CT-UBND.*hoàn thành ngày 12/09/2026, đã xác nhận")
    )
    expect(border.get_by_role("link", name="x")).to_have_attribute(
        "href", re.compile(rf"^/tasks/{task_id}/\?occ=\d+$")
    )
    plan = today.locator("td").nth(_column(page, "Kế hoạch công tác TTĐN", "2026"))
    expect(plan).to_have_attribute("title", re.compile(r"44/KH-UBND"))  # the demo's approved plan
    expect(today.locator("td").nth(_column(page, "Quy chế QLNN về TTĐN", "2012"))).to_have_text(
        "–"
    )  # not yet

    # ... and the 63 provinces of 2011-2012 keep their marks, counted out of 63; 2026 out of 34.
    old = table.locator("tbody tr[data-unit='T45']")
    expect(old.locator("td").nth(1)).to_have_text("Quảng Trị (đến 30/06/2025)")
    expect(old.locator("td").nth(_column(page, "Quy chế QLNN về TTĐN", "2012"))).to_have_text("x")
    expect(old.locator("td").nth(_column(page, "Kế hoạch công tác TTĐN", "2011"))).to_have_text("x")
    expect(old.locator("td").nth(_column(page, "Quy chế QLNN về TTĐN", "2026"))).to_have_text("–")
    expect(page.get_by_test_id("sentences")).to_contain_text(
        "Năm 2011 - 2012: 9/63 tỉnh, thành phố ban hành Quy chế quản lý nhà nước về thông tin đối ngoại"
    )
    ever = page.get_by_test_id("ever")
    expect(ever.locator("tr", has_text="Quy chế QLNN về TTĐN")).to_contain_text("9/63")
    expect(ever.locator("tr", has_text="Báo cáo tổng kết công tác TTĐN").locator("td").last).to_have_text(
        re.compile(r"^\d+/34$")
    )
    expect(ever.locator("tr", has_text="Chương trình phối hợp với BĐBP").locator("td").last).not_to_have_text(
        "0/34"
    )

    # The link opens the report.
    report.get_by_role("link", name="x").click()
    expect(page).to_have_url(re.compile(re.escape(REPORT_URL) + "$"))
    expect(page.get_by_test_id("state")).to_contain_text("Cục đã tiếp nhận")
