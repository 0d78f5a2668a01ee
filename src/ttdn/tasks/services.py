"""Writes of the tasks app: extract, review, issue, report progress, confirm, remind.

Rules are here, visible to the caller: who may review a document's duties, who reports progress
(officers of the lead or a coordinating body), who confirms completion (a leader of the lead body),
and how recurring duties become one occurrence per period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ttdn.accounts.models import Role
from ttdn.core.audit import acting_as
from ttdn.core.text import fold
from ttdn.documents.models import CorrectionKind, Document
from ttdn.documents.services import record_correction
from ttdn.notices.models import NoticeKind
from ttdn.notices.services import notify, unit_people
from ttdn.orgs import names as resolver
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.scope import in_scope, is_central
from ttdn.orgs.services import create_unit
from ttdn.tasks.extraction import deadlines
from ttdn.tasks.extraction import duties as engine
from ttdn.tasks.models import Duty, DutyState, ProgressEntry, Recurrence, Task, TaskOccurrence

MAX_DUTY_TEXT = 10_000


# -- who may do what ---------------------------------------------------------------------------


def can_review(user: Any, document: Document) -> bool:
    """Central officers for any document; a body's officers and leaders for what their body issued."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or (user.role in (Role.ADMIN, Role.CENTRAL_OFFICER) and is_central(user)):
        return True
    return (
        user.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER)
        and document.issuer is not None
        and in_scope(user, document.issuer)
    )


def can_report(user: Any, task: Task) -> bool:
    if not user.is_authenticated or user.role not in (Role.UNIT_OFFICER, Role.UNIT_LEADER):
        return False
    return in_scope(user, task.lead) or any(in_scope(user, unit) for unit in task.coordinators.all())


def can_confirm(user: Any, task: Task) -> bool:
    """A leader of the lead body (or of a body above it)."""
    return user.is_authenticated and user.role == Role.UNIT_LEADER and in_scope(user, task.lead)


# -- extraction and review ---------------------------------------------------------------------


def fingerprint(section: str, text: str) -> str:
    return hashlib.sha256(f"{section}|{fold(text)}".encode()).hexdigest()


def _apply_resolution(duty: Duty) -> None:
    """Leads, coordinators and names the registry lacks, from the labels, on the document's date."""
    document = duty.document
    lead = resolver.resolve(duty.assignee_label, on=document.issued_on, issuer=document.issuer)
    unresolved = list(lead.unresolved)
    coordinator_units: list[OrgUnit] = []
    for label in duty.coordinator_labels:
        found = resolver.resolve(label, on=document.issued_on, issuer=document.issuer)
        if found.collective:
            continue  # "các Bộ, ngành liên quan" stays a label: it names no one in particular
        coordinator_units.extend(u for u in found.units if u not in coordinator_units)
        unresolved.extend({**item, "role": "coordinator"} for item in found.unresolved)
    duty.unresolved = unresolved
    duty.search_text = fold(
        " ".join([duty.section, duty.text, duty.assignee_label, *duty.coordinator_labels])
    )
    duty.save(update_fields=["unresolved", "search_text"])
    duty.leads.set(lead.units)
    duty.coordinators.set([u for u in coordinator_units if u not in lead.units])


@transaction.atomic
def extract_document(user: Any, document: Document) -> list[Duty]:
    """Propose the document's duties. Duties already issued or rejected, and proposals the official
    edited, are kept and never proposed twice; untouched proposals are replaced."""
    if not can_review(user, document):
        raise PermissionDenied
    found = engine.extract(document.text)
    kept = Duty.objects.filter(document=document).exclude(state=DutyState.PROPOSED, edited=False)
    known = set(kept.values_list("fingerprint", flat=True))
    Duty.objects.filter(document=document, state=DutyState.PROPOSED, edited=False).delete()
    created: list[Duty] = []
    with acting_as(user):
        for order, item in enumerate(found):
            mark = fingerprint(item.section, item.text)
            if mark in known:
                continue
            duty = Duty.objects.create(
                document=document,
                section=item.section,
                order=order * 10,
                text=item.text[:MAX_DUTY_TEXT],
                span_start=item.span[0],
                span_end=item.span[1],
                assignee_label=(item.assignee or "")[:500],
                coordinator_labels=item.coordinators,
                due=item.due,
                due_as_written=(item.due_as_written or "")[:200],
                recurrence=item.recurrence or "",
                recurrence_periods=item.recurrence_periods,
                recurrence_month=item.recurrence_month,
                recurrence_day=item.recurrence_day,
                confidence=item.confidence,
                doubts=item.doubts,
                fingerprint=mark,
            )
            _apply_resolution(duty)
            created.append(duty)
    return created


