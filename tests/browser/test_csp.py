"""The pages under the Content-Security-Policy in a real browser: no violation and no console error on the
key pages, the admin's and the pages whose scripts moved into static/ttdn/app.js; a confirmation still asks
before a destructive action, and cancelling it sends nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import needs_seeds

pytestmark = pytest.mark.browser

# Registered before any page script: every violation of the policy is handed to the test.
WATCH_VIOLATIONS = """
window.seenViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.seenViolations.push(e.violatedDirective);
  window.reportViolation([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber].join(" "));
});
"""


class Watch:
    """What went wrong in a page: violations of the policy, console errors and uncaught exceptions."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.problems: list[str] = []
        page.expose_function("reportViolation", lambda text: self.problems.append(f"violation: {text}"))
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        page.on("response", self._response)

    def _console(self, message) -> None:  # noqa: ANN001
        # A failed load is reported with its address by _response (the console message has none).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _response(self, response) -> None:  # noqa: ANN001
        # The browser asks for /favicon.ico by itself; the site has none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status}: {response.url}")


def _visit(page, watch: Watch, path: str) -> None:  # noqa: ANN001
    response = page.goto(f"{page.base_url}{path}")
    assert response is not None and response.status == 200, path
    policy = {part.strip() for part in response.headers.get("content-security-policy", "").split(";")}
    assert {"default-src 'self'", "script-src 'self'", "style-src 'self'"} <= policy, path
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(requestAnimationFrame)")  # app.js (deferred) has run
    assert watch.problems == [], f"{path}: {watch.problems}"


