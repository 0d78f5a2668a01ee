"""Whole pages kept for their reader: served again only to the same session while nothing has changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ttdn.accounts.models import User
from ttdn.core import pagecache
from ttdn.documents.models import Document

PAGE = "/docs/"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    caches[pagecache.CACHE].clear()
    translation.activate("vi")


def _signed_in(username: str, capture) -> Client:  # noqa: ANN001
    client = Client()
    with capture(execute=True):  # the login's own write (last_login) committed, as it is outside a test
        client.force_login(User.objects.get(username=username))
        client.get("/tasks/notifications/")  # the CSRF cookie set, as any first page does
    return client


def _get(client: Client, path: str = PAGE) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content, len(queries)


@pytest.mark.django_db
def test_the_same_reader_gets_the_same_bytes_until_a_write_commits(
    django_capture_on_commit_callbacks,
) -> None:  # noqa: ANN001
    client = _signed_in("cuc.canbo", django_capture_on_commit_callbacks)
    built, built_queries = _get(client)
    again, kept_queries = _get(client)
    assert again == built
    assert kept_queries == 3 < built_queries  # the session, the user, the versions
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.create(
            number="77/KH-PCTEST",
            doc_type="Kế hoạch",
            subject="Kế hoạch thử trang giữ sẵn",
            issued_on=dt.date(2026, 11, 30),
            text="x",
        )
    after, after_queries = _get(client)
    assert "77/KH-PCTEST" in after.decode() and "77/KH-PCTEST" not in built.decode()
    assert after_queries > kept_queries  # built again (its fragments too: how many depends on what was kept)


@pytest.mark.django_db
def test_another_reader_or_language_or_query_is_built_for_itself(django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    central = _signed_in("cuc.canbo", django_capture_on_commit_callbacks)
    unit = _signed_in("quangtri.canbo", django_capture_on_commit_callbacks)
    _get(central, "/")
    page, queries = _get(unit, "/")
    assert queries > 3
    assert "quangtri.canbo" in page.decode() or "Quảng Trị" in page.decode()
    _, queries = _get(central, "/?x=1")
    assert queries > 3
    central.cookies["django_language"] = "en"
    english, queries = _get(central, "/")
    assert queries > 3 and 'lang="en"' in english.decode()


@pytest.mark.django_db
def test_nothing_is_kept_while_this_transaction_has_written() -> None:
    client = Client()
    client.force_login(User.objects.get(username="cuc.canbo"))  # uncommitted: the test's own transaction
    client.get("/tasks/notifications/")
    _, first = _get(client)
    _, second = _get(client)
    assert first == second > 3


def _request(method: str = "get", **session: object):  # noqa: ANN202
    request = getattr(RequestFactory(), method)(PAGE)
    request.user = User.objects.get(username="cuc.canbo")
    request.session = SessionStore()
    for name, value in session.items():
        request.session[name] = value
    request.session.save()
    request.META["CSRF_COOKIE"] = "a" * 32
    return request


@pytest.mark.django_db
def test_which_requests_have_a_key(django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        plain = _request()
        posted = _request("post")
        in_session = _request(_messages='[["__json_message", 0, 25, "Đã lưu."]]')
        in_cookie = _request()
        in_cookie.COOKIES["messages"] = "x"
        no_cookie = _request()
        del no_cookie.META["CSRF_COOKIE"]
    assert pagecache.page_key(plain).startswith("ttdn:page:")
    assert pagecache.page_key(posted) == ""
    assert pagecache.page_key(in_session) == pagecache.page_key(in_cookie) == ""  # messages are shown once
    assert pagecache.page_key(no_cookie) == ""


def test_only_plain_html_pages_are_kept() -> None:
    assert pagecache._keepable(HttpResponse("<p>x</p>"))
    assert not pagecache._keepable(HttpResponse("x", status=404))
    assert not pagecache._keepable(HttpResponse("a,b", content_type="text/csv"))
    with_cookie = HttpResponse("<p>x</p>")
    with_cookie.set_cookie("k", "v")
    assert not pagecache._keepable(with_cookie)