def _editable(user: Any, duty: Duty) -> Duty:
    if not can_review(user, duty.document):
        raise PermissionDenied
    if duty.state == DutyState.ISSUED:
        raise ValidationError(_("Nhiệm vụ đã giao, không sửa ở bước rà soát được."))
    return duty


@transaction.atomic
def update_duty(
    user: Any,
    duty: Duty,
    *,
    text: str,
    assignee: str,
    coordinators: list[str],
    due: dt.date | None,
    recurrence: str,
    section: str | None = None,
) -> Duty:
    duty = _editable(user, Duty.objects.select_for_update().get(pk=duty.pk))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Nội dung nhiệm vụ không được để trống.")})
    if len(text) > MAX_DUTY_TEXT:
        raise ValidationError({"text": _("Nội dung nhiệm vụ quá dài.")})
    if recurrence and recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Định kỳ không hợp lệ.")})
    before = {
        "text": duty.text,
        "assignee": duty.assignee_label,
        "coordinators": list(duty.coordinator_labels),
        "due": duty.due,
        "recurrence": duty.recurrence,
    }
    duty.text, duty.assignee_label, duty.coordinator_labels = (
        text,
        assignee.strip()[:500],
        [c.strip() for c in coordinators if c.strip()],
    )
    duty.due, duty.edited = due, True
    if section is not None:
        duty.section = section.strip()[:40]
    if recurrence != duty.recurrence:
        found = deadlines.find_recurrence(text) if recurrence else None
        duty.recurrence = recurrence
        same = found is not None and found.kind == recurrence
        duty.recurrence_periods = list(found.periods if same else deadlines.periods_of(recurrence))
        duty.recurrence_month = found.month if same else None
        duty.recurrence_day = found.day if same else None
    with acting_as(user):
        duty.save()
        _apply_resolution(duty)
    after = {
        "text": duty.text,
        "assignee": duty.assignee_label,
        "coordinators": duty.coordinator_labels,
        "due": duty.due,
        "recurrence": duty.recurrence,
    }
    if section != "+":  # a duty added by hand is recorded as such (add_duty)
        for field, value in after.items():
            if value != before[field]:
                record_correction(
                    duty.document,
                    user,
                    CorrectionKind.DUTY,
                    field=field,
                    before=before[field],
                    after=value,
                    duty_id=duty.pk,
                )
    return duty


