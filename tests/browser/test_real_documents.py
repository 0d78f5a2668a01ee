"""Documents as they really arrive, in a real browser: a crawler's hard-wrapped text with emphasis and table pipes is
imported, its duties are reviewed beside the text as it arrived; search finds words of a document's body; the
tracking import says where a letter contradicts its own table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import needs_seeds
from tests.documents.test_forms import WITH_HEADER, Form, relay

pytestmark = pytest.mark.browser

# The provincial directive of the tests as a crawler stores it: wrapped at 78 columns, header cells between pipes,
# headings in ** emphasis, "+" bullets.
CRAWLED = relay(
    WITH_HEADER,
    Form(
        width=78, blank=True, glyph="+", emphasis=True, pipes=True, clutter=True, crlf=False, odd_spaces=False
    ),
).replace("07/CT-UBND", "19/CT-UBND")


def test_a_crawled_directive_is_read_and_reviewed_beside_the_text_as_it_arrived(page) -> None:  # noqa: ANN001
    from ttdn.documents.models import Document

    Document.objects.filter(number="19/CT-UBND").delete()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/docs/import/")
    page.fill("textarea[name=text]", CRAWLED)
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_test_id("pv-number")).to_have_text("19/CT-UBND")
    expect(page.get_by_test_id("pv-date")).to_have_text("15/03/2024")
    page.get_by_role("button", name="Lưu vào sổ").click()
    expect(page.get_by_test_id("doc-title")).to_have_text("Chỉ thị 19/CT-UBND")
    page.get_by_test_id("review-link").click()
    page.get_by_role("button", name="Trích xuất nhiệm vụ").click()
    expect(page.locator(".messages")).to_contain_text("Đã trích xuất 15 nhiệm vụ")
    text = page.get_by_test_id("doc-text")
    expect(text).not_to_contain_text("**")  # the normalised text: no markup, lines rejoined
    expect(text).to_contain_text(
        "Tổng hợp kế hoạch thông tin đối ngoại của các cơ quan, đơn vị, địa phương, tham mưu"
    )
    page.get_by_test_id("view-original").click()
    original = page.get_by_test_id("doc-text")
    expect(original).to_contain_text("**")  # the text as it arrived
    duty = page.locator("[data-testid=duty][data-section='1.(2)']")
    mark = page.locator(f"#clause-{duty.get_attribute('id').split('-')[1]}")
    expect(mark).to_contain_text("Tổng hợp kế hoạch")
    assert "\n" in mark.inner_text()  # the clause, highlighted across the crawler's line breaks
    expect(duty.locator("input[name$=assignee]")).to_have_value("Sở Thông tin và Truyền thông")
    page.get_by_role("link", name="Xem văn bản đã chuẩn hoá").click()
    expect(page.get_by_test_id("view-original")).to_be_visible()
    Document.objects.filter(number="19/CT-UBND").delete()


@needs_seeds
def test_search_finds_words_of_a_body(page) -> None:  # noqa: ANN001
    login(page, "bng.xem")
    page.goto(f"{page.base_url}/docs/?q=bien+phong")
    box = page.get_by_test_id("found-in-text")
    expect(box).to_contain_text("212/BTTTT-TTĐN")  # through its tracking table ("BĐBP", "Bộ đội Biên phòng")
    expect(box.locator(".excerpt").first).to_be_visible()
    page.get_by_test_id("search-text").click()
    expect(page.get_by_test_id("scope")).to_have_value("text")
    expect(page.get_by_test_id("doc-results")).to_contain_text("212/BTTTT-TTĐN")


@needs_seeds
def test_the_letter_against_its_own_table(page) -> None:  # noqa: ANN001
    from tests.reporting.test_tracking_engine import SEEDS

    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/reporting/tracking/import/")
    page.set_input_files("input[name=file]", str(next(SEEDS.glob("000_*.txt"))))
    page.get_by_role("button", name="Kiểm tra").click()
    claims = page.get_by_test_id("claim-discrepancies")
    expect(claims).to_be_visible()
    expect(page.get_by_test_id("tracking-check")).to_contain_text("8/63 tỉnh, thành phố ban hành Quy chế")
    expect(page.get_by_test_id("tracking-check")).to_contain_text("9/63")
