"""Documents in a real browser: search, import with preview, the document page and its citations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import needs_seeds

pytestmark = [pytest.mark.browser, needs_seeds]

DIRECTIVE = """UBND TỈNH QUẢNG TRỊ
SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/KH-SVHTTDL
Đông Hà, ngày 15 tháng 1 năm 2026
KẾ HOẠCH
THÔNG TIN ĐỐI NGOẠI NĂM 2026
Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;
Căn cứ Quyết định số 79/2010/QĐ-TTg ngày 30/11/2010 của Thủ tướng Chính phủ;
Thực hiện Công văn số 5406/BTTTT-TTĐN ngày 31/12/2021.
GIÁM ĐỐC

Trần Văn Nam"""


def test_search_without_diacritics(page) -> None:  # noqa: ANN001
    login(page, "bng.xem")
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.fill("input[name=q]", "chi thi 21")
    page.click("form[data-testid=doc-filters] button[type=submit]")
    expect(page.get_by_test_id("doc-total")).to_have_text("1 văn bản")
    page.get_by_test_id("doc-results").get_by_role("link", name="21/CT-TTg").click()
    expect(page.get_by_test_id("doc-title")).to_have_text("Chỉ thị 21/CT-TTg")
    expect(page.get_by_test_id("diagram")).to_contain_text("Kết luận số 16-KL/TW")


def test_import_preview_save_document_page_citations(page) -> None:  # noqa: ANN001
    from ttdn.documents.models import Document

    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/docs/import/")
    page.fill("textarea[name=text]", DIRECTIVE)
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_test_id("pv-number")).to_have_text("12/KH-SVHTTDL")
    expect(page.get_by_test_id("pv-date")).to_have_text("15/01/2026")
    expect(page.get_by_test_id("pv-refs")).to_contain_text("72/2015/NĐ-CP")
    assert not Document.objects.filter(number="12/KH-SVHTTDL").exists()
    page.get_by_role("button", name="Lưu vào sổ").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu văn bản")
    expect(page.get_by_test_id("doc-title")).to_have_text("Kế hoạch 12/KH-SVHTTDL")
    expect(page.get_by_test_id("doc-facts")).to_contain_text("Sở Văn hóa, Thể thao và Du lịch")
    # Its basis Quyết định 79/2010 ceased on 22/10/2015: the page warns.
    expect(page.get_by_test_id("basis-problems")).to_contain_text("79/2010/QĐ-TTg")
    expect(page.get_by_test_id("basis-problems")).to_contain_text("22/10/2015")
    page.get_by_test_id("citation").filter(has_text="72/2015/NĐ-CP").click()
    expect(page.get_by_test_id("doc-title")).to_have_text("Nghị định 72/2015/NĐ-CP")
    expect(page.get_by_test_id("cited-by").filter(has_text="12/KH-SVHTTDL")).to_be_visible()
    Document.objects.filter(number="12/KH-SVHTTDL").delete()


def test_bad_upload_shows_a_message(page, tmp_path) -> None:  # noqa: ANN001
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/docs/import/")
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"\x00\x01binary")
    page.set_input_files("input[name=file]", str(empty))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_test_id("import-error")).to_contain_text("nhị phân")


def test_correct_a_field(page) -> None:  # noqa: ANN001
    from ttdn.documents.models import Document

    target = Document.objects.get(number="212/BTTTT-TTĐN")
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/docs/{target.pk}/")
    page.get_by_role("link", name="Sửa thông tin").click()
    page.fill("input[name=issued_on]", "19/01/2013")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("doc-facts")).to_contain_text("19/01/2013")
    page.get_by_role("button", name="Phân tích lại").click()
    expect(page.get_by_test_id("doc-facts")).to_contain_text("19/01/2013")
    Document.objects.filter(pk=target.pk).update(issued_on="2013-01-18", corrected={})


def test_expired_bases_page(page) -> None:  # noqa: ANN001
    login(page, "bng.xem")
    page.goto(f"{page.base_url}/docs/")
    page.get_by_role("link", name="Quy chế căn cứ văn bản hết hiệu lực").click()
    table = page.get_by_test_id("expired-bases")
    for province in ("Hải Dương", "Nghệ An", "Đồng Tháp"):
        expect(table).to_contain_text(province)
    expect(page).to_have_url(re.compile(r"/docs/expired-bases/"))


def test_document_page_fits_a_tablet(browser, live_url) -> None:  # noqa: ANN001
    from ttdn.documents.models import Document

    context = browser.new_context(locale="vi-VN", viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.base_url = live_url
    login(page, "cuc.canbo")
    page.goto(f"{live_url}/docs/{Document.objects.get(number='1578/BTTTT-TTĐN').pk}/")
    overflow = page.evaluate(
        "[...document.querySelectorAll('.card')].some(c => c.scrollWidth > c.clientWidth + 1)"
        " || document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert overflow is False
    context.close()


def test_bulk_import_runs_in_the_background(page, tmp_path) -> None:  # noqa: ANN001
    """A province officer imports three files at once: the run page follows the worker and says what it did."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from ttdn.documents.models import Document, ImportRun
    from ttdn.notices.models import Notice

    paths = []
    for n, subject in ((31, "tuyên truyền biển đảo"), (32, "quảng bá du lịch"), (33, "hợp tác quốc tế")):
        path = tmp_path / f"kh-{n}.txt"
        path.write_text(
            DIRECTIVE.replace("12/KH-SVHTTDL", f"{n}/KH-SVHTTDL").replace(
                "NĂM 2026", f"VỀ {subject.upper()}"
            ),
            encoding="utf-8",
        )
        paths.append(str(path))
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/docs/import/")
    page.set_input_files("input[name=files]", paths)
    page.get_by_role("button", name="Nhập hàng loạt").click()
    expect(page.get_by_test_id("run-state")).to_have_text("đang chờ")
    try:
        call_command("worker", "--batch", "--interval", "0")  # the worker beside the server
        # No reload: the page follows the run by itself (it refreshes every 2 s until the run is over).
        expect(page.get_by_test_id("run-state")).to_have_text("đã xong", timeout=20000)
        expect(page.get_by_test_id("run-created")).to_have_text("3")
        expect(page.get_by_test_id("run-progress")).to_have_attribute("value", "3")
        page.goto(f"{page.base_url}/tasks/notifications/")
        expect(page.get_by_text("Đã nhập xong 3 tệp: 3 văn bản mới")).to_be_visible()
        page.goto(f"{page.base_url}/docs/import/")
        expect(page.get_by_test_id("runs")).to_contain_text("đã xong")
    finally:
        Document.objects.filter(number__in=["31/KH-SVHTTDL", "32/KH-SVHTTDL", "33/KH-SVHTTDL"]).delete()
        Notice.objects.filter(kind="import_done").delete()
        DBTaskResult.objects.all().delete()
        ImportRun.objects.all().delete()
