"""Tasks in a real browser: extract a provincial directive, review it (edit one duty, delete one, add a
missing body), issue, an officer reports progress with a file, the leader confirms, the centre sees it
done, and an overdue duty appears in the reminder letter."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

DIRECTIVE = Path(__file__).parent.parent / "tasks" / "data" / "chi_thi_tinh.txt"
DEPARTMENTS = [
    "Sở Ngoại vụ",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Kế hoạch và Đầu tư",
    "Công an tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
]


def test_directive_to_done_and_to_the_reminder_letter(page, browser, live_url) -> None:  # noqa: ANN001, PLR0915
    from ttdn.documents.services import import_text
    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.orgs.services import create_unit

    document = import_text(DIRECTIVE.read_text(encoding="utf-8")).document
    province = OrgUnit.objects.get(code="T45")
    created = [
        create_unit(
            None,
            code=f"T45-TEST{n}",
            name=f"{name} tỉnh Quảng Trị",
            kind=OrgKind.DEPARTMENT,
            parent=province,
            source="test",
        )
        for n, name in enumerate(DEPARTMENTS)
    ]
    try:
        _walk_through(page, browser, live_url, document)
    finally:
        document.delete()
        OrgUnit.objects.filter(parent=province, code__startswith="T45-").exclude(
            code__in=["T45-STTTT", "T45-SVHTTDL"]
        ).delete()
        assert created


def _walk_through(page, browser, live_url, document) -> None:  # noqa: ANN001, PLR0915
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "cuc.canbo")
    page.goto(f"{live_url}/docs/{document.pk}/")
    page.get_by_test_id("review-link").click()
    page.get_by_role("button", name="Trích xuất nhiệm vụ").click()
    expect(page.locator(".messages")).to_contain_text("Đã trích xuất 15 nhiệm vụ")
    duty = page.locator("[data-testid=duty][data-section='1.(4)']")
    expect(page.locator(f"#clause-{duty.get_attribute('id').split('-')[1]}")).to_contain_text(
        "nâng cấp chuyên trang"
    )  # the clause is highlighted
    expect(duty.locator("input[name$=due]")).to_have_value("30/09/2024")  # "trong quý III năm 2024"
    duty.locator("input[name$=due]").fill("31/10/2024")  # edit one
    duty.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nhiệm vụ 1.(4)")
    expect(page.locator("[data-testid=duty][data-section='1.(4)'] input[name$=due]")).to_have_value(
        "31/10/2024"
    )
    for section in ("10.(1)", "10.(2)"):  # delete: the districts the registry does not list
        page.locator(f"[data-testid=duty][data-section='{section}']").get_by_test_id("reject").click()
        expect(page.locator(".messages")).to_contain_text(f"Đã loại nhiệm vụ {section}")
    home_affairs = page.locator("[data-testid=duty][data-section='3']")
    expect(home_affairs.get_by_test_id("unresolved")).to_contain_text("Danh bạ chưa có: Sở Nội vụ")
    home_affairs.get_by_role("button", name="Thêm vào danh bạ").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm đơn vị Sở Nội vụ tỉnh Quảng Trị")
    page.get_by_test_id("issue").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao 13 nhiệm vụ")

    officer = browser.new_context(locale="vi-VN").new_page()
    officer.base_url = live_url
    login(officer, "quangtri.canbo")
    officer.goto(f"{live_url}/tasks/?document={document.pk}&q=co quan thuong truc")
    officer.get_by_role("link", name=re.compile("Là cơ quan thường trực")).click()
    form = officer.get_by_test_id("progress-form")
    form.locator("textarea[name=text]").fill("Đã tham mưu UBND tỉnh ban hành Kế hoạch TTĐN năm 2024.")
    form.locator("input[name=percent]").fill("100")
    form.locator("input[name=files]").set_input_files(
        files=[{"name": "ke-hoach-2024.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 ke hoach"}]
    )
    form.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(officer.locator(".messages")).to_contain_text("Đã ghi nhận báo cáo tiến độ")
    expect(officer.get_by_test_id("entries")).to_contain_text("ke-hoach-2024.pdf")
    expect(officer.get_by_test_id("confirm-form")).to_have_count(0)  # an officer does not confirm

    centre = browser.new_context(locale="vi-VN").new_page()
    centre.base_url = live_url
    login(centre, "cuc.canbo")
    centre.goto(f"{live_url}/tasks/overdue/")
    done_before = int(centre.get_by_test_id("count-done_on_time").inner_text())

    leader = browser.new_context(locale="vi-VN").new_page()
    leader.base_url = live_url
    login(leader, "quangtri.lanhdao")
    leader.goto(officer.url)
    leader.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(leader.get_by_test_id("status")).to_have_text("hoàn thành đúng hạn")

    centre.reload()
    expect(centre.get_by_test_id("count-done_on_time")).to_have_text(str(done_before + 1))
    # The 2024 department of information went into today's Sở Văn hóa, Thể thao và Du lịch (01/03/2025): its
    # overdue work is chased there, marked as inherited.
    heir, gone = (
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị",
        "Sở Thông tin và Truyền thông tỉnh Quảng Trị",
    )
    centre.get_by_test_id("overdue-bodies").get_by_role("link", name=heir).click()
    expect(centre.get_by_test_id("overdue-items")).to_contain_text("nâng cấp chuyên trang")
    expect(centre.get_by_test_id("overdue-items")).to_contain_text(f"kế thừa {gone}")
    with centre.expect_download() as download:
        centre.get_by_test_id("letter").click()
    letter = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = [[cell.text for cell in row.cells] for row in letter.tables[1].rows]
    assert any(
        "nâng cấp chuyên trang" in r[2] and r[3] == "31/10/2024" and r[1] == f"{heir} (kế thừa {gone})"
        for r in rows[1:]
    )
    assert all(r[1].startswith(heir) for r in rows[1:])
    for other in (officer, centre, leader):
        other.context.close()
