"""Task pages: review of a document's duties, lists, a task with its progress, the overdue dashboard,
the reminder letter, notifications and a body's calendar feed. Views stay thin: rules are in
``services`` (writes) and ``selectors`` (reads)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ttdn.core.dates import format_date, parse_date
from ttdn.core.pagecache import kept_page
from ttdn.core.sheets import safe
from ttdn.core.text import as_id, file_slug
from ttdn.documents import selectors as document_selectors
from ttdn.documents.models import Document
from ttdn.notices import selectors as notice_selectors
from ttdn.notices import services as notice_services
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.scope import in_scope, is_central
from ttdn.orgs.selectors import central_department
from ttdn.tasks import reminders, selectors, services
from ttdn.tasks.extraction.deadlines import period_label
from ttdn.tasks.forms import DutyForm, ProgressForm, ReopenForm, SendBackForm, TrackingLinkForm
from ttdn.tasks.models import Duty, TaskOccurrence, TaskStatus

PER_PAGE = 50


def _date(raw: str | None) -> dt.date | None:
    if not raw or not raw.strip():
        return None
    try:
        return parse_date(raw.strip())
    except ValueError as exc:
        raise ValidationError(_("Ngày không hợp lệ: %(d)s (dùng dd/mm/yyyy).") % {"d": raw}) from exc


def _int(raw: str | None) -> int | None:
    return as_id(raw)


# -- review ------------------------------------------------------------------------------------


EDITS_FORM = "duty-edits"  # the review page's one form of edits: every duty's fields are sent with it


@login_required
def review(request: HttpRequest, doc_pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=doc_pk)
    if not services.can_review(request.user, document):
        raise PermissionDenied
    duties = selectors.review_duties(document.pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    sent = request.POST if action == "save" else None
    edits = {  # a duty the page did not show when it was sent (extracted since) is left as it is
        d.pk: DutyForm.of(
            d, sent if sent is not None and f"d{d.pk}-text" in sent else None, form_id=EDITS_FORM
        )
        for d in duties
        if d.state != "rejected"
    }
    added = DutyForm.new(request.POST if action == "add" else None)
    if request.method == "POST":
        if action == "save":
            done = _save_duties(request, document, edits)
        elif action == "add":
            done = _add_duty(request, document, added)
        else:
            done = _other_action(request, document, action)
        if done is not None:
            return done
    return _review_page(request, document, duties, edits, added)


def _save_duties(request: HttpRequest, document: Document, edits: dict[int, DutyForm]) -> HttpResponse | None:
    """Save every duty changed on the page; if one value is wrong nothing is saved and every duty keeps what
    was typed, the message beside the field (None: show the page again)."""
    valid = [form.is_valid() for form in edits.values() if form.is_bound]
    if not all(valid):
        return None
    changed = [form for form in edits.values() if form.is_bound and form.edited()]
    clicked = _int(request.POST.get("duty"))
    try:
        saved = services.update_duties(
            request.user, [(form.duty, form.fields_for_service()) for form in changed]
        )
    except services.DutyRefused as exc:
        edits[exc.duty.pk].add_error(None, exc)
        return None
    if not saved:
        messages.info(request, _("Không có thay đổi nào để lưu."))
    else:
        messages.success(
            request,
            _("Đã lưu nhiệm vụ %(s)s.") % {"s": ", ".join(d.section or "+" for d in saved)},
        )
    anchor = clicked if clicked in edits else (saved[0].pk if saved else None)
    return redirect(reverse("tasks:review", args=[document.pk]) + (f"#duty-{anchor}" if anchor else ""))


def _add_duty(request: HttpRequest, document: Document, form: DutyForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        duty = services.add_duty(request.user, document, **form.fields_for_service(section=False))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _("Đã thêm nhiệm vụ."))
    return redirect(reverse("tasks:review", args=[document.pk]) + f"#duty-{duty.pk}")


def _other_action(request: HttpRequest, document: Document, action: str) -> HttpResponse | None:
    duty = None
    if request.POST.get("duty"):
        duty = get_object_or_404(Duty, pk=_int(request.POST["duty"]) or 0, document=document)
    try:
        message = _review_action(request, document, action, duty)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, message)
    anchor = f"#duty-{duty.pk}" if duty is not None and Duty.objects.filter(pk=duty.pk).exists() else ""
    return redirect(reverse("tasks:review", args=[document.pk]) + anchor)


def _review_page(
    request: HttpRequest,
    document: Document,
    duties: list[Duty],
    edits: dict[int, DutyForm],
    added: DutyForm,
) -> HttpResponse:
    wrong = [(duty, edits[duty.pk]) for duty in duties if duty.pk in edits and edits[duty.pk].errors]
    for n, (_duty, form) in enumerate(wrong):
        form.point_to_errors(focus=n == 0)
    added.point_to_errors(focus=not wrong)
    proposed = [d for d in duties if d.state == "proposed"]
    spans = [(d.span_start, d.span_end, d.pk) for d in proposed if d.span_start is not None and d.span_end]
    original = (
        document_selectors.original_spans(document, [(start, end) for start, end, _ in spans])
        if document.source_text
        else None
    )
    show_original = original is not None and request.GET.get("view") == "original"
    if show_original:
        raw, mapped = original  # type: ignore[misc]
        segments = _segments(raw, [(start, end, pk) for (start, end), (_, _, pk) in zip(mapped, spans)])
    else:
        segments = _segments(document.text, spans)
    context = {
        "document": document,
        "rows": [(duty, edits.get(duty.pk)) for duty in duties],
        "duties": duties,
        "wrong": wrong,
        "added": added,
        "edits_form": EDITS_FORM,
        "proposed_count": len(proposed),
        "issued": selectors.issued_duties(document.pk),
        "segments": segments,
        "has_original": original is not None,
        "show_original": show_original,
        "doubtful": sum(1 for d in proposed if d.confidence < 0.8 or not d.leads.all() or d.unresolved),
    }
    failed = request.method == "POST" and (wrong or added.errors)
    return render(request, "tasks/review.html", context, status=400 if failed else 200)


def _review_action(request: HttpRequest, document: Document, action: str, duty: Duty | None) -> str:
    user, post = request.user, request.POST
    if action == "extract":
        created = services.extract_document(user, document)
        return _("Đã trích xuất %(n)s nhiệm vụ để rà soát.") % {"n": len(created)}
    if action == "issue":
        tasks = services.issue(user, document)
        return _("Đã giao %(n)s nhiệm vụ cho các đơn vị.") % {"n": len(tasks)}
    if duty is None:
        raise ValidationError(_("Thao tác không hợp lệ."))
    if action == "reject":
        services.set_state(user, duty, "rejected")
        return _("Đã loại nhiệm vụ %(s)s (có thể khôi phục ở cuối danh sách).") % {"s": duty.section}
    if action == "restore":
        services.set_state(user, duty, "proposed")
        return _("Đã khôi phục nhiệm vụ %(s)s.") % {"s": duty.section}
    if action == "merge":
        services.merge_with_next(user, duty)
        return _("Đã gộp với nhiệm vụ kế tiếp.")
    if action == "split":
        services.split(user, duty, post.get("at", ""))
        return _("Đã tách nhiệm vụ.")
    if action == "create_unit":
        unit = services.create_missing_unit(user, duty, post.get("name", ""))
        return _("Đã thêm đơn vị %(name)s vào danh bạ.") % {"name": unit.name}
    raise ValidationError(_("Thao tác không hợp lệ."))


def _segments(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    """The text cut into plain pieces and duty clauses, given as (start, end, duty id) (for highlighting beside the list)."""
    spans = sorted(spans)
    out: list[tuple[str, int | None]] = []
    position = 0
    for start, end, pk in spans:
        if start < position or end > len(text):
            continue
        out.append((text[position:start], None))
        out.append((text[start:end], pk))
        position = end
    out.append((text[position:], None))
    return out


# -- lists -------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[selectors.Filters, list[str]]:
    errors: list[str] = []
    values = selectors.Filters(
        status=request.GET.get("status", ""),
        unit=request.GET.get("unit", "").strip()[:40],
        document=_int(request.GET.get("document")),
        query=request.GET.get("q", "").strip()[:200],
        sort=request.GET.get("sort", "due"),
    )
    for name in ("due_from", "due_to"):
        try:
            setattr(values, name, _date(request.GET.get(name)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    return values, errors


@login_required
@kept_page
def task_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters, errors = _filters(request)
    qs = selectors.occurrence_list(request.user, filters, today=today)
    if request.GET.get("export") == "csv":
        return _csv(qs)
    page = selectors.occurrence_page(
        request.user, filters, today=today, number=request.GET.get("page"), per_page=PER_PAGE
    )
    own = request.user.org_unit
    context = {
        "page": page,
        "filters": filters,
        "errors": errors,
        "counts": selectors.visible_status_counts(
            request.user, today=today, unit=filters.unit, document=filters.document
        ),
        "statuses": TaskStatus.choices,
        "status_labels": dict(TaskStatus.choices),
        "today": today,
        "fragment": selectors.list_fragment("task-list-rows", request.user, request.GET, today=today),
        "document": Document.objects.filter(pk=filters.document).first() if filters.document else None,
        "unit": OrgUnit.objects.filter(code=filters.unit).first() if filters.unit else None,
        "calendar_url": (
            request.build_absolute_uri(reverse("tasks:calendar", args=[own.code]))
            + f"?token={reminders.calendar_token(own)}"
        )
        if own
        else "",
    }
    return render(request, "tasks/list.html", context)


def _csv(qs: Any) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Đơn vị chủ trì"),
            _("Văn bản"),
            _("Mục"),
            _("Nhiệm vụ"),
            _("Kỳ"),
            _("Thời hạn"),
            _("Tiến độ (%)"),
            _("Trạng thái"),
            _("Ngày hoàn thành"),
        ]
    )
    labels = dict(TaskStatus.choices)
    for occ in qs[:20000]:
        duty = occ.task.duty
        writer.writerow(
            [
                safe(occ.task.lead.name, csv=True),
                safe(duty.document.number, csv=True),
                safe(duty.section, csv=True),
                safe(
                    duty.text, csv=True
                ),  # a duty written "=..." is text in the spreadsheet, never a formula
                period_label(occ.period),
                format_date(occ.due),
                occ.progress,
                labels.get(occ.status, ""),
                format_date(occ.completed_on),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhiem-vu.csv"'
    return response


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.visible_task(request.user, pk)
    if task is None:
        if not TaskOccurrence.objects.filter(task_id=pk).exists():
            raise Http404
        raise PermissionDenied
    today = timezone.localdate()
    occurrences = list(task.occurrences.all().with_status(today).order_by("due", "period"))
    chosen = next((o for o in occurrences if str(o.pk) == request.GET.get("occ", "")), None)
    if chosen is None:
        chosen = (
            next(
                (o for o in occurrences if o.completed_on is None and (o.due is None or o.due >= today)), None
            )
            or next((o for o in occurrences if o.completed_on is None), None)
            or (occurrences[-1] if occurrences else None)
        )
    progress_form = ProgressForm()
    if request.method == "POST" and chosen is not None:
        target = next((o for o in occurrences if str(o.pk) == request.POST.get("occurrence", "")), chosen)
        handler = _TASK_ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            messages.error(request, _("Thao tác không hợp lệ."))
        else:
            done, form = handler(request, target)
            if done:
                return redirect(f"{reverse('tasks:detail', args=[task.pk])}?occ={target.pk}")
            if isinstance(form, ProgressForm):
                progress_form = form  # what was typed stays in the form
    context = {
        "task": task,
        "duty": task.duty,
        "occurrences": occurrences,
        "chosen": chosen,
        "today": today,
        "entries": list(chosen.entries.prefetch_related("attachments", "documents").select_related("author"))
        if chosen
        else [],
        "can_report": services.can_report(request.user, task),
        "can_confirm": services.can_confirm(request.user, task),
        "coordinators": list(task.coordinators.all()),
        "status_labels": dict(TaskStatus.choices),
        "progress_form": progress_form,
        "can_link_tracking": services.can_link_tracking(request.user),
        "tracking_form": TrackingLinkForm(initial={"item": task.duty.tracking_item_id}),
    }
    return render(request, "tasks/detail.html", context, status=400 if request.method == "POST" else 200)


def _refused(
    request: HttpRequest, form: forms.Form, exc: ValidationError | None = None
) -> tuple[bool, forms.Form]:
    """Say what was wrong (the form's messages, or the rule's) and keep the form as typed."""
    if exc is not None:
        form.add_error(None, exc)
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return False, form


def _report_progress(request: HttpRequest, target: TaskOccurrence) -> tuple[bool, forms.Form]:
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    try:
        services.report_progress(
            request.user,
            target,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            files=request.FILES.getlist("files"),
            document_numbers=form.cleaned_data["documents"],
            done_on=form.cleaned_data["done_on"],
        )
    except ValidationError as exc:
        return _refused(request, form, exc)
    messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
    return True, form


def _confirm(request: HttpRequest, target: TaskOccurrence) -> tuple[bool, forms.Form]:
    form = forms.Form(request.POST)
    try:
        services.confirm(request.user, target)
    except ValidationError as exc:
        return _refused(request, form, exc)
    messages.success(request, _("Đã xác nhận hoàn thành."))
    return True, form


def _with_reason(form_class: type[forms.Form], write: Any, done: str) -> Any:
    """A handler for a leader's decision that needs a reason (reopen, send back)."""

    def handle(request: HttpRequest, target: TaskOccurrence) -> tuple[bool, forms.Form]:
        form = form_class(request.POST)
        if not form.is_valid():
            return _refused(request, form)
        try:
            write(request.user, target, form.cleaned_data["reason"])
        except ValidationError as exc:
            return _refused(request, form, exc)
        messages.success(request, done)
        return True, form

    return handle