class DutyRefused(ValidationError):
    """A duty of several saved at once was refused: the message, and which duty (to show it beside it)."""

    def __init__(self, duty: Duty, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.duty = duty


@transaction.atomic
def update_duties(user: Any, edits: list[tuple[Duty, dict[str, Any]]]) -> list[Duty]:
    """Save the duties changed on the review page at once: all of them or, if one is refused, none."""
    saved = []
    for duty, fields in edits:
        try:
            saved.append(update_duty(user, duty, **fields))
        except ValidationError as exc:
            raise DutyRefused(duty, exc) from exc
    return saved


@transaction.atomic
def set_state(user: Any, duty: Duty, state: str) -> Duty:
    """Reject a proposal (delete it from the list) or restore it (undo)."""
    duty = _editable(user, Duty.objects.select_for_update().get(pk=duty.pk))
    if state not in (DutyState.PROPOSED, DutyState.REJECTED):
        raise ValidationError(_("Thao tác không hợp lệ."))
    changed = duty.state != state
    duty.state = state
    with acting_as(user):
        duty.save(update_fields=["state"])
    if changed:
        kind = CorrectionKind.REJECT if state == DutyState.REJECTED else CorrectionKind.RESTORE
        record_correction(duty.document, user, kind, before=duty.text[:200], duty_id=duty.pk)
    return duty


@transaction.atomic
def merge_with_next(user: Any, duty: Duty) -> Duty:
    """Join a duty with the next proposal of the document (the text and coordinators of both)."""
    duty = _editable(user, Duty.objects.select_for_update().get(pk=duty.pk))
    following = (
        Duty.objects.filter(document=duty.document, state=DutyState.PROPOSED, order__gt=duty.order)
        .order_by("order", "id")
        .first()
    )
    if following is None:
        raise ValidationError(_("Không có nhiệm vụ nào phía sau để gộp."))
    duty.text = f"{duty.text}\n{following.text}"[:MAX_DUTY_TEXT]
    duty.coordinator_labels = duty.coordinator_labels + [
        c for c in following.coordinator_labels if c not in duty.coordinator_labels
    ]
    duty.due = duty.due or following.due
    duty.span_end = max(duty.span_end or 0, following.span_end or 0) or None
    duty.edited = True
    with acting_as(user):
        duty.save()
        record_correction(
            duty.document,
            user,
            CorrectionKind.MERGE,
            before=[duty.section, following.section],
            after=duty.text[:200],
            duty_id=duty.pk,
        )
        following.delete()
        _apply_resolution(duty)
    return duty


@transaction.atomic
def split(user: Any, duty: Duty, at: str) -> tuple[Duty, Duty]:
    """Split a duty in two where ``at`` (the start of the second part, as written) begins."""
    duty = _editable(user, Duty.objects.select_for_update().get(pk=duty.pk))
    at = at.strip()
    position = duty.text.find(at) if at else -1
    if position <= 0:
        raise ValidationError(_("Hãy chép đúng phần đầu của đoạn muốn tách (nằm giữa nội dung nhiệm vụ)."))
    first, second = duty.text[:position].strip(), duty.text[position:].strip()
    duty.text, duty.edited = first, True
    with acting_as(user):
        duty.save()
        for later in Duty.objects.filter(document=duty.document, order__gt=duty.order):
            later.order += 10
            later.save(update_fields=["order"])  # one by one, so the audit log has each move
        other = Duty.objects.create(
            document=duty.document,
            section=f"{duty.section}'",
            order=duty.order + 5,
            text=second,
            span_start=duty.span_start,
            span_end=duty.span_end,
            assignee_label=duty.assignee_label,
            coordinator_labels=engine._coordinators(second),
            due=deadlines.find_deadline(second).due,
            due_as_written=(deadlines.find_deadline(second).as_written or "")[:200],
            fingerprint=fingerprint(f"{duty.section}'", second),
            edited=True,
        )
        _apply_resolution(duty)
        _apply_resolution(other)
        record_correction(
            duty.document,
            user,
            CorrectionKind.SPLIT,
            before=duty.section,
            after=[first[:200], second[:200]],
            duty_id=duty.pk,
        )
    return duty, other


@transaction.atomic
def add_duty(
    user: Any,
    document: Document,
    *,
    text: str,
    assignee: str,
    coordinators: list[str],
    due: dt.date | None,
    recurrence: str,
) -> Duty:
    if not can_review(user, document):
        raise PermissionDenied
    last = Duty.objects.filter(document=document).order_by("-order").first()
    with acting_as(user):
        duty = Duty.objects.create(
            document=document,
            section="",
            order=(last.order + 10) if last else 0,
            text=text.strip() or "-",
            fingerprint=fingerprint("+", text + str(timezone.now())),
            edited=True,
        )
    duty = update_duty(
        user,
        duty,
        text=text,
        assignee=assignee,
        coordinators=coordinators,
        due=due,
        recurrence=recurrence,
        section="+",
    )
    record_correction(
        document,
        user,
        CorrectionKind.ADD,
        after={"text": duty.text[:200], "assignee": duty.assignee_label},
        duty_id=duty.pk,
    )
    return duty


@transaction.atomic
def create_missing_unit(user: Any, duty: Duty, name: str) -> OrgUnit:
    """Create a body the registry lacks (proposed in review) under the province it belongs to."""
    duty = _editable(user, duty)
    proposal = next(
        (item for item in duty.unresolved if item.get("name") == name and not item.get("collective")), None
    )
    if proposal is None:
        raise ValidationError(_("Không có đề xuất tạo đơn vị này."))
    parent = OrgUnit.objects.filter(code=proposal.get("parent")).first() if proposal.get("parent") else None
    full_name = (
        name
        if parent is None or fold(parent.name) in fold(name)
        else f"{name} {parent.name[0].lower()}{parent.name[1:]}"
    )
    full_name = full_name.replace("tỉnh tỉnh", "tỉnh")
    base = (parent.code + "-" if parent else "U-") + "".join(w[0] for w in fold(name).split() if w)[
        :10
    ].upper()
    code, n = base, 1
    while OrgUnit.objects.filter(code=code).exists():
        n += 1
        code = f"{base}{n}"
    unit = create_unit(
        user,
        code=code,
        name=full_name[:255],
        kind=OrgKind.DEPARTMENT if parent else OrgKind.OTHER,
        parent=parent,
        source=_("Tạo khi rà soát nhiệm vụ của văn bản %(number)s")
        % {"number": duty.document.number or duty.document.pk},
    )
    with acting_as(user):
        for other in Duty.objects.filter(document=duty.document, state=DutyState.PROPOSED):
            _apply_resolution(other)
    return unit


# -- issuing and occurrences -------------------------------------------------------------------


@transaction.atomic
def issue(user: Any, document: Document, *, today: dt.date | None = None) -> list[Task]:
    """Issue every proposed duty of the document: one task per lead body, with its occurrences."""
    if not can_review(user, document):
        raise PermissionDenied
    proposed = list(
        Duty.objects.select_for_update()
        .filter(document=document, state=DutyState.PROPOSED)
        .prefetch_related("leads", "coordinators")
    )
    if not proposed:
        raise ValidationError(_("Không có nhiệm vụ nào chờ giao."))
    missing = [d.section or str(d.pk) for d in proposed if not d.leads.all()]
    if missing:
        raise ValidationError(
            _("Chưa xác định đơn vị chủ trì cho mục: %(items)s.") % {"items": ", ".join(missing)}
        )
    outside = _leads_outside_scope(user, proposed)
    if outside:
        raise ValidationError(
            _(
                "Không giao được nhiệm vụ cho %(units)s: đơn vị này không thuộc phạm vi của đơn vị bạn. "
                "Đơn vị chỉ giao nhiệm vụ cho chính mình và các đơn vị trực thuộc."
            )
            % {"units": ", ".join(outside)}
        )
    tasks: list[Task] = []
    now = timezone.now()
    with acting_as(user):
        for duty in proposed:
            for lead in duty.leads.all():
                task, _created = Task.objects.get_or_create(duty=duty, lead=lead)
                task.coordinators.set([u for u in duty.coordinators.all() if u.pk != lead.pk])
                ensure_occurrences(task, today=today)
                tasks.append(task)
            duty.state, duty.issued_at, duty.issued_by = DutyState.ISSUED, now, user
            duty.save(update_fields=["state", "issued_at", "issued_by"])
    _notify_issued(user, document, tasks)
    return tasks


def _leads_outside_scope(user: Any, duties: list[Duty]) -> list[str]:
    """The names of lead bodies the user may not assign to: none for central roles; for a unit's officers,
    those outside their scope (a province assigns to its departments and communes, not to another province)."""
    if user.is_superuser or (user.role in (Role.ADMIN, Role.CENTRAL_OFFICER) and is_central(user)):
        return []
    names: list[str] = []
    for duty in duties:
        for lead in duty.leads.all():
            if not in_scope(user, lead) and lead.name not in names:
                names.append(lead.name)
    return names


def _source(document: Document) -> str:
    return document.number or document.subject[:80]


def _notify_issued(user: Any, document: Document, tasks: list[Task]) -> None:
    """Each lead body is told once per document, with the number of duties it leads and where to see them."""
    by_lead: dict[int, list[Task]] = {}
    for task in tasks:
        by_lead.setdefault(task.lead_id, []).append(task)
    for group in by_lead.values():
        lead = group[0].lead
        url = f"/tasks/{group[0].pk}/" if len(group) == 1 else f"/tasks/?document={document.pk}"
        message = ngettext(
            "Văn bản %(source)s giao %(n)s nhiệm vụ cho %(unit)s.",
            "Văn bản %(source)s giao %(n)s nhiệm vụ cho %(unit)s.",
            len(group),
        ) % {"source": _source(document), "n": len(group), "unit": lead.name}
        notify(unit_people(lead), NoticeKind.TASK_ISSUED, message, url, actor=user)


def _about(occurrence: TaskOccurrence) -> str:
    duty = occurrence.task.duty
    label = f"{duty.section} " if duty.section else ""
    return _("nhiệm vụ %(label)scủa văn bản %(source)s") % {"label": label, "source": _source(duty.document)}


def _periods(duty: Duty, start: dt.date, today: dt.date) -> list[tuple[str, dt.date | None]]:
    """(period code, due) of every occurrence a recurring duty has from the day it was given to today, from
    the one engine function (``deadlines.schedule``). A deadline set on the review page ("15/06/2026" for a
    half-yearly report) gives the day and month the later periods repeat when the text gave none."""
    kinds = duty.recurrence_periods or ({"periodic": ["year"], "yearly": ["year"]}.get(duty.recurrence) or [])
    month, day = duty.recurrence_month, duty.recurrence_day
    if month is None and day is None and duty.due is not None:
        month, day = duty.due.month, duty.due.day
    return deadlines.schedule(list(kinds), month, day, start, today)


def ensure_occurrences(task: Task, *, today: dt.date | None = None) -> int:
    """Create the occurrences a task should have by ``today`` (idempotent): one for a one-off or continuous
    duty; for a recurring one, every period from the document's year to the current year."""
    today = today or timezone.localdate()
    duty = task.duty
    if duty.recurrence in ("", Recurrence.CONTINUOUS) or not (
        duty.recurrence_periods or duty.recurrence in ("yearly", "periodic")
    ):
        _obj, created = TaskOccurrence.objects.get_or_create(task=task, period="", defaults={"due": duty.due})
        return int(created)
    given = duty.document.issued_on or (duty.issued_at.date() if duty.issued_at else today)
    existing = set(task.occurrences.values_list("period", flat=True))
    created = 0
    for code, due in _periods(duty, given, today):
        if code not in existing:  # one by one, so the audit log has each (a few a task, once a period)
            _obj, made = TaskOccurrence.objects.get_or_create(task=task, period=code, defaults={"due": due})
            created += int(made)
    return created


# -- progress and completion -------------------------------------------------------------------


@transaction.atomic
def report_progress(
    user: Any,
    occurrence: TaskOccurrence,
    *,
    text: str,
    percent: int,
    files: list[Any] = (),
    documents: list[Document] = (),
    document_numbers: str = "",
    done_on: dt.date | None = None,
) -> ProgressEntry:
    """A progress report on an occurrence: what was done, how far, its evidence files and the documents issued
    for it, given as records or by their numbers (a number the registry lacks is kept as a citation)."""
    from ttdn.core.services import store_attachment
    from ttdn.documents.services import documents_for_numbers

    occurrence = TaskOccurrence.objects.select_for_update().select_related("task__lead").get(pk=occurrence.pk)
    if not can_report(user, occurrence.task):
        raise PermissionDenied
    if occurrence.completed_on:
        raise ValidationError(
            _("Nhiệm vụ đã được xác nhận hoàn thành; hãy đề nghị lãnh đạo mở lại nếu cần bổ sung.")
        )
    text = text.strip()
    if not text:
        raise ValidationError(_("Hãy ghi nội dung đã thực hiện."))
    if not 0 <= percent <= 100:
        raise ValidationError(_("Tiến độ phải từ 0 đến 100%."))
    if done_on is not None:
        if percent != 100:
            raise ValidationError({"done_on": _("Ngày hoàn thành chỉ ghi khi báo cáo hoàn thành 100%.")})
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("Ngày hoàn thành không thể sau hôm nay.")})
    named = documents_for_numbers(document_numbers, unit=user.org_unit or occurrence.task.lead)
    documents = [*documents, *(d for d in named if d not in documents)]
    stored = []
    errors = []
    for upload in files:
        try:
            stored.append(store_attachment(user, occurrence.task.lead, upload))
        except ValidationError as exc:
            errors.append(f"{upload.name}: {' '.join(exc.messages)}")
    if errors:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise ValidationError(errors)
    with acting_as(user):
        entry = ProgressEntry.objects.create(
            occurrence=occurrence, text=text[:MAX_DUTY_TEXT], percent=percent, author=user, done_on=done_on
        )
        entry.attachments.set(stored)
        entry.documents.set(list(documents))
        occurrence.progress = percent
        occurrence.entries_count += 1
        occurrence.save(update_fields=["progress", "entries_count", "updated_at"])
    if percent == 100:
        notify(
            unit_people(occurrence.task.lead, [Role.UNIT_LEADER]),
            NoticeKind.TASK_REPORTED,
            _("%(unit)s báo cáo hoàn thành %(what)s: chờ lãnh đạo xác nhận.")
            % {"unit": occurrence.task.lead.name, "what": _about(occurrence)},
            f"/tasks/{occurrence.task_id}/",
            actor=user,
        )
    return entry


