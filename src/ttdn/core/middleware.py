"""The input boundary and private pages.

``CleanInputMiddleware``: every query parameter and form field reaches the views without control characters (NUL
and the C0/C1 controls; a form's text keeps its line breaks and tabs), so none reaches a file, an export or the
database, whichever form or page forgot. ``PrivatePagesMiddleware``: a page shown to a signed-in user is not kept
by shared caches or the browser's history cache (``Cache-Control: private, no-store``) unless the view said how it
may be cached."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from ttdn.core.text import without_controls

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cleaned(data: QueryDict, *, keep_lines: bool) -> QueryDict | None:
    """A copy of ``data`` without control characters, or None when nothing had to change."""
    if not any(
        without_controls(k) != k or any(without_controls(v, keep_lines=keep_lines) != v for v in vs)
        for k, vs in data.lists()
    ):
        return None
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(without_controls(key), [without_controls(v, keep_lines=keep_lines) for v in values])
    clean._mutable = False
    return clean


class CleanInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = _cleaned(request.GET, keep_lines=False)
        if query is not None:
            request.GET = query
        if request.method == "POST" and request.content_type in FORMS:
            form = _cleaned(request.POST, keep_lines=True)
            if form is not None:
                request.POST = form
        return self.get_response(request)


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