def _link_tracking(request: HttpRequest, target: TaskOccurrence) -> tuple[bool, forms.Form]:
    form = TrackingLinkForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    item = form.cleaned_data["item"]
    services.link_tracking_item(request.user, target.task.duty, item)
    if item is None:
        messages.success(request, _("Nhiệm vụ không còn gắn với hạng mục nào của bảng theo dõi."))
    else:
        messages.success(
            request,
            _(
                "Đã gắn với hạng mục “%(item)s”: khi được xác nhận hoàn thành, nhiệm vụ là hồ sơ của ô tương ứng."
            )
            % {"item": item.name},
        )
    return True, form


_reopen = _with_reason(ReopenForm, services.reopen, gettext_lazy("Đã mở lại nhiệm vụ."))
_send_back = _with_reason(
    SendBackForm, services.send_back, gettext_lazy("Đã trả lại báo cáo hoàn thành để đơn vị bổ sung.")
)


# One handler a purpose; the detail page's forms name theirs in "action".
_TASK_ACTIONS = {
    "progress": _report_progress,
    "confirm": _confirm,
    "reopen": _reopen,
    "send_back": _send_back,
    "tracking_item": _link_tracking,
}


# -- overdue, letter, calendar, notifications --------------------------------------------------


@login_required
@kept_page
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    unit = OrgUnit.objects.filter(code=request.GET.get("unit", "")).first()
    rows = selectors.overdue_by_body(request.user, today=today)
    items = selectors.overdue_items(request.user, today=today, unit=unit)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.visible_status_counts(request.user, today=today)
    context = {
        "rows": rows,
        "page": page,
        "unit": unit,
        "today": today,
        "counts": counts,
        "total": sum(n for _u, n in rows),
        "is_central": is_central(request.user),
        "fragment": selectors.list_fragment("overdue-rows", request.user, request.GET, today=today),
    }
    return render(request, "tasks/overdue.html", context)