@transaction.atomic
def confirm(user: Any, occurrence: TaskOccurrence) -> TaskOccurrence:
    """The lead body's leader confirms completion. The day of completion is the one the 100% report gives
    (ngày hoàn thành thực tế), else the day it was reported: never the day of confirming."""
    occurrence = TaskOccurrence.objects.select_for_update().select_related("task__lead").get(pk=occurrence.pk)
    if not can_confirm(user, occurrence.task):
        raise PermissionDenied
    if occurrence.completed_on:
        raise ValidationError(_("Nhiệm vụ đã được xác nhận hoàn thành."))
    done = occurrence.entries.order_by("-created_at", "-id").first()
    if done is None or done.percent != 100:  # a report sent back is not done until reported again
        raise ValidationError(
            _("Chưa có báo cáo hoàn thành 100%; đơn vị cần báo cáo kết quả trước khi xác nhận.")
        )
    occurrence.completed_on = done.done_on or timezone.localdate(done.created_at)
    occurrence.confirmed_by, occurrence.confirmed_at = user, timezone.now()
    with acting_as(user):
        occurrence.save()
    notify(
        unit_people(occurrence.task.lead),
        NoticeKind.TASK_CONFIRMED,
        _("Lãnh đạo đã xác nhận hoàn thành %(what)s.") % {"what": _about(occurrence)},
        f"/tasks/{occurrence.task_id}/",
        actor=user,
    )
    return occurrence