def test_the_watch_sees_a_violation(page) -> None:  # noqa: ANN001
    """The listener works: an inline script added to a page is refused and reported."""
    watch = Watch(page)
    login(page, "cuc.canbo")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                   document.body.appendChild(s); }"""
    )
    page.wait_for_function("() => window.seenViolations.length > 0")
    assert page.evaluate("() => window.ran") is None  # the inline script did not run
    page.evaluate("() => new Promise(requestAnimationFrame)")
    assert any(p.startswith("violation: script-src") for p in watch.problems), watch.problems


@needs_seeds  # the demo's documents and directive come from the seeds
def test_key_pages_and_moved_scripts_raise_no_violation(page) -> None:  # noqa: ANN001
    from ttdn.documents.models import Document, Relation
    from ttdn.plans.models import Plan
    from ttdn.reporting.models import Submission
    from ttdn.tasks.models import Duty, Task

    watch = Watch(page)
    _visit(page, watch, "/login/")
    login(page, "cuc.canbo")
    document = Document.objects.filter(pk__in=Duty.objects.values("document")).order_by("pk").first()
    related = Relation.objects.order_by("pk").first()
    submission = Submission.objects.select_related("form", "unit").order_by("pk").first()
    paths = [
        "/",
        "/docs/",
        "/docs/import/",
        f"/docs/{document.pk}/",
        f"/docs/{related.source_id}/",
        "/tasks/",
        f"/tasks/{Task.objects.order_by('pk').first().pk}/",
        f"/tasks/review/{document.pk}/",
        "/tasks/overdue/",
        "/tasks/notifications/",
        "/plans/",
        f"/plans/{Plan.objects.order_by('pk').first().pk}/",
        "/plans/national/",
        "/reporting/",
        "/reporting/tracking/",
        f"/reporting/forms/{submission.form.code}/{submission.period}/{submission.unit.code}/",
        "/orgs/",
    ]
    for path in paths:
        _visit(page, watch, path)
    page.goto(f"{page.base_url}/tasks/")
    bar = page.locator("progress.progressbar").first  # the progress bar is a <progress>, not a styled span
    expect(bar).to_have_attribute("max", "100")
    assert re.fullmatch(r"\d+", bar.get_attribute("value") or "")


def test_the_admin_pages_raise_no_violation(page) -> None:  # noqa: ANN001
    from ttdn.accounts.models import User
    from ttdn.orgs.models import OrgUnit

    watch = Watch(page)
    login(page, "quantri")
    for path in [
        "/admin/",
        f"/admin/accounts/user/{User.objects.get(username='quangtri.canbo').pk}/change/",
        "/admin/orgs/orgunit/?kind__exact=province",
        f"/admin/orgs/orgunit/{OrgUnit.objects.get(code='T44-2025').pk}/change/",
        "/admin/auditlog/logentry/",
        "/admin/accounts/user/",
    ]:
        _visit(page, watch, path)
    page.locator("#action-toggle").check()  # the admin's own scripts run under the policy: all rows ticked
    expect(page.locator("#result_list tbody input.action-select:not(:checked)")).to_have_count(0)
    assert watch.problems == []


@needs_seeds  # the demo's documents and directive come from the seeds
def test_clause_highlighting_still_works(page) -> None:  # noqa: ANN001
    """Moved from the review page's inline script: focusing a duty's card highlights its clause."""
    from ttdn.tasks.models import Duty, DutyState

    duty = Duty.objects.filter(state=DutyState.ISSUED, document__number="21/CT-TTg").order_by("pk").first()
    assert duty is not None, "the demo's directive has its duties issued"
    Duty.objects.filter(pk=duty.pk).update(state=DutyState.PROPOSED)  # back in review for this test
    try:
        watch = Watch(page)
        login(page, "cuc.canbo")
        _visit(page, watch, f"/tasks/review/{duty.document_id}/")
        page.locator(f"#duty-{duty.pk}").locator("textarea, input:not([type=hidden])").first.click()
        expect(page.locator(f"#clause-{duty.pk}")).to_have_class(re.compile(r"\bactive\b"))
        assert watch.problems == []
    finally:
        Duty.objects.filter(pk=duty.pk).update(state=DutyState.ISSUED)


def _ask_twice(page, button, question: str, posting_to: re.Pattern) -> list[str]:  # noqa: ANN001
    """Click ``button`` twice: dismiss the confirmation, then accept it; the posts go to a stand-in (the
    demo data stays as it is). Returns the bodies posted: the dismissed click must have sent none."""
    posted: list[str] = []

    def stand_in(route) -> None:  # noqa: ANN001
        if route.request.method == "POST":
            posted.append(route.request.post_data or "")
            route.fulfill(status=200, content_type="text/html", body="<p id=posted>posted</p>")
        else:
            route.continue_()

    page.route(posting_to, stand_in)
    asked: list[str] = []

    def answer(accept: bool):  # noqa: ANN202
        def handle(dialog) -> None:  # noqa: ANN001
            asked.append(f"{dialog.type}: {dialog.message}")
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    button.click()
    assert asked == [f"confirm: {question}"]
    expect(button).to_be_visible()  # still the same page
    page.once("dialog", answer(True))
    button.click()
    expect(page.locator("#posted")).to_have_text("posted")
    assert asked == [f"confirm: {question}"] * 2
    return posted


@needs_seeds  # the demo's documents and directive come from the seeds
def test_a_confirmation_still_asks_and_cancelling_sends_nothing(page) -> None:  # noqa: ANN001
    """data-confirm on a button: reopening a completed task asks first; dismissed, nothing is posted."""
    from ttdn.tasks.models import TaskOccurrence

    occurrence = (
        TaskOccurrence.objects.filter(completed_on__isnull=False, task__lead__code="T45")
        .order_by("pk")
        .first()
    )
    assert occurrence is not None, "the demo data has a completed task of (the former) Quảng Trị"
    watch = Watch(page)
    login(page, "quangtri.lanhdao")
    _visit(page, watch, f"/tasks/{occurrence.task_id}/?occ={occurrence.pk}")
    button = page.get_by_role("button", name="Mở lại")
    posted = _ask_twice(page, button, "Mở lại nhiệm vụ đã hoàn thành?", re.compile(r".*/tasks/\d+/.*"))
    assert len(posted) == 1 and "action=reopen" in posted[0]  # the accepted click only
    occurrence.refresh_from_db()
    assert occurrence.completed_on is not None
    assert watch.problems == []


def test_a_form_level_confirmation_asks_too(page) -> None:  # noqa: ANN001
    """data-confirm on the form (deleting a relation between documents): dismissed, nothing is posted."""
    from ttdn.documents.models import Relation

    relation = Relation.objects.order_by("pk").first()
    assert relation is not None
    watch = Watch(page)
    login(page, "cuc.canbo")
    _visit(page, watch, f"/docs/{relation.source_id}/")
    form = page.locator(f"form[action$='/relations/{relation.pk}/delete/']")
    form.locator("xpath=ancestor::details").evaluate("(d) => { d.open = true; }")
    button = form.get_by_role("button", name="Xóa")
    posted = _ask_twice(page, button, "Xóa quan hệ này?", re.compile(r".*/relations/\d+/delete/$"))
    assert len(posted) == 1 and "csrfmiddlewaretoken=" in posted[0]
    assert Relation.objects.filter(pk=relation.pk).exists()
    assert watch.problems == []
