"""A yearly report in a real browser: entry, a blocking check, submit, return, resubmit, approval,
and the centre watching the reporting rate change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_report_cycle_across_roles(page, browser, live_url) -> None:  # noqa: ANN001
    from django.utils import timezone

    from ttdn.reporting.models import Submission

    year = str(timezone.localdate().year)
    Submission.objects.filter(form__code="ttdn_nam", period=year, unit__code="T44-2025").delete()

    centre = browser.new_context(locale="vi-VN").new_page()
    centre.base_url = live_url
    login(centre, "cuc.canbo")
    centre.goto(f"{live_url}/reporting/forms/ttdn_nam/{year}/")
    before = centre.get_by_test_id("rate").locator(".big-number").inner_text()

    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/reporting/forms/ttdn_nam/{year}/T44-2025/")
    form = page.get_by_test_id("submission-form")
    form.locator("select[name=v_co_ke_hoach]").select_option("1")
    form.locator("input[name=v_so_lop_tap_huan]").fill("5")
    form.locator("input[name=v_so_hoc_vien]").fill("3")
    expect(form.get_by_test_id("autosave")).to_contain_text("Đã tự lưu")
    form.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("problems")).to_contain_text("Số lượt học viên không được ít hơn số lớp tập huấn")
    expect(page.locator("input[name=v_so_hoc_vien]")).to_have_value("3")  # what was typed is still there
    page.locator("input[name=v_so_hoc_vien]").fill("180")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("state")).to_contain_text("đã gửi, chờ duyệt")

    leader = browser.new_context(locale="vi-VN").new_page()
    leader.base_url = live_url
    login(leader, "quangtri.lanhdao")
    leader.goto(f"{live_url}/reporting/forms/ttdn_nam/{year}/T44-2025/")
    leader.get_by_role("button", name="Trả lại").click()
    expect(leader.locator(".messages")).to_contain_text("Chưa lưu được")
    leader.fill("textarea[name=comment]", "Bổ sung kinh phí")
    leader.get_by_role("button", name="Trả lại").click()
    expect(leader.get_by_test_id("state")).to_contain_text("bị trả lại")

    page.reload()
    page.locator("input[name=v_kinh_phi_ke_hoach]").fill("200.000.000")
    page.locator("input[name=v_kinh_phi_da_chi]").fill("150.000.000")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("state")).to_contain_text("đã gửi, chờ duyệt")
    leader.reload()
    leader.get_by_role("button", name="Duyệt").click()
    expect(leader.get_by_test_id("state")).to_contain_text("đã duyệt")

    centre.reload()
    after = centre.get_by_test_id("rate").locator(".big-number").inner_text()
    assert int(after.split("/")[0]) == int(before.split("/")[0]) + 1
    assert Submission.objects.get(form__code="ttdn_nam", period=year, unit__code="T44-2025").values["kinh_phi_da_chi"] == 150000000
    for other in (centre, leader):
        other.context.close()
