"""Reads of the tasks app: what a user may see, lists with filters, the overdue dashboard, calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from ttdn.core.dates import format_date
from ttdn.core.text import fold
from ttdn.core.versions import LazyRows, cached_page, fragment_key, remember
from ttdn.core.worklist import APPROVE, DO, WorkItem
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.scope import restrict, scope_key
from ttdn.tasks.models import Duty, DutyState, Task, TaskOccurrence, TaskStatus

SORTS = {
    "due": (F("due").asc(nulls_last=True), "id"),
    "-due": (F("due").desc(nulls_last=True), "-id"),
    "body": ("task__lead__sort_key", F("due").asc(nulls_last=True)),
    "status": ("status", F("due").asc(nulls_last=True)),
}


def visible_occurrences(user: Any) -> QuerySet[TaskOccurrence]:
    """Occurrences of the tasks whose lead or a coordinating body is in the user's scope (one gate)."""
    qs = TaskOccurrence.objects.select_related("task__lead", "task__duty__document")
    return restrict(qs, user, "task__lead", "task__coordinators")


def visible_task(user: Any, pk: int) -> Task | None:
    occurrence = visible_occurrences(user).filter(task_id=pk).first()
    return occurrence.task if occurrence else None


@dataclass
class Filters:
    status: str = ""
    unit: str = ""
    document: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    query: str = ""
    sort: str = "due"


def occurrence_list(user: Any, filters: Filters, *, today: dt.date) -> QuerySet[TaskOccurrence]:
    qs = visible_occurrences(user).with_status(today)
    if filters.status in TaskStatus.values:
        qs = qs.filter(status=filters.status)
    elif filters.status == "open":
        qs = qs.filter(completed_on__isnull=True)
    if filters.unit:
        unit = OrgUnit.objects.filter(code=filters.unit).first()
        qs = qs.filter(task__lead__path__startswith=unit.path) if unit else qs.none()
    if filters.document:
        qs = qs.filter(task__duty__document_id=filters.document)
    if filters.due_from:
        qs = qs.filter(due__gte=filters.due_from)
    if filters.due_to:
        qs = qs.filter(due__lte=filters.due_to)
    for word in fold(filters.query).split()[:8]:
        qs = qs.filter(
            Q(task__lead__search_text__contains=word)
            | Q(task__duty__document__search_text__contains=word)
            | Q(task__duty__search_text__contains=word)
        )
    return qs.order_by(*SORTS.get(filters.sort, SORTS["due"]))


def status_counts(qs: QuerySet[TaskOccurrence]) -> dict[str, int]:
    counts = {row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("id"))}
    return {status: counts.get(status, 0) for status in TaskStatus.values}


# What the task lists are built from: the tasks, their bodies and documents.
READS = ("tasks", "orgs", "documents")


def occurrence_page(user: Any, filters: Filters, *, today: dt.date, number: Any, per_page: int) -> Page:
    """One page of ``occurrence_list``: its count and order kept until the tasks change."""
    qs = occurrence_list(user, filters, today=today)
    parts = (scope_key(user), repr(filters), today)
    return cached_page(qs, number, per_page, name="task-list", parts=parts, reads=READS)


def list_fragment(name: str, user: Any, query: Any, *, today: dt.date) -> str:
    """The cache key of a task list's rendered rows (the list page's, the overdue page's): per scope, query string
    (filters, sort, page) and day."""
    return fragment_key(name, (scope_key(user), sorted(query.lists()), today), reads=READS)


def visible_status_counts(
    user: Any, *, today: dt.date, unit: str = "", document: int | None = None
) -> dict[str, int]:
    """The counts of the user's occurrences by status (of one body's or one document's), kept until the tasks
    change."""
    qs = occurrence_list(user, Filters(unit=unit, document=document), today=today)
    return remember(
        "task-counts", (scope_key(user), unit, document, today), lambda: status_counts(qs), reads=READS
    )


