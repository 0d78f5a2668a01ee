"""Pages kept in the cache change as soon as their data do: the centre's task list, overdue list and directory,
read once (and so kept), show a Quảng Trị officer's report, its leader's confirmation and a new body on the next
load, in the same server process that keeps them; a page served again as kept still signs its reader out
(its forms' CSRF token holds), and after that it is not served to the signed-out browser."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, signed_in

pytestmark = pytest.mark.browser

PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 977/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Trị, ngày 12 tháng 3 năm 2026

KẾ HOẠCH
Thử làm mới trang về quảng bá hình ảnh vùng cát ven biển

1. Sở Văn hóa, Thể thao và Du lịch biên soạn tập ảnh vùng cát ven biển bằng tiếng Anh, tiếng Lào.
"""


def test_kept_pages_follow_the_work(page, browser, live_url) -> None:  # noqa: ANN001
    from ttdn.documents.services import import_text
    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.orgs.services import create_unit
    from ttdn.tasks.models import Duty, DutyState, Task, TaskOccurrence

    document = import_text(PLAN).document
    duty = Duty.objects.create(
        document=document,
        section="1",
        text="Biên soạn tập ảnh vùng cát ven biển bằng tiếng Anh, tiếng Lào",
        fingerprint="lam-moi-1",
        state=DutyState.ISSUED,
    )
    quang_tri = OrgUnit.objects.get(code="T44-2025")
    task = Task.objects.create(duty=duty, lead=quang_tri)
    TaskOccurrence.objects.create(task=task, due=dt.date(2026, 6, 30))
    try:
        login(page, "cuc.canbo")
        listed = f"{live_url}/tasks/?document={document.pk}"
        page.goto(listed)
        expect(page.get_by_test_id("task-results")).to_contain_text("0%")
        page.goto(f"{live_url}/tasks/overdue/?unit=T44-2025")
        expect(page.get_by_test_id("overdue-items")).to_contain_text("vùng cát ven biển")
        page.goto(f"{live_url}/orgs/?q=trung+tam+cat+ven+bien")
        expect(page.get_by_test_id("empty")).to_be_visible()

        officer = signed_in(browser, live_url, "quangtri.canbo")
        officer.goto(f"{live_url}/tasks/{task.pk}/")
        form = officer.get_by_test_id("progress-form")
        form.locator("textarea[name=text]").fill("Đã in 500 cuốn tập ảnh, gửi các cơ quan đại diện.")
        form.locator("input[name=percent]").fill("100")
        form.get_by_role("button", name="Báo cáo tiến độ").click()
        expect(officer.locator(".messages")).to_contain_text("Đã ghi nhận báo cáo tiến độ")
        page.goto(listed)
        expect(page.get_by_test_id("task-results")).to_contain_text("100%")  # the kept page, built again

        leader = signed_in(browser, live_url, "quangtri.lanhdao")
        leader.goto(f"{live_url}/tasks/{task.pk}/")
        leader.get_by_role("button", name="Xác nhận hoàn thành").click()
        expect(leader.get_by_test_id("status")).to_have_text("hoàn thành quá hạn")
        page.goto(f"{live_url}/tasks/overdue/?unit=T44-2025")
        expect(page.locator("main")).not_to_contain_text("vùng cát ven biển")

        create_unit(
            None,
            code="T44-2025-TTCAT",
            name="Trung tâm Thông tin vùng cát ven biển",
            kind=OrgKind.OTHER,
            parent=quang_tri,
            source="test",
        )
        page.goto(f"{live_url}/orgs/?q=trung+tam+cat+ven+bien")
        expect(page.get_by_test_id("results")).to_contain_text("Trung tâm Thông tin vùng cát ven biển")

        page.goto(listed)
        page.goto(listed)  # the same page again, nothing changed: the kept bytes, with the forms' CSRF token
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(f"{live_url}/login/")
        page.goto(listed)  # signed out: the kept page is not for this browser any more
        expect(page).to_have_url(f"{live_url}/login/?next=/tasks/%3Fdocument%3D{document.pk}")
    finally:
        document.delete()
        OrgUnit.objects.filter(code="T44-2025-TTCAT").delete()