@transaction.atomic
def send_back(user: Any, occurrence: TaskOccurrence, reason: str) -> TaskOccurrence:
    """Trả lại: the leader does not accept a report of completion (not yet confirmed) and says why; the task
    goes back to the progress reported before it, and the body reports again."""
    occurrence = TaskOccurrence.objects.select_for_update().select_related("task__lead").get(pk=occurrence.pk)
    if not can_confirm(user, occurrence.task):
        raise PermissionDenied
    if occurrence.completed_on:
        raise ValidationError(_("Nhiệm vụ đã được xác nhận hoàn thành; hãy mở lại nếu cần."))
    latest = occurrence.entries.order_by("-created_at", "-id").first()
    if latest is None or latest.percent != 100:
        raise ValidationError(_("Không có báo cáo hoàn thành nào đang chờ xác nhận."))
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    before = (
        occurrence.entries.exclude(pk=latest.pk)
        .filter(percent__lt=100)
        .order_by("-created_at", "-id")
        .first()
    )
    occurrence.progress = before.percent if before else 0
    with acting_as(user):
        occurrence.save(update_fields=["progress"])
        ProgressEntry.objects.create(
            occurrence=occurrence,
            text=_("Trả lại: %(reason)s") % {"reason": reason.strip()[:MAX_DUTY_TEXT]},
            percent=occurrence.progress,
            author=user,
        )
    notify(
        unit_people(occurrence.task.lead),
        NoticeKind.TASK_RETURNED,
        _("Lãnh đạo trả lại báo cáo hoàn thành %(what)s: %(reason)s")
        % {"what": _about(occurrence), "reason": reason.strip()},
        f"/tasks/{occurrence.task_id}/",
        actor=user,
    )
    return occurrence


