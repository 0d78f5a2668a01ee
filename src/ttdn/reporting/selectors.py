"""Reads of the tracking table, by historical bodies or rolled up to today's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.core.worklist import APPROVE, DO, WorkItem
from ttdn.orgs import selectors as orgs
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.scope import restrict
from ttdn.reporting import tracking
from ttdn.reporting.models import TrackingImport, TrackingItem, TrackingValue


@dataclass
class TrackingView:
    """The table for some years. Marks are loaded only when cells are shown; totals and "done at
    least once" counts come from one aggregate query when the bodies are the historical ones."""

    mode: str  # "historical" or "current"
    as_of: dt.date
    items: list[TrackingItem]
    years: list[int]
    bodies_source: Any  # a list or a query of bodies, read on first use
    marks_loader: Any = None
    aggregate: tuple[list[int], dict[str, int]] | None = None
    _marks: dict[tuple[str, str, int], bool] | None = field(default=None, repr=False)
    _bodies: list[OrgUnit] | None = field(default=None, repr=False)

    @property
    def bodies(self) -> list[OrgUnit]:
        if self._bodies is None:
            self._bodies = list(self.bodies_source)
        return self._bodies

    @property
    def marks(self) -> dict[tuple[str, str, int], bool]:
        """(unit code, item code, year) -> mark."""
        if self._marks is None:
            self._marks = self.marks_loader() if self.marks_loader else {}
        return self._marks

    def cell(self, unit: OrgUnit, item: str, year: int) -> bool | None:
        return self.marks.get((unit.code, item, year))

    @property
    def rows(self) -> list[tuple[OrgUnit, list[bool | None], dict[str, bool]]]:
        out = []
        for unit in self.bodies:
            cells = [self.cell(unit, i.code, y) for i in self.items for y in self.years]
            ever = {i.code: any(self.cell(unit, i.code, y) for y in self.years) for i in self.items}
            out.append((unit, cells, ever))
        return out

    @property
    def totals(self) -> list[int]:
        if self.aggregate is not None:
            return self.aggregate[0]
        return [
            sum(1 for u in self.bodies if self.cell(u, i.code, y)) for i in self.items for y in self.years
        ]

    @property
    def ever_counts(self) -> dict[str, int]:
        if self.aggregate is not None:
            return self.aggregate[1]
        return {
            i.code: sum(1 for u in self.bodies if any(self.cell(u, i.code, y) for y in self.years))
            for i in self.items
        }

    @property
    def ever_rows(self) -> list[tuple[TrackingItem, int]]:
        counts = self.ever_counts
        return [(i, counts[i.code]) for i in self.items]

    @property
    def sentences(self) -> list[str]:
        return tracking.sentences(self.ever_counts, len(self.bodies))

    def as_table(self) -> tracking.TrackingTable:
        rows = [
            tracking.Row(
                u.short_name or u.name,
                {(i.code, y): bool(self.cell(u, i.code, y)) for i in self.items for y in self.years},
            )
            for u in self.bodies
        ]
        return tracking.TrackingTable([i.code for i in self.items], list(self.years), rows)


def available_years() -> list[int]:
    return sorted(set(TrackingValue.objects.values_list("year", flat=True).distinct()))


def default_span(available: list[int]) -> tuple[int | None, int | None]:
    """The years the table opens on: those of the latest imported table (the letter's appendix), or
    else the latest year with values (derived marks alone, such as approved plans)."""
    if not available:
        return None, None
    latest = latest_import()
    years = [y for y in (latest.summary.get("years") or []) if y in available] if latest else []
    if years:
        return min(years), max(years)
    return available[-1], available[-1]


def latest_import() -> TrackingImport | None:
    return TrackingImport.objects.first()


def tracking_view(
    *, years: list[int], mode: str = "historical", as_of: dt.date | None = None, kind: str = OrgKind.PROVINCE
) -> TrackingView:
    """The table for the given years: by the bodies of that time (63 provinces for 2011-2012), or rolled
    up to the bodies valid on ``as_of`` (today by default) through the lineage."""
    as_of = as_of or timezone.localdate()
    items = list(TrackingItem.objects.all())
    if not years:
        return TrackingView(mode, as_of, items, [], [])
    era = dt.date(max(years), 12, 31)
    values = TrackingValue.objects.filter(year__in=years)

    if mode == "current":
        bodies = OrgUnit.objects.valid_on(as_of).filter(kind=kind).order_by("sort_key")

        def load_current() -> dict[tuple[str, str, int], bool]:
            rows = list(values.values_list("unit__code", "item__code", "year", "value"))
            mapping = {
                u.code: [s.code for s in orgs.successors(u, as_of)]
                for u in OrgUnit.objects.filter(code__in={r[0] for r in rows})
            }
            return tracking.rollup(rows, mapping)

        return TrackingView(mode, as_of, items, sorted(years), bodies, marks_loader=load_current)

    bodies = OrgUnit.objects.valid_on(era).filter(kind=kind).order_by("sort_key")
    scoped = values.filter(unit__in=OrgUnit.objects.valid_on(era).filter(kind=kind))

    def load_historical() -> dict[tuple[str, str, int], bool]:
        return tracking.rollup(scoped.values_list("unit__code", "item__code", "year", "value"), {})

    return TrackingView(
        mode,
        era,
        items,
        sorted(years),
        bodies,
        marks_loader=load_historical,
        aggregate=_aggregate(kind, era, items, sorted(years)),
    )


