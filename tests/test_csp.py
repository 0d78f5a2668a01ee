"""The Content-Security-Policy: every response carries it, and no template needs what it forbids (an inline
<script>, an on...= handler, a style= attribute), so the pages work under it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import login

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "ttdn" / "templates"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# An event handler attribute inside a tag (onclick=, onsubmit=...), not data-confirm= or action=.
HANDLER = re.compile(r"<[^>]*(?<![\w-])on[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE = re.compile(r"<style\b|(?<![\w-])style\s*=", re.IGNORECASE)


def _templates() -> list[Path]:
    found = sorted(TEMPLATES.rglob("*.html"))
    assert len(found) > 40, "the templates folder moved"
    return found


def test_the_checks_find_what_they_look_for() -> None:
    """The patterns below would catch the old forms of the pages."""
    assert HANDLER.search("""<button type="submit" onclick="return confirm('x')">""")
    assert HANDLER.search("""<form method="post"\n  onsubmit="return confirm('x')">""")
    assert not HANDLER.search("""<button data-confirm="x" name="action" value="unlock">""")
    assert not HANDLER.search("""<p>Đơn vị phối hợp (mỗi dòng một đơn vị): onsite=1</p>""")
    assert SCRIPT_TAG.search("<script>alert(1)</script>").group(1).strip() == ""
    assert STYLE.search('<span style="width:40%">') and STYLE.search("<style>body{}</style>")
    assert not STYLE.search('<link rel="stylesheet" href="/static/ttdn/app.css">')


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_scripts_handlers_or_styles(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    handler = HANDLER.search(text)
    assert handler is None, (
        f"an inline handler: {handler.group(0)[-80:]!r}; use data-confirm or static/ttdn/app.js"
    )
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes, "an inline <script>: move it into static/ttdn/app.js"
    style = STYLE.search(text)
    assert style is None, f"an inline style near {text[max(0, style.start() - 60) : style.end() + 20]!r}"
    assert "javascript:" not in text.lower()


def test_the_base_template_loads_the_static_script() -> None:
    text = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert """<script src="{% static 'ttdn/app.js' %}" defer></script>""" in text
    assert (TEMPLATES.parent / "static" / "ttdn" / "app.js").is_file()


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def _patterns(resolvers: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry.url_patterns, namespace)
        elif entry.name:
            yield f"{prefix}{entry.name}", entry


def _samples() -> dict[str, Callable[[], list[str]]]:
    """Arguments for the site's pages that take some, from the demo data."""
    from ttdn.core.models import Attachment
    from ttdn.documents.models import Document, ImportRun, Relation
    from ttdn.monitoring.models import Alert, Claim, EntryRun, Item, Source
    from ttdn.notices.models import Notice
    from ttdn.plans.models import Plan
    from ttdn.reporting.models import ReportForm, Submission
    from ttdn.tasks.models import Task

    def document() -> list[str]:
        return [str(Document.objects.order_by("pk").first().pk)]

    def plan() -> list[str]:
        return [str(Plan.objects.order_by("pk").first().pk)]

    def period() -> list[str]:
        sub = Submission.objects.select_related("form").order_by("pk").first()
        return [sub.form.code, sub.period]

    def submission() -> list[str]:
        sub = Submission.objects.select_related("form", "unit").order_by("pk").first()
        return [sub.form.code, sub.period, sub.unit.code]

    def first_pk(model: type) -> Callable[[], list[str]]:
        # A missing row still gives a page (a 404), which must carry the header too.
        return lambda: [str(getattr(model.objects.order_by("pk").first(), "pk", 999_999))]

    assert ReportForm.objects.exists()
    return {
        "attachment": first_pk(Attachment),
        "documents:import_run": first_pk(ImportRun),
        "documents:import_preview": lambda: ["no-such-token"],
        "documents:import_save": lambda: ["no-such-token"],
        "documents:import_cancel": lambda: ["no-such-token"],
        "documents:relation_delete": first_pk(Relation),
        "documents:detail": document,
        "documents:edit": document,
        "documents:reparse": document,
        "documents:relation_add": document,
        "documents:source": document,
        "tasks:detail": first_pk(Task),
        "tasks:review": document,
        "tasks:calendar": lambda: ["T44-2025"],
        "tasks:notification": first_pk(Notice),
        "plans:detail": plan,
        "plans:docx": plan,
        "plans:xlsx": plan,
        "plans:actual": plan,
        "reporting:period": period,
        "reporting:totals": period,
        "reporting:submission": submission,
        "reporting:tracking_export": lambda: ["xlsx"],
        "orgs:detail": lambda: ["T44-2025"],
        "orgs:private": lambda: ["T44-2025"],
        "orgs:audit": lambda: ["T44-2025"],
        "monitoring:item": first_pk(Item),
        "monitoring:source": first_pk(Source),
        "monitoring:source_action": first_pk(Source),
        "monitoring:alert": first_pk(Alert),
        "monitoring:claim": first_pk(Claim),
        "monitoring:run": first_pk(EntryRun),
    }


def _site_urls() -> list[str]:
    """Every page of the site (the admin and the language switch aside), with demo arguments where needed."""
    samples = _samples()
    urls = []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if name.startswith(("admin:", "set_language")):
            continue
        if pattern.pattern.regex.groups:
            assert name in samples, f"{name}: add sample arguments so its responses are checked"
            urls.append(reverse(name, args=samples[name]()))
        else:
            urls.append(reverse(name))
    return urls


def _assert_policy(response, url: str) -> None:  # noqa: ANN001
    header = response.get("Content-Security-Policy")
    assert header, f"{url} ({response.status_code}) has no Content-Security-Policy"
    assert _directives(header) == POLICY, f"{url}: {header}"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["cuc.canbo", "quangtri.canbo"])
def test_every_page_carries_the_policy(username: str) -> None:
    client = login(username)
    urls = _site_urls()
    assert len(urls) > 40
    statuses = set()
    for url in [*urls, "/no-such-page/", "/docs/999999/"]:
        response = client.get(url)
        statuses.add(response.status_code)
        _assert_policy(response, url)
    assert 200 in statuses and 404 in statuses  # pages, files and refusals alike


@pytest.mark.django_db
def test_signed_out_pages_redirects_and_posts_carry_the_policy() -> None:
    from django.test import Client

    client = Client()
    for url in ["/login/", "/", "/tasks/", "/admin/login/"]:
        _assert_policy(client.get(url), url)
    wrong = client.post("/login/", {"username": "cuc.canbo", "password": "not the password"})
    _assert_policy(wrong, "/login/ (a wrong password)")
    signed_in = client.post("/login/", {"username": "cuc.canbo", "password": _demo_password()})
    assert signed_in.status_code == 302
    _assert_policy(signed_in, "/login/ (signed in)")


def _demo_password() -> str:
    from ttdn.site.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


@pytest.mark.django_db
def test_the_admin_pages_carry_the_policy_too() -> None:
    """The admin is not exempted: Django 5.2's admin has no inline script or handler."""
    client = login("quantri")
    admin_urls = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/orgs/orgunit/"]
    for url in admin_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_policy(response, url)