class Heirs:
    """The body that carries each lead on today (kế thừa): itself while it exists, else its successor through
    the registry's events (Bình Phước's 2012 work is Đồng Nai's since 01/07/2025). Looked up once per lead."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self._heirs: dict[int, OrgUnit] = {}

    def of(self, unit: OrgUnit) -> OrgUnit:
        if unit.pk not in self._heirs:
            from ttdn.orgs.selectors import successors

            found = successors(unit, self.on)
            self._heirs[unit.pk] = found[0] if found else unit  # dissolved without successor: as it was
        return self._heirs[unit.pk]


def overdue_by_body(user: Any, *, today: dt.date, limit: int | None = None) -> list[tuple[OrgUnit, int]]:
    """Bodies with overdue occurrences as they are today (the work of an abolished body counted under the body
    that carries it on), most overdue first (the centre's dashboard); kept until the tasks change."""
    return remember(
        "overdue-bodies",
        (scope_key(user), today, limit),
        lambda: _overdue_by_body(user, today=today, limit=limit),
        reads=READS,
    )


def _overdue_by_body(user: Any, *, today: dt.date, limit: int | None) -> list[tuple[OrgUnit, int]]:
    rows = (
        visible_occurrences(user)
        .with_status(today)
        .filter(status=TaskStatus.OVERDUE)
        .order_by()
        .values("task__lead_id")
        .annotate(n=Count("id"))
    )
    leads = OrgUnit.objects.in_bulk([r["task__lead_id"] for r in rows])
    heirs = Heirs(today)
    counts: dict[int, int] = {}
    bodies: dict[int, OrgUnit] = {}
    for row in rows:
        heir = heirs.of(leads[row["task__lead_id"]])
        bodies[heir.pk] = heir
        counts[heir.pk] = counts.get(heir.pk, 0) + row["n"]
    ranked = sorted(counts, key=lambda pk: (-counts[pk], bodies[pk].sort_key, pk))
    return [(bodies[pk], counts[pk]) for pk in (ranked[:limit] if limit else ranked)]


def overdue_items(user: Any, *, today: dt.date, unit: OrgUnit | None = None) -> OverdueItems:
    """Overdue occurrences, each with ``heir`` (the body that answers for it today) and ``inherited`` (its lead
    was another body, now gone into it), by body as of today then by due date. ``unit``: that body's, its
    predecessors' included. Lazy: counted per lead in one query, and a page is read in one more."""
    from ttdn.orgs.selectors import predecessors

    qs = visible_occurrences(user).with_status(today).filter(status=TaskStatus.OVERDUE)
    if unit is not None:
        qs = qs.filter(task__lead__in=[unit, *predecessors(unit, today)])

    def build() -> list[OverdueBucket]:
        counts = {
            row["task__lead_id"]: row["n"]
            for row in qs.order_by().values("task__lead_id").annotate(n=Count("id"))
        }
        leads = OrgUnit.objects.in_bulk(list(counts))
        heirs = Heirs(today)
        buckets: dict[int, OverdueBucket] = {}
        for lead_id, n in counts.items():
            heir = heirs.of(leads[lead_id])
            bucket = buckets.setdefault(heir.pk, OverdueBucket(heir))
            bucket.leads.append(lead_id)
            bucket.n += n
        return sorted(buckets.values(), key=lambda b: (b.heir.sort_key, b.heir.pk))

    parts = (scope_key(user), today, unit.pk if unit else None)
    return OverdueItems(qs, remember("overdue-buckets", parts, build, reads=READS))


@dataclass
class OverdueBucket:
    """The overdue occurrences one body answers for today: its own and those of the bodies gone into it."""

    heir: OrgUnit
    leads: list[int] = field(default_factory=list)
    n: int = 0


class OverdueItems:
    """The overdue list in its order (body as of today, then due date), read a slice at a time: a page costs
    one query whatever the number of overdue occurrences (a paginator's ``object_list``)."""

    def __init__(self, qs: QuerySet[TaskOccurrence], buckets: list[OverdueBucket]) -> None:
        self.qs = qs
        self.buckets = buckets
        self.total = sum(b.n for b in buckets)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> Sequence[TaskOccurrence]:
        if not isinstance(index, slice):
            raise TypeError("OverdueItems is read by slices")
        start, stop, _step = index.indices(self.total)
        if start >= stop:
            return LazyRows(list)

        def load() -> list[TaskOccurrence]:
            shown: list[OverdueBucket] = []  # the bodies this slice reaches, in order
            first = offset = 0
            for bucket in self.buckets:
                if offset + bucket.n > start and offset < stop:
                    first = first if shown else offset
                    shown.append(bucket)
                offset += bucket.n
            rank = Case(
                *(When(task__lead_id__in=b.leads, then=Value(i)) for i, b in enumerate(shown)),
                output_field=IntegerField(),
            )
            rows = (
                self.qs.filter(task__lead_id__in=[lead for b in shown for lead in b.leads])
                .select_related("task__lead", "task__duty__document")
                .annotate(heir_rank=rank)
                .order_by("heir_rank", F("due").asc(nulls_last=True), "pk")[start - first : stop - first]
            )
            items = list(rows)
            for item in items:
                item.heir = shown[item.heir_rank].heir
                # the same name carried on is the same body to a reader
                item.inherited = item.heir.name != item.task.lead.name
            return items

        return LazyRows(load)  # read when shown: a kept rendering of the page reads none


def review_duties(document_id: int) -> list[Duty]:
    return list(
        Duty.objects.filter(document_id=document_id)
        .exclude(state=DutyState.ISSUED)
        .prefetch_related("leads", "coordinators")
        .order_by("order", "id")
    )


def issued_duties(document_id: int) -> QuerySet[Duty]:
    return (
        Duty.objects.filter(document_id=document_id, state=DutyState.ISSUED)
        .annotate(n_tasks=Count("tasks"))
        .order_by("order", "id")
    )


def unit_deadlines(unit: OrgUnit) -> QuerySet[TaskOccurrence]:
    """Dated, open occurrences a body leads (its iCalendar feed)."""
    return (
        TaskOccurrence.objects.filter(task__lead=unit, due__isnull=False, completed_on__isnull=True)
        .select_related("task__duty__document")
        .order_by("due", "id")
    )


def worklist(user: Any, *, today: dt.date, limit: int = 20) -> list[WorkItem]:
    """Tasks waiting for this user: for a leader, reports of completion to confirm (xác nhận hoàn thành); for
    a body's staff, its own overdue work (oldest deadline first)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ttdn.accounts.models import Role
    from ttdn.tasks.extraction.deadlines import period_label

    if user.role not in (Role.UNIT_OFFICER, Role.UNIT_LEADER) or not user.org_unit_id:
        return []
    base = restrict(
        TaskOccurrence.objects.select_related("task__lead", "task__duty__document"), user, "task__lead"
    ).filter(completed_on__isnull=True)
    items: list[WorkItem] = []

    def what(o: TaskOccurrence) -> str:
        duty = o.task.duty
        period = f" ({period_label(o.period)})" if o.period else ""
        return (
            f"{duty.section} {duty.document.number or duty.document.subject[:60]}{period}: {duty.text[:120]}"
        )

    if user.role == Role.UNIT_LEADER:
        for o in base.filter(progress=100).order_by("updated_at")[:limit]:
            url = reverse("tasks:detail", args=[o.task_id])
            items.append(
                WorkItem(APPROVE, _("Xác nhận hoàn thành %(what)s") % {"what": what(o)}, url, o.updated_at)
            )
    own = base.filter(task__lead_id=user.org_unit_id, due__lt=today).exclude(progress=100)
    for o in own.order_by("due", "id")[:limit]:
        url = reverse("tasks:detail", args=[o.task_id])
        note = _("quá hạn từ %(due)s") % {"due": format_date(o.due)}
        since = dt.datetime.combine(o.due, dt.time(), tzinfo=dt.UTC)
        items.append(WorkItem(DO, _("Báo cáo kết quả %(what)s") % {"what": what(o)}, url, since, note))
    return items


def tracking_evidence(years: Any) -> list[Any]:
    """Tasks confirmed done whose duty the centre linked to a tracking item (registered in
    ``reporting.sources``): each proves the item for its lead body in the year it was completed (a
    department's task for its province; an abolished body's task, completed by its heir, for the heir)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ttdn.core.dates import format_date
    from ttdn.reporting.sources import Evidence

    done = TaskOccurrence.objects.filter(
        completed_on__isnull=False, confirmed_at__isnull=False, task__duty__tracking_item__isnull=False
    ).select_related("task__lead", "task__duty__document", "task__duty__tracking_item")
    if years is not None:
        done = done.filter(completed_on__range=(dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)))
    found = []
    for occurrence in done.order_by("completed_on", "id"):
        duty = occurrence.task.duty
        text = " ".join(duty.text.split())
        found.append(
            Evidence(
                occurrence.task.lead_id,
                duty.tracking_item.code,
                occurrence.completed_on.year,
                _("Nhiệm vụ “%(text)s” (%(document)s), hoàn thành ngày %(day)s, đã xác nhận")
                % {
                    "text": text if len(text) <= 120 else text[:119] + "…",
                    "document": " ".join(p for p in (duty.document.doc_type, duty.document.number) if p),
                    "day": format_date(occurrence.completed_on),
                },
                f"{reverse('tasks:detail', args=[occurrence.task_id])}?occ={occurrence.pk}",
            )
        )
    return found
