"""A year's plan in a real browser, across three roles: a department officer drafts and submits (late),
the province officer returns it, it is resubmitted, consolidated into the province's plan with the
budget totalled by category and source, the leader approves, the officer sends it to the centre, and
the centre sees it (late) and finds `ke_hoach` marked in the tracking table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
YEAR = 2025  # due 31/05 and 01/07/2025: submitted today, both are late


def _as(browser, live_url: str, username: str):  # noqa: ANN001, ANN202
    page = browser.new_context(locale="vi-VN").new_page()
    page.base_url = live_url
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, username)
    return page


def test_plan_cycle_across_roles(browser, live_url) -> None:  # noqa: ANN001
    from ttdn.plans.models import Plan
    from ttdn.reporting.models import TrackingValue

    Plan.objects.filter(year=YEAR, unit__path__startswith="/T44-2025/").delete()
    try:
        _cycle(browser, live_url)
    finally:
        Plan.objects.filter(year=YEAR, unit__path__startswith="/T44-2025/").delete()
        TrackingValue.objects.filter(unit__code="T44-2025", year=YEAR).delete()


def _cycle(browser, live_url: str) -> None:  # noqa: ANN001, PLR0915
    unit = _as(browser, live_url, "quangtri.sovhttdl")
    unit.goto(f"{live_url}/plans/?year={YEAR}")
    unit.get_by_test_id("new-plan").get_by_role("button", name="Lập kế hoạch").click()
    expect(unit.locator("h1")).to_have_text(f"Kế hoạch công tác thông tin đối ngoại năm {YEAR}")
    form = unit.get_by_test_id("add-activity")
    form.locator("input[name=title]").fill("Tuần Văn hóa – Du lịch Quảng Trị tại Lào")
    form.locator("select[name=category]").select_option("quang_ba")
    form.locator("input[name=timeline]").fill("Quý III")
    form.locator("input[name=amount_local]").fill("200.000.000")
    form.locator("input[name=amount_socialised]").fill("50.000.000")
    form.get_by_role("button", name="Thêm hoạt động").click()
    expect(unit.get_by_test_id("budget-total")).to_have_text("250.000.000")
    form = unit.get_by_test_id("add-activity")
    form.locator("summary").click()
    form.locator("input[name=title]").fill("Ấn phẩm tiếng Lào")
    form.locator("select[name=category]").select_option("ngoai_ngu")
    form.locator("input[name=amount_local]").fill("-30.000.000")
    form.get_by_role("button", name="Thêm hoạt động").click()
    expect(unit.locator(".messages")).to_contain_text("không được là số âm")
    expect(unit.get_by_test_id("budget-total")).to_have_text(
        "250.000.000"
    )  # nothing of the refused activity kept
    unit.get_by_role("button", name="Gửi kế hoạch lên cấp trên").click()
    expect(unit.get_by_test_id("plan-state")).to_have_text("đã gửi")
    expect(unit.get_by_test_id("late")).to_contain_text("muộn")  # due 31/05/2025

    province = _as(browser, live_url, "quangtri.canbo")
    province.goto(f"{live_url}/plans/?year={YEAR}")
    province.get_by_role("row", name=re.compile("Sở Văn hóa")).get_by_role("link").click()
    province.get_by_test_id("return-form").locator("input[name=comment]").fill(
        "Ghi rõ chỉ tiêu số lượt khách"
    )
    province.get_by_role("button", name="Trả lại").click()
    expect(province.get_by_test_id("plan-state")).to_have_text("bị trả lại")

    unit.reload()
    expect(unit.get_by_test_id("plan-comment")).to_contain_text("Ghi rõ chỉ tiêu số lượt khách")
    unit.get_by_role("button", name="Gửi kế hoạch lên cấp trên").click()
    expect(unit.get_by_test_id("plan-state")).to_have_text("đã gửi")

    province.goto(f"{live_url}/plans/?year={YEAR}")
    province.get_by_test_id("new-plan").get_by_role("button", name="Lập kế hoạch").click()
    province.get_by_test_id("consolidate").click()
    expect(province.locator(".messages")).to_contain_text("Đã tổng hợp kế hoạch của 1 đơn vị")
    expect(province.get_by_test_id("activities")).to_contain_text(
        "từ kế hoạch của Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
    )
    form = province.get_by_test_id("add-activity")
    form.locator("summary").click()
    form.locator("input[name=title]").fill("Tập huấn nghiệp vụ TTĐN cho cán bộ cấp xã")
    form.locator("select[name=category]").select_option("tap_huan")
    form.locator("input[name=amount_central]").fill("100.000.000")
    form.get_by_role("button", name="Thêm hoạt động").click()
    budget = province.get_by_test_id("budget")
    expect(budget.get_by_test_id("budget-total")).to_have_text("350.000.000")
    expect(budget.locator("tr.total")).to_contain_text("100.000.000")  # central
    expect(budget.locator("tr.total")).to_contain_text("200.000.000")  # local
    expect(budget.locator("tr.total")).to_contain_text("50.000.000")  # socialised
    plan_url = province.url

    leader = _as(browser, live_url, "quangtri.lanhdao")
    leader.goto(plan_url)
    leader.get_by_role("button", name="Phê duyệt").click()
    expect(leader.get_by_test_id("plan-state")).to_have_text("đã phê duyệt")

    province.reload()
    province.get_by_role("button", name="Gửi về Cục").click()
    expect(province.get_by_test_id("plan-state")).to_have_text("đã gửi Cục")

    centre = _as(browser, live_url, "cuc.canbo")
    centre.goto(f"{live_url}/plans/?year={YEAR}")
    row = centre.get_by_role("row", name=re.compile("^Tỉnh Quảng Trị Kế hoạch"))
    expect(row).to_contain_text("đã gửi Cục")
    expect(row.get_by_test_id("late")).to_contain_text("muộn")  # due 01/07/2025
    centre.goto(f"{live_url}/reporting/tracking/?year_from={YEAR}&year_to={YEAR}")
    heads = centre.get_by_test_id("tracking-table").locator("thead tr").first.locator("th").all_inner_texts()
    column = next(i for i, h in enumerate(heads) if h.startswith("Kế hoạch")) - 2
    quang_tri = centre.get_by_test_id("tracking-table").locator("tbody tr", has_text="Quảng Trị")
    expect(quang_tri.locator("td").nth(2 + column)).to_have_text("x")
    for page in (unit, province, leader, centre):
        page.context.close()
