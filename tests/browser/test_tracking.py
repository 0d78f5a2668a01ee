"""The tracking table in a real browser: the 63/34 toggle and the downloads."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import needs_seeds

pytestmark = [pytest.mark.browser, needs_seeds]


def test_toggle_and_downloads(page) -> None:  # noqa: ANN001
    login(page, "cuc.canbo")
    page.get_by_role("navigation").get_by_role("link", name="Bảng theo dõi", exact=True).click()
    table = page.get_by_test_id("tracking-table")
    expect(table.locator("tbody tr")).to_have_count(63)
    expect(page.get_by_test_id("sentences")).to_contain_text("37/63 tỉnh, thành phố xây dựng Kế hoạch")
    expect(page.get_by_test_id("discrepancies")).to_contain_text("khai báo 6, đếm được 7")
    page.get_by_label("Quy về đơn vị hiện nay").check()
    page.click("form[data-testid=tracking-filters] button[type=submit]")
    expect(table.locator("tbody tr")).to_have_count(34)
    expect(page.get_by_test_id("sentences")).to_contain_text("/34 tỉnh, thành phố")
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)) == 34
    with page.expect_download() as info:
        page.get_by_test_id("export-docx").click()
    document = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert len(document.tables[0].rows) == 2 + 34 + 1
