"""A yearly report in a real browser: entry, a blocking check, submit, return, resubmit, approval,
and the centre watching the reporting rate change."""

from __future__ import annotations

from pathlib import Path

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
    expect(page.get_by_test_id("problems")).to_contain_text(
        "Số lượt học viên không được ít hơn số lớp tập huấn"
    )
    expect(page.locator("input[name=v_so_hoc_vien]")).to_have_value("3")  # what was typed is still there
    page.locator("input[name=v_so_hoc_vien]").fill("180")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("state")).to_contain_text("đã trình, chờ lãnh đạo duyệt")

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
    page.locator("input[name=v_kinh_phi_da_chi__1]").fill("150.000.000")  # spent by source: local budget
    page.locator("input[name=v_kinh_phi_da_chi__2]").fill("80.000.000")  # socialised funds: 230 > 200 planned
    page.set_input_files(
        "input[name=f_ban_ky]",
        files=[{"name": "bao-cao-ky.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed"}],
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("problems")).to_contain_text(
        "Kinh phí đã chi không được vượt kinh phí theo kế hoạch"
    )
    expect(page.get_by_test_id("total-kinh_phi_da_chi")).to_have_text("230.000.000 đ")
    expect(page.get_by_test_id("file-ban_ky")).to_have_text(
        "bao-cao-ky.pdf"
    )  # the file was kept with the draft
    page.locator("input[name=v_kinh_phi_da_chi__2]").fill("30.000.000")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("state")).to_contain_text("đã trình, chờ lãnh đạo duyệt")
    expect(page.get_by_test_id("steps")).to_contain_text("Tỉnh Quảng Trị (đang chờ)")
    leader.reload()
    leader.get_by_role("button", name="Duyệt").click()
    expect(leader.get_by_test_id("state")).to_contain_text("đã duyệt")

    centre.reload()
    after = centre.get_by_test_id("rate").locator(".big-number").inner_text()
    assert int(after.split("/")[0]) == int(before.split("/")[0]) + 1
    values = Submission.objects.get(form__code="ttdn_nam", period=year, unit__code="T44-2025").values
    assert values["kinh_phi_da_chi"] == {"Ngân sách địa phương": 150000000, "Xã hội hóa": 30000000}
    assert values["ban_ky"]["name"] == "bao-cao-ky.pdf"
    with page.expect_download() as download:
        page.get_by_test_id("file-ban_ky").click()
    assert download.value.suggested_filename == "bao-cao-ky.pdf"
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.4 signed"
    for other in (centre, leader):
        other.context.close()
