"""Periodic report pages: forms, completeness by period with drill-down, the submission page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.core.downloads import attachment, sheet
from ttdn.core.pagecache import kept_page
from ttdn.core.periods import CutoffRule, PeriodType
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.scope import in_scope, is_central
from ttdn.reporting import sources
from ttdn.reporting.models import Indicator, IndicatorKind, ReportForm, Submission, SubmissionState
from ttdn.reporting.services import submissions as svc

PER_PAGE = 100


def _form(code: str) -> ReportForm:
    return get_object_or_404(ReportForm, code=code)


def _period(form: ReportForm, code: str):  # noqa: ANN202
    try:
        return svc.period_of(form, code)
    except (ValueError, ValidationError) as exc:
        raise Http404(code) from exc


def current_period_code(form: ReportForm) -> str:
    rule = CutoffRule(form.cutoff_start_day)
    try:
        return rule.period_for(PeriodType(form.period_type), timezone.localdate()).code
    except ValueError:  # today is in no window of this type (e.g. a half-year form in August)
        return (
            str(timezone.localdate().year)
            if form.period_type == PeriodType.YEAR
            else f"{timezone.localdate().year}-H1"
        )


@login_required
@kept_page
def form_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for form in ReportForm.objects.all().order_by("name"):
        code = current_period_code(form)
        stats = svc.completeness(
            form, code, under=None if is_central(request.user) else request.user.org_unit
        )
        rows.append((form, code, stats))
    return render(request, "reporting/forms.html", {"rows": rows})


@login_required
def period_view(request: HttpRequest, form_code: str, period_code: str) -> HttpResponse:
    form = _form(form_code)
    period = _period(form, period_code)
    under = None
    if request.GET.get("under"):
        under = OrgUnit.objects.filter(code=request.GET["under"]).first()
        if under is None:
            raise Http404(request.GET["under"])
    if not is_central(request.user):
        own = request.user.org_unit
        if own is None or (under is not None and not in_scope(request.user, under)):
            raise PermissionDenied
        under = under or own
    stats = svc.completeness(form, period_code, under=under)
    status = request.GET.get("status", "")
    rows_qs = svc.reporters_with_status(form, period, stats, status)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        rows_qs = rows_qs.search(query)
    export = request.GET.get("export")
    if export in ("xlsx", "csv"):
        return _reporters_export(form, period, stats, status, rows_qs, export)
    if export == "letter":
        return _missing_letter(request, form, period, stats)
    page = Paginator(rows_qs, PER_PAGE).get_page(request.GET.get("page"))
    units = list(page.object_list)
    states = {
        s.unit_id: s
        for s in Submission.objects.filter(form=form, period=period_code, unit__in=units).select_related(
            "awaiting"
        )
    }
    with_children = set(
        OrgUnit.objects.filter(parent__in=units).values_list("parent_id", flat=True).distinct()
    )
    window = svc.window_of(form, period)
    periods = [period]
    for _n in range(4):
        periods.insert(0, periods[0].previous())
    periods.append(period.next())
    context = {
        "form": form,
        "period": period,
        "stats": stats,
        "rows": [(u, states.get(u.pk), u.pk in with_children) for u in units],
        "under": under,
        "window": window,
        "periods": periods,
        "today": timezone.localdate(),
        "page": page,
        "status": status,
        "query": query,
        "statuses": svc.REPORTER_STATUSES,
    }
    return render(request, "reporting/period.html", context)


def _status_label(sub: Submission | None, deadline: Any) -> str:
    if sub is None:
        return _("Chưa có báo cáo trên hệ thống")
    if sub.sent_at is None:
        if sub.state == SubmissionState.SUBMITTED:
            return _("Chưa gửi Cục: chờ %(who)s duyệt") % {
                "who": sub.awaiting.name if sub.awaiting else _("lãnh đạo")
            }
        return _("Chưa gửi Cục: %(state)s") % {"state": sub.get_state_display()}
    late = (timezone.localdate(sub.sent_at) - deadline).days
    label = str(sub.get_state_display())
    return label + (" · " + _("gửi muộn %(n)s ngày") % {"n": late} if late > 0 else "")


def _reporters_export(
    form: ReportForm, period: Any, stats: dict[str, Any], status: str, units: Any, fmt: str
) -> HttpResponse:
    from ttdn.core.text import file_slug

    units = list(units[:5000])
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(form=form, period=period.code, unit__in=units).select_related(
            "awaiting"
        )
    }
    rows = [
        [
            n,
            u.name,
            _status_label(subs.get(u.pk), stats["deadline"]),
            subs[u.pk].sent_at.date() if u.pk in subs and subs[u.pk].sent_at else "",
        ]
        for n, u in enumerate(units, start=1)
    ]
    labels = dict(svc.REPORTER_STATUSES)
    title = f"{form.name}, {period.label}: {labels.get(status, labels[''])}"
    headers = [_("Stt"), _("Đơn vị"), _("Tình trạng"), _("Gửi Cục ngày")]
    name = f"{file_slug(form.name, 40)}-{file_slug(period.label)}-{file_slug(str(labels.get(status, labels[''])))}"
    return sheet(fmt, name, title, headers, rows, widths=[6, 42, 46, 14])


def _report_and_period(name: str, period: str) -> str:
    """ "báo cáo công tác TTĐN năm" and "Năm 2026" read "báo cáo công tác TTĐN năm 2026"; other periods follow
    in brackets ("báo cáo 6 tháng (6 tháng đầu năm 2026)")."""
    name = name[:1].lower() + name[1:]
    words, first = name.split(), period.split()[0].lower() if period.split() else ""
    if words and words[-1].lower() == first:
        return f"{name} {period[len(first) :].strip()}"
    return f"{name} ({period[:1].lower() + period[1:]})"


def _missing_letter(
    request: HttpRequest, form: ReportForm, period: Any, stats: dict[str, Any]
) -> HttpResponse:
    """Công văn đôn đốc to exactly the bodies that have not sent the report (today's bodies of the period)."""
    from django.utils import translation

    from ttdn.core import letters
    from ttdn.orgs.selectors import centre_letterhead

    if not is_central(request.user):
        raise PermissionDenied
    missing = list(stats["missing"].query()[:2000])
    if not missing:
        messages.info(request, _("Mọi đơn vị đã gửi báo cáo kỳ này."))
        return redirect("reporting:period", form.code, period.code)
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(form=form, period=period.code, unit__in=missing).select_related(
            "awaiting"
        )
    }
    today = timezone.localdate()
    issuer, superior = centre_letterhead(today)
    with translation.override("vi"):  # an official letter is in Vietnamese whatever the page's language
        data = letters.missing_letter(
            subject=_("đôn đốc gửi %(form)s") % {"form": form.name[:1].lower() + form.name[1:]},
            what=_report_and_period(form.name, period.label),
            deadline=stats["deadline"],
            bodies=[(u.name, _status_label(subs.get(u.pk), stats["deadline"])) for u in missing],
            today=today,
            issuer=issuer,
            superior=superior,
        )
    return attachment(data, f"don-doc-bao-cao-{form.code}-{period.code}.docx")