def _aggregate(
    kind: str, era: dt.date, items: list[TrackingItem], years: list[int]
) -> tuple[list[int], dict[str, int]]:
    """Totals per item and year and "done at least once" per item, in one SQL statement: per body and
    item, whether it ever had it and a count per year, summed per item by the database (one row per
    item comes back). Written out rather than built with the ORM: compiling fifteen conditional sums
    cost more than running them. Same bodies as the page: of ``kind``, valid at the end of the era."""
    totals = {i.pk: [0] * len(years) for i in items}
    ever = {i.pk: 0 for i in items}
    if years:
        per_year = ", ".join(
            f"SUM(CASE WHEN v.year = %s AND v.value THEN 1 ELSE 0 END) AS y{n}" for n in range(len(years))
        )
        outer = ", ".join(f"SUM(y{n})" for n in range(len(years)))
        sql = (
            f"SELECT item_id, SUM(ever), {outer} FROM (SELECT v.item_id AS item_id, MAX(CASE WHEN v.value THEN 1 ELSE 0 END) AS ever, {per_year} "
            f"FROM {TrackingValue._meta.db_table} v JOIN {OrgUnit._meta.db_table} u ON u.id = v.unit_id "
            f"WHERE u.kind = %s AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s) "
            f"AND v.year IN ({', '.join(['%s'] * len(years))}) GROUP BY v.item_id, v.unit_id) per_body GROUP BY item_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*years, kind, era, era, *years])
            fetched = cursor.fetchall()
        for row in fetched:
            counts = totals.get(row[0])
            if counts is None:
                continue
            ever[row[0]] += int(row[1] or 0)
            for k in range(len(years)):
                counts[k] += int(row[2 + k] or 0)
    return [n for i in items for n in totals[i.pk]], {i.code: ever[i.pk] for i in items}


def worklist(user: Any) -> list[WorkItem]:
    """Reports waiting for this user: a leader's approval (the level whose turn it is), the centre's acceptance,
    and a body's reports returned or still in draft."""
    from django.urls import reverse

    from ttdn.accounts.models import Role
    from ttdn.reporting.models import Submission, SubmissionState
    from ttdn.reporting.services.submissions import can_accept, period_of

    visible = restrict(Submission.objects.select_related("form", "unit"), user, "unit", "awaiting")
    items: list[WorkItem] = []

    def line(sub: Submission, kind: str, text: str, since: Any, note: str = "") -> WorkItem:
        what = f"{sub.form.name}, {period_of(sub.form, sub.period).label}: {sub.unit.name}"
        url = reverse("reporting:submission", args=[sub.form.code, sub.period, sub.unit.code])
        return WorkItem(kind, f"{text}: {what}", url, since, note)

    if user.role == Role.UNIT_LEADER and user.org_unit_id:
        for sub in visible.filter(state=SubmissionState.SUBMITTED, awaiting_id=user.org_unit_id)[:50]:
            items.append(line(sub, APPROVE, _("Duyệt báo cáo"), sub.submitted_at))
    if can_accept(user):
        for sub in visible.filter(state=SubmissionState.APPROVED).order_by("decided_at")[:50]:
            items.append(line(sub, APPROVE, _("Tiếp nhận"), sub.decided_at))
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) and user.org_unit_id:
        own = visible.filter(unit_id=user.org_unit_id)
        for sub in own.filter(state=SubmissionState.RETURNED)[:50]:
            items.append(line(sub, DO, _("Sửa và gửi lại"), sub.decided_at, sub.comment))
        for sub in own.filter(state=SubmissionState.DRAFT)[:50]:
            items.append(line(sub, DO, _("Hoàn thành và gửi"), None))
    return items


@dataclass
class Rollup:
    """Tổng hợp số liệu: the figures the bodies reported on a form for a period, added up by top-level body
    (a province with its departments and communes, a ministry with its units) and nationally. Only reports
    sent to the centre count; yes/no indicators count the bodies that answered yes."""

    indicators: list[Any]
    rows: list[tuple[Any, int, dict[str, Any]]]  # (top-level body, reports counted, totals by indicator code)
    national: dict[str, Any]
    reports: int


ROLLED_KINDS = ("count", "money", "yes_no")


def rollup(user: Any, form: Any, period_code: str) -> Rollup:
    from ttdn.reporting.models import Submission
    from ttdn.reporting.services.submissions import total_of

    indicators = [i for i in form.indicators.all() if i.kind in ROLLED_KINDS]
    sent = restrict(
        Submission.objects.filter(form=form, period=period_code, sent_at__isnull=False).select_related(
            "unit"
        ),
        user,
        "unit",
    )
    tops: dict[str, OrgUnit] = {}
    sums: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    national: dict[str, Any] = {}
    subs = list(sent)
    roots = {
        u.path: u
        for u in OrgUnit.objects.filter(parent__isnull=True, path__in={_root(s.unit.path) for s in subs})
    }
    for sub in subs:
        root = roots.get(_root(sub.unit.path), sub.unit)
        tops[root.path] = root
        counts[root.path] = counts.get(root.path, 0) + 1
        line = sums.setdefault(root.path, {})
        for indicator in indicators:
            value = total_of(sub.values.get(indicator.code))
            if indicator.kind == "yes_no":
                value = 1 if value is True else 0
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                line[indicator.code] = line.get(indicator.code, 0) + value
                national[indicator.code] = national.get(indicator.code, 0) + value
    order = sorted(tops.values(), key=lambda u: (u.kind, u.sort_key, u.code))
    return Rollup(indicators, [(u, counts[u.path], sums[u.path]) for u in order], national, len(subs))


def _root(path: str) -> str:
    """The materialised path ("/T44-2025/T44-2025-SVHTTDL/") of a body's top-level ancestor ("/T44-2025/")."""
    return "/" + path.strip("/").split("/")[0] + "/"
