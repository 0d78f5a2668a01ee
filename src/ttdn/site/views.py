"""Pages that belong to no one app: the home page of each role, error pages in the user's language
(Vietnamese by default) and the download of an evidence file."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ttdn.accounts.models import Role
from ttdn.core.models import Attachment
from ttdn.core.pagecache import kept_page
from ttdn.core.versions import RECORDS, remember
from ttdn.core.worklist import APPROVE, DO, ordered
from ttdn.documents import selectors as documents
from ttdn.orgs import selectors
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.scope import can_edit_unit, in_scope, is_central


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
    item = get_object_or_404(Attachment.objects.select_related("unit"), pk=pk)
    if not in_scope(request.user, item.unit):
        raise PermissionDenied
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(item.name) from exc
    return FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)


@login_required
@kept_page
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    unit: OrgUnit | None = user.org_unit
    context: dict[str, object] = {
        "today": today,
        "unit": unit,
        "central": is_central(user),
        "role": Role(user.role),
        "central_department": selectors.central_department(today),
        "can_edit": bool(unit and can_edit_unit(user, unit)),
    }
    if context["central"]:
        context.update(remember("home-central", (today,), lambda: _central_figures(today), reads=RECORDS))
    context["recent_documents"] = list(documents.list_documents(include_stubs=False)[:5])
    if unit is not None:
        context["standing"] = (
            selectors.standing_department(unit, today) if unit.kind == OrgKind.PROVINCE else None
        )
        context["unit_predecessors"] = selectors.predecessors(unit)
    # the user's own lists, kept until the records they come from change
    context.update(
        remember(
            "home-worklists",
            (user.pk, user.role, user.org_unit_id, today),
            lambda: _worklists(user, today),
            reads=RECORDS,
        )
    )
    template = _template_for(user.role, bool(context["central"]))
    if template == "analyst":
        from ttdn.monitoring.selectors import summary

        context["monitoring"] = summary(user)
    return render(request, f"home/{template}.html", context)


def _central_figures(today: dt.date) -> dict[str, object]:
    """The centre's home figures: bodies by kind today, documents with text, regulations on an expired basis."""
    kinds = (
        OrgKind.PROVINCE,
        OrgKind.MINISTRY,
        OrgKind.MINISTERIAL_AGENCY,
        OrgKind.GOVERNMENT_AGENCY,
        OrgKind.COMMUNE,
    )
    return {
        "counts": [
            (str(OrgKind(k).label), selectors.list_units(as_of=today, kind=k).count(), k) for k in kinds
        ],
        "documents_total": documents.list_documents(include_stubs=False).count(),
        "expired_basis_count": len(documents.regulations_on_expired_basis(today)),
    }


def _worklists(user: object, today: object) -> dict[str, object]:
    """Việc cần phê duyệt and việc cần làm, gathered from each app's own worklist (oldest first)."""
    from ttdn.plans import selectors as plans
    from ttdn.reporting import selectors as reporting
    from ttdn.tasks import selectors as tasks

    items = [*reporting.worklist(user), *plans.worklist(user), *tasks.worklist(user, today=today)]
    return {
        "to_approve": ordered([i for i in items if i.kind == APPROVE]),
        "to_do": ordered([i for i in items if i.kind == DO]),
    }


def _template_for(role: str, central: bool) -> str:
    if role == Role.ADMIN:
        return "admin"
    if role == Role.ANALYST:
        return "analyst"
    if central:
        return "central"
    if role in (Role.UNIT_OFFICER, Role.UNIT_LEADER):
        return "unit"
    return "viewer"