@login_required
def totals_view(request: HttpRequest, form_code: str, period_code: str) -> HttpResponse:
    """Tổng hợp số liệu: what the bodies reported, added up by province (or ministry) and nationally."""
    from ttdn.reporting import selectors

    form = _form(form_code)
    period = _period(form, period_code)
    result = selectors.rollup(request.user, form, period_code)
    if request.GET.get("export") in ("xlsx", "csv"):
        from ttdn.core.text import file_slug

        headers = [_("Đơn vị"), _("Số báo cáo"), *[i.name for i in result.indicators]]
        rows = [[u.name, n, *[line.get(i.code, "") for i in result.indicators]] for u, n, line in result.rows]
        rows.append(
            [_("Toàn quốc"), result.reports, *[result.national.get(i.code, "") for i in result.indicators]]
        )
        title = _("Tổng hợp số liệu: %(form)s, %(period)s") % {"form": form.name, "period": period.label}
        name = f"tong-hop-{file_slug(form.name, 40)}-{file_slug(period.label)}"
        widths = [36, 10, *[18] * len(result.indicators)]
        return sheet(request.GET["export"], name, title, headers, rows, widths=widths)
    return render(request, "reporting/totals.html", {"form": form, "period": period, "result": result})


def typed_values(form: ReportForm, request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the entry form sent: ``v_<code>`` values, ``v_<code>__<n>`` parts of a disaggregated
    indicator, ``f_<code>`` files and ``x_<code>`` ticked to remove a file."""
    typed: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for indicator in form.indicators.all():
        code = indicator.code
        if indicator.kind == IndicatorKind.FILE:
            if f"f_{code}" in request.FILES:
                files[code] = request.FILES[f"f_{code}"]
            elif request.POST.get(f"x_{code}"):
                typed[code] = None
        elif indicator.disaggregated:
            parts = {
                c: request.POST.get(f"v_{code}__{n}")
                for n, c in enumerate(indicator.categories)
                if f"v_{code}__{n}" in request.POST
            }
            if parts:
                typed[code] = parts
        elif f"v_{code}" in request.POST:
            typed[code] = request.POST.get(f"v_{code}")
    return typed, files


def entry_field(indicator: Indicator, value: Any, error: str | None) -> dict[str, Any]:
    """One row of the entry form; a disaggregated indicator carries its parts and their total."""
    field: dict[str, Any] = {"ind": indicator, "value": value, "error": error}
    if indicator.disaggregated:
        parts = value if isinstance(value, dict) else {}
        field["parts"] = [
            (n, category, parts.get(category)) for n, category in enumerate(indicator.categories)
        ]
        try:
            field["total"] = svc.total_of({k: svc.clean_value(indicator.kind, v) for k, v in parts.items()})
        except ValueError:
            field["total"] = None
    return field


def _record_values(form: ReportForm, unit: OrgUnit, period: Any) -> dict[str, Any]:
    """What the platform's records say for the indicators that name a source (plans, courses, posts)."""
    if not any(i.derived_from for i in form.indicators.all()):
        return {}
    start, end = svc.window_of(form, period)
    return sources.record_values(unit, start, end)


@login_required
def submission_view(request: HttpRequest, form_code: str, period_code: str, unit_code: str) -> HttpResponse:
    form = _form(form_code)
    period = _period(form, period_code)
    unit = get_object_or_404(OrgUnit, code=unit_code)
    if not in_scope(request.user, unit):
        raise PermissionDenied
    submission = Submission.objects.filter(form=form, unit=unit, period=period_code).first()
    errors: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        typed, files = typed_values(form, request)
        try:
            if action in ("save", "autosave", "submit"):
                submission = svc.save_draft(
                    request.user, form, unit, period_code, typed, files if action != "autosave" else None
                )
                if action == "autosave":
                    return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})
                if action == "submit":
                    svc.submit(request.user, submission)
                    messages.success(request, _("Đã gửi báo cáo."))
                else:
                    messages.success(request, _("Đã lưu nháp."))
            elif submission is None:
                raise Http404
            elif action in ("approve", "return"):
                svc.decide(
                    request.user,
                    submission,
                    approve=action == "approve",
                    comment=request.POST.get("comment", ""),
                )
                messages.success(
                    request, _("Đã duyệt báo cáo.") if action == "approve" else _("Đã trả lại báo cáo.")
                )
            elif action == "accept":
                svc.accept(request.user, submission)
                messages.success(request, _("Cục đã tiếp nhận báo cáo."))
            elif action == "unlock":
                svc.unlock(request.user, submission, request.POST.get("comment", ""))
                messages.success(request, _("Đã mở khóa báo cáo để sửa."))
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
            return redirect(
                "reporting:submission", form_code=form.code, period_code=period_code, unit_code=unit.code
            )
        except ValidationError as exc:
            if action == "autosave":
                return JsonResponse(
                    {"saved": False, "errors": getattr(exc, "message_dict", {"": exc.messages})}, status=400
                )
            if hasattr(exc, "error_dict"):
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                problems = exc.messages
            messages.error(request, _("Chưa lưu được: hãy xem các thông báo bên dưới."))
    values = dict(submission.values) if submission else {}
    if request.method == "POST":
        values.update({code: raw for code, raw in typed_values(form, request)[0].items() if raw is not None})
    records = _record_values(form, unit, period)
    editable = submission is None or submission.state in (SubmissionState.DRAFT, SubmissionState.RETURNED)
    fields = []
    for indicator in form.indicators.all():
        value = values.get(indicator.code)
        suggested = records.get(indicator.derived_from) if indicator.derived_from else None
        if value is None and suggested is not None and editable:
            value = suggested  # filled from the records; saved only when the officer saves
        field = entry_field(indicator, value, errors.get(indicator.code))
        field["suggested"] = suggested
        fields.append(field)
    context = {
        "form": form,
        "period": period,
        "unit": unit,
        "submission": submission,
        "fields": fields,
        "problems": problems,
        "deadline": svc.deadline_of(form, period),
        "late": svc.lateness(submission, svc.deadline_of(form, period), timezone.localdate()),
        "window": svc.window_of(form, period),
        "editable": editable,
        "can_enter": svc.can_enter(request.user, unit),
        "can_decide": submission is not None and svc.can_decide(request.user, submission),
        "chain": svc.approval_chain(unit),
        "steps": list(submission.steps.select_related("level", "user")) if submission else [],
        "can_accept": submission is not None and svc.can_accept(request.user),
    }
    return render(request, "reporting/submission.html", context, status=400 if (errors or problems) else 200)