@transaction.atomic
def reopen(user: Any, occurrence: TaskOccurrence, reason: str) -> TaskOccurrence:
    occurrence = TaskOccurrence.objects.select_for_update().select_related("task__lead").get(pk=occurrence.pk)
    if not can_confirm(user, occurrence.task):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do mở lại."))
    occurrence.completed_on, occurrence.confirmed_by, occurrence.confirmed_at = None, None, None
    with acting_as(user):
        occurrence.save()
        ProgressEntry.objects.create(
            occurrence=occurrence,
            text=_("Mở lại: %(reason)s") % {"reason": reason.strip()},
            percent=occurrence.progress,
            author=user,
        )
    notify(
        unit_people(occurrence.task.lead),
        NoticeKind.TASK_RETURNED,
        _("Lãnh đạo mở lại %(what)s: %(reason)s") % {"what": _about(occurrence), "reason": reason.strip()},
        f"/tasks/{occurrence.task_id}/",
        actor=user,
    )
    return occurrence


# -- the tracking table --------------------------------------------------------------------------------


def can_link_tracking(user: Any) -> bool:
    """The centre decides which duties feed the national tracking table."""
    return user.is_authenticated and (
        user.is_superuser or (user.role in (Role.ADMIN, Role.CENTRAL_OFFICER) and is_central(user))
    )


@transaction.atomic
def link_tracking_item(user: Any, duty: Duty, item: Any) -> Duty:
    """Name the tracking item a duty carries out (or none): each of its tasks confirmed done then proves the
    item for its lead body in the year of completion (``tasks.selectors.tracking_evidence``)."""
    if not can_link_tracking(user):
        raise PermissionDenied
    duty.tracking_item = item
    with acting_as(user):
        duty.save(update_fields=["tracking_item"])
    return duty
