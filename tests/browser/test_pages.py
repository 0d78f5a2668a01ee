"""What each role sees in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from ttdn.site.demo import DEMO_ACCOUNTS, seeds_dir

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    "quantri": "Quản trị hệ thống",
    "cuc.canbo": "Tổng quan của Cục",
    "cuc.phantich": "Theo dõi dư luận",
    "quangtri.canbo": "Công việc của đơn vị",
    "quangtri.lanhdao": "Công việc của đơn vị",  # with its "Việc cần phê duyệt" first
    "dongnai.canbo": "Công việc của đơn vị",
    "bng.xem": "Tra cứu",
}


@pytest.mark.parametrize("username", list(HOME_HEADINGS))
def test_home_page_per_role(page, username: str) -> None:  # noqa: ANN001
    login(page, username)
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS[username])
    if username in ("quangtri.lanhdao", "cuc.canbo"):
        expect(page.get_by_test_id("to-approve").locator("h2")).to_contain_text("Việc cần phê duyệt")
    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    expect(page.get_by_test_id("who")).to_contain_text(account.full_name)
    if username in ("cuc.canbo", "quantri"):
        counts = page.get_by_test_id("counts")
        expect(counts).to_contain_text("Tỉnh, thành phố")
        expect(counts.locator("tr", has_text="Tỉnh, thành phố").locator("td")).to_have_text("34")
    if username.startswith("quangtri"):
        expect(page.get_by_test_id("my-unit")).to_contain_text("Tỉnh Quảng Trị")
        expect(page.get_by_test_id("my-unit")).to_contain_text("Quảng Bình")
    if username in ("cuc.canbo", "quangtri.canbo", "quangtri.lanhdao", "dongnai.canbo"):
        expect(page.get_by_test_id("home-tasks")).to_contain_text("chưa hoàn thành")
    if username == "quangtri.lanhdao" and seeds_dir() is not None:
        expect(page.get_by_test_id("home-tasks")).to_contain_text(
            "1 chờ xác nhận hoàn thành"
        )  # the demo's 6.c of Chỉ thị 21, reported at 100%


def test_wrong_password_gives_a_clear_message(page) -> None:  # noqa: ANN001
    login(page, "cuc.canbo", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
    expect(page).to_have_url(re.compile(r"/login/"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [("quang tri", "Tỉnh Quảng Trị"), ("dak lak", "Tỉnh Đắk Lắk"), ("HA NOI", "Thành phố Hà Nội")],
)
def test_directory_search_without_diacritics(page, query: str, expected: str) -> None:  # noqa: ANN001
    login(page, "bng.xem")
    page.goto(f"{page.base_url}/orgs/")
    page.fill("input[name=q]", query)
    page.click("form[data-testid=filters] button[type=submit]")
    expect(page.get_by_test_id("results")).to_contain_text(expected)


def test_search_for_a_merged_province_says_where_it_went(page) -> None:  # noqa: ANN001
    login(page, "bng.xem")
    page.goto(f"{page.base_url}/orgs/?q=ba+ria+vung+tau&kind=province")
    expect(page.get_by_test_id("empty")).to_be_visible()
    former = page.get_by_test_id("former")
    expect(former).to_contain_text("Tỉnh Bà Rịa - Vũng Tàu")
    expect(former).to_contain_text("Thành phố Hồ Chí Minh")


def test_as_of_switch_63_then_34(page) -> None:  # noqa: ANN001
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/orgs/?kind=province")
    page.fill("input[name=as_of]", "31/12/2012")
    page.click("form[data-testid=filters] button[type=submit]")
    expect(page.get_by_test_id("total")).to_have_text("63 đơn vị")
    expect(page.get_by_test_id("as-of")).to_have_text("31/12/2012")
    page.get_by_role("link", name="01/07/2025").click()
    expect(page.get_by_test_id("total")).to_have_text("34 đơn vị")
    expect(page.get_by_test_id("results")).not_to_contain_text("Bình Phước")


def test_wrong_date_in_the_as_of_picker(page) -> None:  # noqa: ANN001
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/orgs/?kind=province")
    page.fill("input[name=as_of]", "30/02/2020")
    page.click("form[data-testid=filters] button[type=submit]")
    expect(page.get_by_test_id("date-error")).to_contain_text("không hợp lệ")
    expect(page.locator("input[name=as_of]")).to_have_value("30/02/2020")
    expect(page.get_by_test_id("total")).to_have_text("34 đơn vị")


def test_tree_view(page) -> None:  # noqa: ANN001
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/orgs/?view=tree&as_of=31/12/2012")
    tree = page.get_by_test_id("tree")
    expect(tree).to_contain_text("Bộ Thông tin và Truyền thông")
    tree.locator("summary", has_text="Bộ Thông tin và Truyền thông").click()
    expect(tree.get_by_role("link", name="Cục Thông tin đối ngoại")).to_be_visible()


def test_body_page_history_and_successor(page) -> None:  # noqa: ANN001
    login(page, "bng.xem")
    page.goto(f"{page.base_url}/orgs/T70/")
    expect(page.get_by_test_id("unit-name")).to_have_text("Tỉnh Bình Phước")
    expect(page.get_by_test_id("status")).to_have_text("Không còn hoạt động")
    expect(page.get_by_test_id("successors-today")).to_contain_text("Tỉnh Đồng Nai")
    page.get_by_test_id("successors-today").get_by_role("link", name="Tỉnh Đồng Nai").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Tỉnh Đồng Nai")
    expect(page.get_by_test_id("predecessors")).to_contain_text("Tỉnh Bình Phước")


def test_unit_officer_cannot_open_another_provinces_private_page(page) -> None:  # noqa: ANN001
    login(page, "quangtri.canbo")
    response = page.goto(f"{page.base_url}/orgs/T75-2025/private/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Không có quyền truy cập")
    response = page.goto(f"{page.base_url}/orgs/T44-2025/private/")
    assert response is not None and response.status == 200


def test_unknown_code_in_url(page) -> None:  # noqa: ANN001
    login(page, "quangtri.canbo")
    response = page.goto(f"{page.base_url}/orgs/KHONG-TON-TAI/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")


def test_officer_updates_contact_and_admin_sees_audit(page, browser, live_url) -> None:  # noqa: ANN001
    from ttdn.orgs.models import OrgUnit

    login(page, "quangtri.lanhdao")
    page.goto(f"{page.base_url}/orgs/T44-2025/private/")
    form = page.get_by_test_id("contact-form")
    form.locator("input[name=email]").fill("khong hop le")
    form.locator("input[name=phone]").fill("0233 3 000 111")
    form.get_by_role("button", name="Lưu").click()
    # The browser itself refuses the malformed address before anything is sent.
    assert form.locator("input[name=email]").evaluate("el => el.validity.valid") is False
    expect(page.locator(".messages")).to_have_count(0)
    assert OrgUnit.objects.get(code="T44-2025").phone == ""
    form = page.get_by_test_id("contact-form")
    form.locator("input[name=email]").fill("ttdn@quangtri.gov.vn")
    form.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu")
    assert OrgUnit.objects.get(code="T44-2025").email == "ttdn@quangtri.gov.vn"

    admin = browser.new_context(locale="vi-VN").new_page()
    admin.base_url = live_url
    login(admin, "quantri")
    admin.goto(f"{live_url}/orgs/T44-2025/audit/")
    audit = admin.get_by_test_id("audit")
    expect(audit).to_contain_text("quangtri.lanhdao")
    expect(audit).to_contain_text("ttdn@quangtri.gov.vn")
    admin.context.close()
    OrgUnit.objects.filter(code="T44-2025").update(phone="", email="")


def test_language_switch_to_english(page) -> None:  # noqa: ANN001
    login(page, "cuc.canbo")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("h1")).to_have_text("Central overview")
    page.goto(f"{page.base_url}/orgs/")
    expect(page.locator("h1")).to_have_text("Body directory")
    page.get_by_role("button", name="VI").click()
    expect(page.locator("h1")).to_have_text("Danh bạ đơn vị")


def test_tablet_width_has_no_horizontal_overflow(browser, live_url) -> None:  # noqa: ANN001
    context = browser.new_context(locale="vi-VN", viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.base_url = live_url
    login(page, "cuc.canbo")
    page.goto(f"{live_url}/orgs/?kind=province")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()


def test_stylesheet_is_served_locally(page) -> None:  # noqa: ANN001
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    login(page, "bng.xem")
    background = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert background == "rgb(163, 29, 29)"
    assert all(url.startswith(page.base_url) for url in requests)


def test_logout(page) -> None:  # noqa: ANN001
    login(page, "dongnai.canbo")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto(f"{page.base_url}/orgs/T75-2025/private/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
