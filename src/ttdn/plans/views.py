"""Plan pages: the list with lateness, a plan with its activities, budget and cycle, exports, plan versus
actual (for a body and, at the centre, every province), anniversaries, dedicated posts and courses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ttdn.core import letters
from ttdn.core.dates import parse_date
from ttdn.core.downloads import attachment, sheet
from ttdn.core.pagecache import kept_page
from ttdn.core.text import as_id, file_slug
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.scope import in_scope, is_central
from ttdn.orgs.selectors import centre_letterhead
from ttdn.plans import exports, selectors, services
from ttdn.plans.forms import ActivityForm, ResultForm
from ttdn.plans.models import (
    Activity,
    ActivityCategory,
    BudgetSource,
    Plan,
    PlanState,
    ResultStatus,
    StaffPost,
    TrainingCourse,
)

STEP_LABELS = {
    "create": gettext_lazy("tạo"),
    "submit": gettext_lazy("gửi"),
    "return": gettext_lazy("trả lại"),
    "consolidate": gettext_lazy("tổng hợp"),
    "merge": gettext_lazy("gộp hoạt động"),
    "approve": gettext_lazy("phê duyệt"),
    "send": gettext_lazy("gửi Cục"),
}


def _year(raw: str | None, default: int) -> int:
    try:
        year = int(raw or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _date(raw: str | None):  # noqa: ANN202
    if not raw or not raw.strip():
        return None
    try:
        return parse_date(raw.strip())
    except ValueError as exc:
        raise ValidationError(_("Ngày không hợp lệ: %(d)s (dùng dd/mm/yyyy).") % {"d": raw}) from exc


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.visible_plans(request.user).filter(pk=pk).first()
    if plan is None:
        if Plan.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return plan


@login_required
@kept_page
def plan_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    if request.method == "POST":
        unit = request.user.org_unit
        try:
            if unit is None:
                raise PermissionDenied
            plan = services.create_plan(
                request.user,
                unit,
                _year(request.POST.get("year"), year),
                number=request.POST.get("number", ""),
            )
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plans:detail", pk=plan.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    plans = list(
        selectors.visible_plans(request.user)
        .filter(year=year)
        .order_by("unit__parent__sort_key", "unit__sort_key")
    )
    rules = selectors.deadline_rules()
    rows = [(plan, selectors.deadline(plan, rules), selectors.lateness(plan, today, rules)) for plan in plans]
    own = request.user.org_unit
    context = {
        "rows": rows,
        "year": year,
        "years": range(today.year + 1, today.year - 6, -1),
        "today": today,
        "can_create": own is not None
        and request.user.role in ("unit_officer", "unit_leader")
        and not any(p.unit_id == own.pk for p in plans),
        "is_central": is_central(request.user),
        "states": PlanState.choices,
    }
    return render(request, "plans/list.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    today = timezone.localdate()
    refused: tuple[int | None, ActivityForm] | None = None  # the activity form sent back with its messages
    if request.method == "POST":
        if request.POST.get("action") == "save_activity":
            done, refused = _save_activity(request, plan)
            if done is not None:
                return done
        else:
            try:
                message = _action(request, plan)
                messages.success(request, message)
                return redirect(reverse("plans:detail", args=[plan.pk]) + request.POST.get("anchor", ""))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        plan.refresh_from_db()
    user = request.user
    groups = selectors.activities_by_category(plan)
    can_edit = services.can_edit(user, plan)
    activity_forms = (
        {a.pk: ActivityForm.of(a) for _c, activities in groups for a in activities} if can_edit else {}
    )
    add_form = ActivityForm()
    if refused is not None:
        key, form = refused
        if key is None:
            add_form = form
        else:
            activity_forms[key] = form
    context = {
        "plan": plan,
        "groups": groups,
        "activity_forms": activity_forms,
        "add_form": add_form,
        "totals": selectors.budget_totals(plan),
        "deadline": selectors.deadline(plan),
        "late": selectors.lateness(plan, today),
        "is_unit_plan": services.is_unit_plan(plan),
        "categories": ActivityCategory.objects.all(),
        "sources": BudgetSource.choices,
        "steps": [(s, STEP_LABELS.get(s.action, s.action)) for s in plan.steps.select_related("user")],
        "can_edit": can_edit,
        "can_submit": services.can_submit(user, plan),
        "can_consolidate": services.can_consolidate(user, plan),
        "can_approve": services.can_approve(user, plan),
        "can_send": services.can_send(user, plan),
        "can_return": services.can_return(user, plan),
        "pending_units": Plan.objects.filter(
            unit__parent=plan.unit, year=plan.year, state=PlanState.SUBMITTED
        ).select_related("unit"),
        "sources_in": plan.sources.select_related("unit"),
        "bases": plan.bases.all(),
        "base_numbers": ", ".join(d.number for d in plan.bases.all()),
    }
    return render(request, "plans/detail.html", context, status=400 if request.method == "POST" else 200)


def _errors_said(form: forms.Form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


def _save_activity(
    request: HttpRequest, plan: Plan
) -> tuple[HttpResponse | None, tuple[int | None, ActivityForm]]:
    """Add or change an activity; refused, the form comes back as typed with its messages."""
    post = request.POST
    activity = (
        get_object_or_404(Activity, pk=as_id(post["activity"]) or 0, plan=plan)
        if post.get("activity")
        else None
    )
    form = ActivityForm(post)
    if form.is_valid():
        try:
            saved = services.save_activity(
                request.user, plan, form.data_for_service(), form.budget_rows(), activity
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu hoạt động."))
            return redirect(reverse("plans:detail", args=[plan.pk]) + f"#a{saved.pk}"), (None, form)
    messages.error(request, _("Chưa lưu hoạt động: %(why)s") % {"why": _errors_said(form)})
    return None, (activity.pk if activity else None, form)


def _action(request: HttpRequest, plan: Plan) -> str:
    user, post = request.user, request.POST
    action = post.get("action", "")
    if action == "save_plan":
        services.update_plan(
            user,
            plan,
            title=post.get("title", ""),
            number=post.get("number", ""),
            objectives=post.get("objectives", ""),
            requirements=post.get("requirements", ""),
            basis_numbers=post.get("bases", ""),
        )
        return _("Đã lưu kế hoạch.")
    if action == "delete_activity":
        services.delete_activity(
            user, get_object_or_404(Activity, pk=as_id(post.get("activity")) or 0, plan=plan)
        )
        return _("Đã xóa hoạt động.")
    if action == "merge":
        services.merge(user, plan, [int(i) for i in post.getlist("merge") if i.isdigit()])
        return _("Đã gộp các hoạt động trùng.")
    if action == "submit":
        services.submit(user, plan)
        return _("Đã gửi kế hoạch lên cấp trên.")
    if action == "consolidate":
        merged = services.consolidate(user, plan)
        return _("Đã tổng hợp kế hoạch của %(n)s đơn vị.") % {"n": len(merged)}
    if action == "approve":
        services.approve(user, plan)
        return _("Đã phê duyệt kế hoạch.")
    if action == "send":
        services.send(user, plan)
        return _("Đã gửi kế hoạch về Cục.")
    if action == "return":
        services.return_plan(user, plan, post.get("comment", ""))
        return _("Đã trả lại kế hoạch.")
    raise ValidationError(_("Thao tác không hợp lệ."))


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    with translation.override("vi"):  # an official document is in Vietnamese whatever the page's language
        data = exports.to_docx(plan, today=timezone.localdate())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ke-hoach-ttdn-{plan.year}-{file_slug(plan.unit.name)}.docx"'
    )
    return response


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    with translation.override("vi"):
        data = exports.to_xlsx(plan)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="kinh-phi-ttdn-{plan.year}-{file_slug(plan.unit.name)}.xlsx"'
    )
    return response


@login_required
def plan_actual(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    refused: tuple[int, ResultForm] | None = None
    if request.method == "POST":
        activity = get_object_or_404(Activity, pk=as_id(request.POST.get("activity")) or 0, plan=plan)
        form = ResultForm(request.POST)
        if form.is_valid():
            try:
                services.record_result(
                    request.user,
                    activity,
                    result=form.cleaned_data["result"],
                    on=form.cleaned_data["result_on"],
                    outputs=form.cleaned_data["outputs"],
                    actual_cost=form.cleaned_data["actual_cost"],
                    files=request.FILES.getlist("files"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã ghi kết quả hoạt động."))
                return redirect(reverse("plans:actual", args=[plan.pk]) + f"#a{activity.pk}")
        messages.error(request, _("Chưa ghi kết quả: %(why)s") % {"why": _errors_said(form)})
        refused = (activity.pk, form)
    groups = selectors.activities_by_category(plan)
    result_forms = {a.pk: ResultForm.of(a) for _c, activities in groups for a in activities}
    if refused is not None:
        result_forms[refused[0]] = refused[1]
    context = {
        "plan": plan,
        "rows": selectors.plan_vs_actual(plan),
        "groups": groups,
        "result_forms": result_forms,
        "results": ResultStatus.choices,
        "can_record": request.user.role in ("unit_officer", "unit_leader")
        and in_scope(request.user, plan.unit)
        and plan.state in (PlanState.APPROVED, PlanState.SENT),
    }
    return render(request, "plans/actual.html", context, status=400 if request.method == "POST" else 200)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """Kế hoạch toàn quốc: for the centre, who has sent the year's plan (chưa gửi / gửi muộn / đã gửi) with an
    export and a reminder letter to exactly the missing bodies; then each plan against what was done."""
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    rows = selectors.national_plan_vs_actual(request.user, year)
    rules = selectors.deadline_rules()
    context: dict[str, Any] = {
        "rows": [(plan, row, selectors.lateness(plan, today, rules)) for plan, row in rows],
        "year": year,
        "years": range(today.year + 1, today.year - 6, -1),
        "central": is_central(request.user),
    }
    if context["central"]:
        due, sending = selectors.sending_status(request.user, year, today=today)
        status = request.GET.get("status", selectors.MISSING)
        if status not in SENDING_TABS:
            status = selectors.MISSING
        group = request.GET.get("group", "")
        if group in SENDER_GROUPS:
            sending = [r for r in sending if r.unit.kind in SENDER_GROUPS[group][1]]
        chosen = [r for r in sending if r.status == status]
        export = request.GET.get("export")
        if export in ("xlsx", "csv"):
            return _sending_export(year, status, chosen, export)
        if export == "letter":
            return _sending_letter(
                request, year, due, [r for r in sending if r.status == selectors.MISSING], today
            )
        context.update(
            {
                "due": due,
                "status": status,
                "tabs": [
                    (code, label, sum(1 for r in sending if r.status == code))
                    for code, label in SENDING_TABS.items()
                ],
                "sending": chosen,
                "expected": len(sending),
                "group": group,
                "groups": [(code, label) for code, (label, _kinds) in SENDER_GROUPS.items()],
            }
        )
    return render(request, "plans/national.html", context)


SENDER_GROUPS = {
    "province": (gettext_lazy("Tỉnh, thành phố"), ("province",)),
    "central": (
        gettext_lazy("Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"),
        ("ministry", "ministerial_agency", "government_agency"),
    ),
}

SENDING_TABS = {
    selectors.MISSING: gettext_lazy("Chưa gửi"),
    selectors.LATE: gettext_lazy("Gửi muộn"),
    selectors.SENT: gettext_lazy("Đã gửi đúng hạn"),
}


def _sending_rows(rows: list[selectors.SendingRow]) -> list[list[Any]]:
    return [
        [
            n,
            r.unit.name,
            r.state_label,
            r.plan.sent_at.date() if r.plan and r.plan.sent_at else "",
            r.late_days or "",
        ]
        for n, r in enumerate(rows, start=1)
    ]


def _sending_export(year: int, status: str, rows: list[selectors.SendingRow], fmt: str) -> HttpResponse:
    title = _("Kế hoạch TTĐN năm %(year)s: %(status)s") % {"year": year, "status": SENDING_TABS[status]}
    headers = [_("Stt"), _("Đơn vị"), _("Tình trạng"), _("Ngày gửi Cục"), _("Số ngày muộn")]
    name = f"ke-hoach-{year}-{file_slug(str(SENDING_TABS[status]))}"
    return sheet(fmt, name, title, headers, _sending_rows(rows), widths=[6, 40, 40, 14, 12])


def _sending_letter(
    request: HttpRequest, year: int, due: Any, missing: list[selectors.SendingRow], today: Any
) -> HttpResponse:
    if not missing:
        messages.info(request, _("Mọi đơn vị đã gửi kế hoạch năm %(year)s.") % {"year": year})
        return redirect(f"{reverse('plans:national')}?year={year}")
    issuer, superior = centre_letterhead(today)
    with translation.override("vi"):  # an official letter is in Vietnamese whatever the page's language
        data = letters.missing_letter(
            subject=_("đôn đốc gửi kế hoạch thông tin đối ngoại năm %(year)s") % {"year": year},
            what=_("kế hoạch thông tin đối ngoại năm %(year)s") % {"year": year},
            deadline=due,
            bodies=[(r.unit.name, r.state_label) for r in missing],
            today=today,
            issuer=issuer,
            superior=superior,
        )
    return attachment(data, f"don-doc-gui-ke-hoach-{year}.docx")


@login_required
def anniversaries(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year"), timezone.localdate().year)
    items, source = selectors.anniversaries(year)
    return render(
        request,
        "plans/anniversaries.html",
        {
            "items": items,
            "source": source,
            "year": year,
            "years": range(timezone.localdate().year + 2, timezone.localdate().year - 3, -1),
        },
    )


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("unit") or (request.user.org_unit.code if request.user.org_unit else "")
    unit = get_object_or_404(OrgUnit, code=code) if code else None
    if unit is None:
        raise Http404
    if not in_scope(request.user, unit):
        raise PermissionDenied
    if request.method == "POST":
        try:
            if request.POST.get("action") == "post":
                services.save_post(
                    request.user,
                    unit,
                    title=request.POST.get("title", ""),
                    holder=request.POST.get("holder", ""),
                    since=_date(request.POST.get("since")),
                    dedicated=bool(request.POST.get("dedicated")),
                )
                messages.success(request, _("Đã thêm vị trí."))
            else:
                activity = Activity.objects.filter(
                    pk=as_id(request.POST.get("activity")) or 0, plan__unit=unit
                ).first()
                held_on = _date(request.POST.get("held_on"))
                if held_on is None:
                    raise ValidationError(_("Hãy ghi ngày mở lớp."))
                services.save_course(
                    request.user,
                    unit,
                    held_on=held_on,
                    topic=request.POST.get("topic", ""),
                    trainees=request.POST.get("trainees", ""),
                    trainers=request.POST.get("trainers", ""),
                    activity=activity,
                )
                messages.success(request, _("Đã thêm lớp tập huấn."))
            return redirect(f"{reverse('plans:staff')}?unit={unit.code}")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    typed = request.POST if request.method == "POST" else {}
    context = {
        "unit": unit,
        "typed": typed,  # a refused form opens again with what was typed
        "typed_action": typed.get("action", ""),
        "posts": StaffPost.objects.filter(unit=unit),
        "courses": TrainingCourse.objects.filter(unit=unit).select_related("activity"),
        "activities": Activity.objects.filter(plan__unit=unit, category__code="tap_huan").select_related(
            "plan"
        ),
        "can_edit": request.user.role in ("unit_officer", "unit_leader"),
    }
    return render(request, "plans/staff.html", context)
