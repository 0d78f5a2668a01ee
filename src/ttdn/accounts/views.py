"""Home page per role (a shell that later features fill)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ttdn.accounts.models import Role
from ttdn.accounts.selectors import can_edit_unit, is_central
from ttdn.orgs import selectors
from ttdn.orgs.models import OrgKind, OrgUnit


@login_required
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
        counts = {
            kind: selectors.list_units(as_of=today, kind=kind).count()
            for kind in (
                OrgKind.PROVINCE,
                OrgKind.MINISTRY,
                OrgKind.MINISTERIAL_AGENCY,
                OrgKind.GOVERNMENT_AGENCY,
                OrgKind.COMMUNE,
            )
        }
        context["counts"] = [(OrgKind(k).label, n, k) for k, n in counts.items()]
    from ttdn.documents import selectors as documents

    context["recent_documents"] = list(documents.list_documents(include_stubs=False)[:5])
    context["documents_total"] = None
    if context["central"]:
        context["documents_total"] = documents.list_documents(include_stubs=False).count()
        context["expired_basis_count"] = len(documents.regulations_on_expired_basis(today))
    if unit is not None:
        context["standing"] = (
            selectors.standing_department(unit, today) if unit.kind == OrgKind.PROVINCE else None
        )
        context["unit_predecessors"] = selectors.predecessors(unit)
    return render(request, f"home/{_template_for(user.role, bool(context['central']))}.html", context)


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