@login_required
def overdue_letter(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    unit = OrgUnit.objects.filter(code=request.GET.get("unit", "")).first()
    items = list(selectors.overdue_items(request.user, today=today, unit=unit)[:500])
    if not items:
        messages.info(request, _("Không có nhiệm vụ quá hạn để đôn đốc."))
        return redirect("tasks:overdue")
    centre = central_department(today)
    issuer = (
        centre.name
        if centre and is_central(request.user)
        else (request.user.org_unit.name if request.user.org_unit else _("Cơ quan"))
    )
    superior = (centre.parent.name if centre and centre.parent else "") if is_central(request.user) else ""
    with translation.override("vi"):  # an official letter is in Vietnamese whatever the page's language
        data = reminders.letter(items, today=today, issuer=issuer, superior=superior)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="don-doc-nhiem-vu-{today:%Y%m%d}.docx"'
    return response


def calendar_feed(request: HttpRequest, unit_code: str) -> HttpResponse:
    """A body's open deadlines as iCalendar, read with the token shown on its task list (no login)."""
    unit = get_object_or_404(OrgUnit, code=unit_code)
    if not reminders.check_calendar_token(unit, request.GET.get("token", "")):
        if not (request.user.is_authenticated and in_scope(request.user, unit)):
            raise PermissionDenied
    data = reminders.calendar(
        unit, selectors.unit_deadlines(unit)[:2000], base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ttdn-{file_slug(unit.name)}.ics"'
    return response


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """Thông báo: the user's own notices, newest first; opening one marks it read."""
    if request.method == "POST":
        notice_services.mark_read(request.user)
        messages.success(request, _("Đã đánh dấu tất cả là đã đọc."))
        return redirect("tasks:notifications")
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notice_selectors.for_user(request.user, unread=unread_only), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "tasks/notifications.html", {"page": page, "unread_only": unread_only})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notice: mark it read and go to the page it concerns (only a path of this site)."""
    notice = notice_selectors.one(request.user, pk)
    if notice is None:
        raise Http404
    notice_services.mark_read(request.user, pk)
    target = notice.url if notice.url.startswith("/") and not notice.url.startswith("//") else ""
    return redirect(target or "tasks:notifications")
