"""Error pages in the user's language (Vietnamese by default)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may lie in them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file: anyone whose scope covers the body it belongs to."""
    from ttdn.accounts.selectors import in_scope
    from ttdn.core.models import Attachment

    item = get_object_or_404(Attachment.objects.select_related("unit"), pk=pk)
    if not in_scope(request.user, item.unit):
        raise PermissionDenied
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(item.name) from exc
    return FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
