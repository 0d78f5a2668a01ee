"""Tracking table pages: view, import (with a dry run first), exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ttdn.accounts.models import Role
from ttdn.core.pagecache import kept_page
from ttdn.reporting import exports, selectors, tracking
from ttdn.reporting.services import tracking as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UPLOAD = 5 * 1024 * 1024


class TrackingFilterForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[
            ("historical", gettext_lazy("Theo đơn vị thời điểm đó")),
            ("current", gettext_lazy("Quy về đơn vị hiện nay")),
        ],
        required=False,
    )
    year_from = forms.IntegerField(min_value=1990, max_value=2100, required=False)
    year_to = forms.IntegerField(min_value=1990, max_value=2100, required=False)


class TrackingImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp bảng theo dõi (.xlsx, .docx, .txt)"))


def _view(request: HttpRequest) -> tuple[TrackingFilterForm, selectors.TrackingView, list[int]]:
    form = TrackingFilterForm(request.GET or None)
    available = selectors.available_years()
    data = form.cleaned_data if form.is_valid() else {}
    default_low, default_high = selectors.default_span(available)
    low = data.get("year_from") or default_low
    high = data.get("year_to") or default_high
    years = [y for y in available if low is not None and high is not None and low <= y <= high]
    view = selectors.tracking_view(request.user, years=years, mode=data.get("mode") or "historical")
    return form, view, available


def _title(view: selectors.TrackingView) -> str:
    span = (
        f"{view.years[0]} - {view.years[-1]}"
        if len(view.years) > 1
        else (str(view.years[0]) if view.years else "")
    )
    return f"Bảng theo dõi công tác thông tin đối ngoại của các tỉnh, thành phố năm {span}"


def _named(discrepancies: list[dict]) -> list[dict]:
    """Discrepancies with the items' names instead of their codes."""
    names = {d.code: d.name for d in tracking.item_defs()}
    return [{**d, "item": names.get(d["item"], d["item"])} for d in discrepancies]


def _can_import(user) -> bool:  # noqa: ANN001
    return user.is_superuser or user.role in (Role.ADMIN, Role.CENTRAL_OFFICER)


@login_required
@kept_page
def tracking_table(request: HttpRequest) -> HttpResponse:
    form, view, available = _view(request)
    latest = selectors.latest_import()
    context = {
        "form": form,
        "view": view,
        "available": available,
        "title": _title(view),
        "latest": latest,
        "discrepancies": _named(latest.summary.get("discrepancies", [])) if latest else [],
        "claim_discrepancies": _named(latest.summary.get("claim_discrepancies", [])) if latest else [],
        "can_import": _can_import(request.user),
        "today": timezone.localdate(),
        "fragment": selectors.tracking_fragment(request.user, view),
    }
    return render(request, "reporting/tracking.html", context, status=200)


@login_required
def tracking_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "docx"):
        raise Http404(fmt)
    _form, view, _available = _view(request)
    table = view.as_table()
    title = _title(view)
    stamp = f"{view.years[0]}-{view.years[-1]}" if view.years else "trong"
    if fmt == "xlsx":
        body, content_type = exports.to_xlsx(table, title=title, sentences=view.sentences), XLSX
    else:
        body = exports.to_docx(
            table,
            title=title,
            sentences=view.sentences,
            issuer="Cục Thông tin cơ sở và Thông tin đối ngoại",
            superior="Bộ Văn hóa, Thể thao và Du lịch",
        )
        content_type = DOCX
    response = HttpResponse(body, content_type=content_type)
    mode = {"historical": "theo-don-vi-thoi-do", "current": "quy-ve-don-vi-hien-nay"}.get(view.mode, "")
    response["Content-Disposition"] = f'attachment; filename="bang-theo-doi-{mode}-{stamp}.{fmt}"'
    return response


@login_required
def tracking_import(request: HttpRequest) -> HttpResponse:
    if not _can_import(request.user):
        raise PermissionDenied
    form = TrackingImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("Tệp quá lớn; giới hạn là 5 MB."))
        else:
            data = upload.read()
            try:
                table = tracking.read_file(upload.name, data)
                outcome = services.import_table(
                    table, source_name=upload.name, user=request.user, dry_run="confirm" not in request.POST
                )
            except tracking.TrackingError as exc:
                form.add_error("file", str(exc))
            else:
                if not outcome.dry_run:
                    messages.success(
                        request, _("Đã nhập bảng theo dõi: %(n)s ô được ghi.") % {"n": outcome.written}
                    )
                    return redirect("reporting:tracking")
    status = 400 if form.errors else 200
    discrepancies = _named(outcome.summary["discrepancies"]) if outcome else []
    claims = _named(outcome.summary.get("claim_discrepancies", [])) if outcome else []
    return render(
        request,
        "reporting/tracking_import.html",
        {"form": form, "outcome": outcome, "discrepancies": discrepancies, "claim_discrepancies": claims},
        status=status,
    )
