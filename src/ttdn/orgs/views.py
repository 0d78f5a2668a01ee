"""Body directory pages: thin views over ``selectors`` and ``services``."""

from __future__ import annotations

import csv

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.core.dates import format_date
from ttdn.core.pagecache import kept_page
from ttdn.core.sheets import safe
from ttdn.core.versions import counted, fragment_key, remember
from ttdn.orgs import selectors, services
from ttdn.orgs.forms import ContactForm, DirectoryFilterForm
from ttdn.orgs.models import OrgKind, OrgUnit, OrgUnitQuerySet
from ttdn.orgs.scope import can_edit_unit, can_see_audit, in_scope, users_of

PAGE_SIZE = 100
QUICK_DATES = ("31/12/2012", "31/12/2024", "01/07/2025")


def _unit_or_404(code: str) -> OrgUnit:
    try:
        return selectors.get_unit(code)
    except selectors.UnknownUnit as exc:
        raise Http404(code) from exc


def _filters(request: HttpRequest) -> tuple[DirectoryFilterForm, dict[str, object]]:
    """The directory's filter form, validated, and its values with defaults for what failed."""
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form, form.values()


def _units(values: dict[str, object]) -> OrgUnitQuerySet:
    parent = values["parent"]
    return selectors.list_units(
        as_of=values["as_of"],  # type: ignore[arg-type]
        kind=str(values["kind"]),
        query=str(values["q"]),
        sort=str(values["sort"]),
        parent=parent.code if isinstance(parent, OrgUnit) else "",
    )


@login_required
@kept_page
def directory(request: HttpRequest) -> HttpResponse:
    form, values = _filters(request)
    context: dict[str, object] = {
        "form": form,
        "values": values,
        "as_of_text": format_date(values["as_of"]),
        "quick_dates": QUICK_DATES,
        "kind_labels": dict(OrgKind.choices),  # looked up, not asked of each row
        "columns": [
            ("code", _("Mã")),
            ("name", _("Tên đơn vị")),
            ("kind", _("Loại")),
            ("", _("Cấp trên")),
            ("valid_from", _("Hiệu lực")),
        ],
    }
    if values["view"] == "tree" and not values["q"] and not values["parent"]:
        context["groups"] = remember(
            "org-tree",
            (values["as_of"], values["kind"]),
            lambda: _tree(values["as_of"], values["kind"]),
            reads=READS,
        )
    else:
        units = counted(_units(values), name="org-count", parts=[repr(sorted(values.items()))], reads=READS)
        page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, total=page.paginator.count)
        if values["q"]:
            context["former"] = selectors.not_valid_matches(values["q"], values["as_of"], kind=values["kind"])
    context["fragment"] = fragment_key(
        "org-directory", (sorted(request.GET.lists()), values["as_of"]), reads=READS
    )
    return render(request, "orgs/directory.html", context)


READS = ("orgs",)  # the directory shows the registry alone
TREE_KIND_ORDER = [
    OrgKind.MINISTRY,
    OrgKind.MINISTERIAL_AGENCY,
    OrgKind.GOVERNMENT_AGENCY,
    OrgKind.CENTRAL,
    OrgKind.PROVINCE,
    OrgKind.PRESS,
    OrgKind.OTHER,
]


def _tree(as_of, kind: str) -> list[tuple[str, list[tuple[OrgUnit, list[OrgUnit]]]]]:  # noqa: ANN001
    """Top-level bodies grouped by kind (ministries first, then agencies, then provinces), with their sub-units."""
    roots = selectors.roots(as_of)
    if kind:
        roots = roots.filter(kind=kind)
    groups: dict[str, list[tuple[OrgUnit, list[OrgUnit]]]] = {}
    ordered = list(roots.order_by("sort_key"))
    kids = selectors.children_of(ordered, as_of, kinds_excluded=(OrgKind.COMMUNE,))
    for root in ordered:
        groups.setdefault(root.kind, []).append((root, kids[root.pk]))
    order = {k: i for i, k in enumerate(TREE_KIND_ORDER)}
    return [(OrgKind(k).label, groups[k]) for k in sorted(groups, key=lambda k: order.get(k, len(order)))]


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    _form, values = _filters(request)
    units = _units(values)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="don-vi-{values["as_of"]:%Y%m%d}.csv"'
    response.write("\ufeff")  # lets Excel read UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Mã"), _("Tên"), _("Loại"), _("Đơn vị cấp trên"), _("Hiệu lực từ"), _("Hiệu lực đến")])
    for unit in units.iterator(chunk_size=1000):
        writer.writerow(
            [
                safe(unit.code, csv=True),
                safe(unit.name, csv=True),
                safe(unit.get_kind_display(), csv=True),
                safe(unit.parent.name if unit.parent else "", csv=True),
                safe(format_date(unit.valid_from), csv=True),
                safe(format_date(unit.valid_to), csv=True),
            ]
        )
    return response


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(code)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "today": today,
        "valid_today": unit.is_valid_on(today),
        "successors_today": selectors.successors(unit, today),
        "predecessors": selectors.predecessors(unit),
        "history": selectors.history(unit),
        "children": selectors.children(unit, None, kinds_excluded=(OrgKind.COMMUNE,)),
        "commune_count": unit.children.filter(kind=OrgKind.COMMUNE).count(),
        "designations": selectors.designations_of(unit),
        "standing": selectors.standing_department(unit, today) if unit.kind == OrgKind.PROVINCE else None,
        "can_see_private": in_scope(request.user, unit),
        "can_see_audit": can_see_audit(request.user),
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def unit_private(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(code)
    if not in_scope(request.user, unit):
        raise PermissionDenied
    editable = can_edit_unit(request.user, unit)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ContactForm(request.POST, instance=OrgUnit.objects.get(pk=unit.pk))
        if form.is_valid():
            services.update_contact(
                request.user, unit, {f: form.cleaned_data[f] for f in services.CONTACT_FIELDS}
            )
            messages.success(request, _("Đã lưu thông tin liên hệ."))
            return redirect("orgs:private", code=unit.code)
        messages.error(request, _("Chưa lưu: hãy sửa các ô được đánh dấu."))
    else:
        form = ContactForm(instance=unit)
    context = {"unit": unit, "form": form, "editable": editable, "users": users_of(request.user, unit)}
    return render(request, "orgs/unit_private.html", context, status=400 if form.errors else 200)


@login_required
def unit_audit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(code)
    if not can_see_audit(request.user):
        raise PermissionDenied
    entries = LogEntry.objects.get_for_object(unit).select_related("actor").order_by("-timestamp")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/unit_audit.html", {"unit": unit, "page": page})
