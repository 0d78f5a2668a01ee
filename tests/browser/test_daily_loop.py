"""The daily loop in a real browser, one test per finding of the officials' trial (issue 12): each fails on
the code before its fix."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_finding_1_a_report_citing_a_local_decision_is_kept(page) -> None:  # noqa: ANN001
    """Finding 1: a progress report naming "2150/QĐ-UBND" (a provincial decision the registry lacks) was
    refused ("Không tìm thấy văn bản") and lost. Now it is saved, the number kept as a citation; text that
    is no number is refused with what was typed kept."""
    from ttdn.documents.models import Document
    from ttdn.tasks.models import TaskOccurrence

    occurrence = (
        TaskOccurrence.objects.filter(task__lead__code="T45", completed_on__isnull=True).order_by("pk").last()
    )
    number = "2151/QĐ-UBND"
    Document.objects.filter(number=number).delete()
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/tasks/{occurrence.task_id}/?occ={occurrence.pk}")
    form = page.get_by_test_id("progress-form")
    form.locator("textarea[name=text]").fill("Ban hành Quy chế phát ngôn và cung cấp thông tin cho báo chí")
    form.locator("input[name=percent]").fill("80")
    form.locator("input[name=documents]").fill("quyết định tháng 5")
    form.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(page.locator(".msg-error")).to_contain_text("Không phải số, ký hiệu văn bản: quyết định tháng 5")
    expect(form.locator("textarea[name=text]")).to_have_value(
        "Ban hành Quy chế phát ngôn và cung cấp thông tin cho báo chí"
    )
    expect(form.locator("input[name=percent]")).to_have_value("80")
    form.locator("input[name=documents]").fill(number)
    form.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi nhận báo cáo tiến độ.")
    expect(page.get_by_test_id("entries")).to_contain_text(number)
    stub = Document.objects.get(number=number)
    assert stub.is_stub and stub.issuer is not None and stub.issuer.name == "Tỉnh Quảng Trị"
