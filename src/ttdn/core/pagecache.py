"""Whole pages kept for their reader (trang đã dựng sẵn) under the data versions.

A key page (the home page, the directory, the document list, the task lists, the tracking table, the plans) read
again by the same user, in the same session, in the same language, on the same day, with no change committed
to any app the site shows since, is answered from the cache with the bytes it had: no template is rendered
and no query runs beyond the session, the user and the one read of the versions. Any committed write, by any
process, changes the versions and so the key; a page is kept at most ``TIMEOUT`` seconds besides.

Nothing is kept or served:
* for a request other than GET, an anonymous visitor, or a session without a CSRF cookie yet;
* while flash messages wait to be shown (they are shown once);
* while this transaction has uncommitted writes (``versions.writing()``);
* for an answer other than a 200 HTML page, or one that sets its own cookies.

The key holds the user's id and session key, and the CSRF secret the page's forms were masked with, so a page
is only ever served to the browser it was built for."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from ttdn.core import versions

View = TypeVar("View", bound=Callable[..., HttpResponse])

# What pages show: every app's rows, the users and their notices.
READS = versions.TRACKED
TIMEOUT = 300
CACHE = "pages"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Content-Disposition")


def page_key(request: HttpRequest) -> str:
    """The cache key of this request's page, or "" when it must be built (see the module's rules)."""
    if request.method != "GET":
        return ""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    secret = request.META.get("CSRF_COOKIE")
    if user is None or not user.is_authenticated or session is None or not session.session_key or not secret:
        return ""
    if "messages" in request.COOKIES or "_messages" in session:
        return ""
    if versions.writing():
        return ""
    data = versions.current()
    key_text = repr(
        (
            request.get_full_path(),
            request.get_host(),
            user.pk,
            session.session_key,
            secret,
            get_language(),
            timezone.localdate().isoformat(),
            tuple((app, data.get(app, 0)) for app in sorted(READS)),
        )
    )
    return "ttdn:page:" + hashlib.sha256(key_text.encode()).hexdigest()


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def kept_page(view: View) -> View:
    """Serve ``view``'s page from the cache while nothing it could show has changed (under ``login_required``)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = page_key(request)
        if not key:
            return view(request, *args, **kwargs)
        store = caches[CACHE]
        found = store.get(key)
        if found is not None:
            content, headers = found
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            get_token(request)  # the CSRF cookie's expiry is renewed as a rendered form would
            return response
        response = view(request, *args, **kwargs)
        if _keepable(response) and page_key(request) == key:  # nothing written while it was built
            headers = [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)]
            store.set(key, (response.content, headers), TIMEOUT)
        return response

    return cast(View, wrapper)
