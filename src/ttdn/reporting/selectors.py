"""Reads of the tracking table: by the bodies of each year or rolled up to today's, with the marks that
records prove (derived, each with its evidence) beside the stored ones (imported or entered)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.core.dates import format_date, is_valid_on
from ttdn.core.versions import RECORDS, fragment_key, remember
from ttdn.core.worklist import APPROVE, DO, WorkItem
from ttdn.orgs import selectors as orgs
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.scope import restrict, scope_key, scope_prefixes
from ttdn.reporting import sources, tracking
from ttdn.reporting.models import TrackingImport, TrackingItem, TrackingValue, ValueOrigin

Key = tracking.Key


def year_end(year: int) -> dt.date:
    """The day a year's bodies are read on: a body counts for a year when it existed at the year's end (2025 is
    a year of the 34 provinces; what one of the 63 recorded in its first half is carried to its successor)."""
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Era:
    """Years counted out of the same bodies (2011-2012: 63 provinces; 2026: 34) and, per item, how many of
    them did it at least once in those years."""

    years: list[int]
    bodies: int
    ever: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.years[0]} - {self.years[-1]}" if len(self.years) > 1 else str(self.years[0])


@dataclass(frozen=True)
class Shown:
    """One cell as the page shows it: whether the body existed that year, and its cell (or none)."""

    applicable: bool
    cell: tracking.Cell | None

    @property
    def mark(self) -> bool:
        return bool(self.applicable and self.cell and self.cell.mark)

    @property
    def url(self) -> str:
        """Where the first record the reader may open is."""
        if not self.cell:
            return ""
        return next((p.url for p in self.cell.proofs if p.url), "")

    @property
    def title(self) -> str:
        """What the cell rests on, in words (the cell's tooltip): its origin and the records' names."""
        cell = self.cell
        if not self.applicable:
            return _("Đơn vị chưa có hoặc đã thôi tồn tại vào cuối năm này.")
        if cell is None:
            return ""
        names = "; ".join(p.label for p in cell.proofs)
        if cell.conflict:
            return _("Bảng đã nhập ghi chưa thực hiện, nhưng hồ sơ cho thấy đã thực hiện: %(names)s") % {
                "names": names
            }
        if cell.derived:
            return _("Suy ra từ hồ sơ: %(names)s") % {"names": names}
        origin = ValueOrigin(cell.origin).label if cell.origin in ValueOrigin.values else cell.origin
        if names:
            return _("%(origin)s; hồ sơ: %(names)s") % {"origin": str(origin).capitalize(), "names": names}
        return ""


@dataclass
class TrackingView:
    """The table for some years. In the "at that time" mode (historical) each year has the bodies that existed
    at its end (``year_bodies``) and the years are counted in eras of the same bodies; in the "current" mode
    every mark is carried to the bodies of ``as_of`` through the lineage. Cells are loaded only when shown;
    when no record and no carried value is involved, totals and "done at least once" counts come from one
    aggregate query."""

    mode: str  # "historical" or "current"
    as_of: dt.date
    items: list[TrackingItem]
    years: list[int]
    bodies_source: Any  # a list or a query of bodies, read on first use
    cells_loader: Callable[[], dict[Key, tracking.Cell]] | None = None
    aggregate_loader: Callable[[], tuple[list[int], list[dict[str, int]]]] | None = None
    year_bodies: dict[int, frozenset[int]] | None = None  # None: every body shown counts for every year
    _cells: dict[Key, tracking.Cell] | None = field(default=None, repr=False)
    _bodies: list[OrgUnit] | None = field(default=None, repr=False)
    _aggregate: tuple[list[int], list[dict[str, int]]] | None = field(default=None, repr=False)

    @property
    def bodies(self) -> list[OrgUnit]:
        if self._bodies is None:
            self._bodies = list(self.bodies_source)
        return self._bodies

    @property
    def cells(self) -> dict[Key, tracking.Cell]:
        """(unit code, item code, year) -> cell."""
        if self._cells is None:
            self._cells = self.cells_loader() if self.cells_loader else {}
        return self._cells

    @property
    def marks(self) -> dict[Key, bool]:
        return {key: cell.mark for key, cell in self.cells.items()}

    def exists(self, unit: OrgUnit, year: int) -> bool:
        """Whether ``unit`` is one of the bodies of ``year`` in this view."""
        return self.year_bodies is None or unit.pk in self.year_bodies.get(year, frozenset())

    def shown(self, unit: OrgUnit, item: str, year: int) -> Shown:
        applicable = self.exists(unit, year)
        return Shown(applicable, self.cells.get((unit.code, item, year)) if applicable else None)

    def cell(self, unit: OrgUnit, item: str, year: int) -> bool | None:
        """The mark counted for the body, item and year (None: nothing recorded or proven)."""
        shown = self.shown(unit, item, year)
        return shown.cell.mark if shown.cell else None

    def name_of(self, unit: OrgUnit) -> str:
        """The body's short name; when two bodies of the table bear it (Quảng Trị until 30/06/2025 and from
        01/07/2025), with the dates that tell them apart."""
        name = unit.short_name or unit.name
        if self._names().get(name, 0) < 2:
            return name
        if unit.valid_to is not None:
            return _("%(name)s (đến %(day)s)") % {"name": name, "day": format_date(unit.valid_to)}
        if unit.valid_from is not None:
            return _("%(name)s (từ %(day)s)") % {"name": name, "day": format_date(unit.valid_from)}
        return name

    def _names(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for unit in self.bodies:
            key = unit.short_name or unit.name
            counts[key] = counts.get(key, 0) + 1
        return counts

    @property
    def rows(self) -> list[tuple[OrgUnit, str, list[Shown]]]:
        return [
            (unit, self.name_of(unit), [self.shown(unit, i.code, y) for i in self.items for y in self.years])
            for unit in self.bodies
        ]

    def _bodies_of(self, year: int) -> list[OrgUnit]:
        return [u for u in self.bodies if self.exists(u, year)]

    @property
    def year_counts(self) -> list[int]:
        """How many bodies each column counts out of (the bodies of its year), in the table's column order."""
        per_year = {y: self._count_of(y) for y in self.years}
        return [per_year[y] for _i in self.items for y in self.years]

    @property
    def runs(self) -> list[list[int]]:
        if self.year_bodies is None:
            return [list(self.years)] if self.years else []
        bodies = self.year_bodies
        return tracking.runs(self.years, lambda y: bodies.get(y, frozenset()))

    def _counted(self) -> tuple[list[int], list[dict[str, int]]]:
        if self._aggregate is None:
            if self.aggregate_loader is not None:
                self._aggregate = self.aggregate_loader()
            else:
                totals = [
                    sum(1 for u in self._bodies_of(y) if self.cell(u, i.code, y))
                    for i in self.items
                    for y in self.years
                ]
                ever = []
                for run in self.runs:
                    counted = [u for u in self.bodies if all(self.exists(u, y) for y in run)]
                    ever.append(
                        {
                            i.code: sum(1 for u in counted if any(self.cell(u, i.code, y) for y in run))
                            for i in self.items
                        }
                    )
                self._aggregate = (totals, ever)
        return self._aggregate

    @property
    def totals(self) -> list[int]:
        """Bodies that did each item, per item and year (in the table's column order)."""
        return self._counted()[0]

    @property
    def eras(self) -> list[Era]:
        counted = self._counted()[1]
        return [Era(run, self._count_of(run[0]), ever) for run, ever in zip(self.runs, counted, strict=True)]

    def _count_of(self, year: int) -> int:
        """How many bodies count for ``year`` (without reading the bodies in the "at that time" mode)."""
        if self.year_bodies is None:
            return len(self.bodies)
        return len(self.year_bodies.get(year, frozenset()))

    @property
    def ever_counts(self) -> dict[str, int]:
        """Bodies that did each item at least once in the table's years; with several eras (a span across the
        2025 reorganisation, at that time), those of the latest one (``eras`` has each)."""
        eras = self.eras
        return eras[-1].ever if eras else {i.code: 0 for i in self.items}

    @property
    def ever_rows(self) -> list[tuple[TrackingItem, list[tuple[Era, int]]]]:
        eras = self.eras
        return [(i, [(era, era.ever[i.code]) for era in eras]) for i in self.items]

    @property
    def sentences(self) -> list[str]:
        """The letter's counting sentences ("9/63 tỉnh, thành phố ban hành Quy chế ..."), one set per era, each
        out of the bodies of its years."""
        eras = self.eras
        if len(eras) == 1:
            return tracking.sentences(eras[0].ever, eras[0].bodies)
        return [
            _("Năm %(years)s: %(sentence)s") % {"years": era.label, "sentence": sentence}
            for era in eras
            for sentence in tracking.sentences(era.ever, era.bodies)
        ]

    @property
    def conflicts(self) -> int:
        """Cells where a stored "not done" stands against a record that proves the item."""
        return sum(
            1
            for unit in self.bodies
            for i in self.items
            for y in self.years
            if (shown := self.shown(unit, i.code, y)).cell is not None and shown.cell.conflict
        )

    def as_table(self) -> tracking.TrackingTable:
        rows = [
            tracking.Row(
                self.name_of(u),
                {(i.code, y): bool(self.cell(u, i.code, y)) for i in self.items for y in self.years},
            )
            for u in self.bodies
        ]
        return tracking.TrackingTable([i.code for i in self.items], list(self.years), rows)


def _holders(found: list[sources.Evidence], kind: str) -> dict[int, tuple[OrgUnit, OrgUnit]]:
    """For each record's body (by id): that body, and the body of ``kind`` it counts for: itself, or the nearest
    body of that kind above it (a department's confirmed task counts for its province)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={e.unit_id for e in found})}
    above = {code for u in units.values() for code in u.path.strip("/").split("/")}
    of_kind = {u.code: u for u in OrgUnit.objects.filter(code__in=above, kind=kind)}
    holders: dict[int, tuple[OrgUnit, OrgUnit]] = {}
    for pk, unit in units.items():
        holder = next((of_kind[c] for c in reversed(unit.path.strip("/").split("/")) if c in of_kind), None)
        if holder is not None:
            holders[pk] = (unit, holder)
    return holders


def tracking_proofs(
    user: Any, years: Collection[int], kind: str = OrgKind.PROVINCE
) -> dict[Key, list[tracking.Proof]]:
    """The records that prove tracking items in ``years``, by the body of ``kind`` that kept them (not yet
    carried through the lineage). Every reader sees that a record proves the cell (the table is national); the
    link to a body's own record (its report, plan or task) and the words that quote it are given only to readers
    whose scope covers that body, the others read its kind and date."""
    found = sources.evidence(years)
    if not found:
        return {}
    holders = _holders(found, kind)
    known = set(TrackingItem.objects.values_list("code", flat=True))
    prefixes = scope_prefixes(user)
    proofs: dict[Key, list[tracking.Proof]] = {}
    for e in found:
        if e.unit_id not in holders or e.item not in known:
            continue
        record, holder = holders[e.unit_id]
        may_open = not e.private or prefixes is None or any(record.path.startswith(p) for p in prefixes)
        proofs.setdefault((holder.code, e.item, e.year), []).append(
            tracking.Proof(e.label, e.url) if may_open else tracking.Proof(e.public_label or e.label, "")
        )
    return proofs


def available_years(kind: str = OrgKind.PROVINCE) -> list[int]:
    """Years with stored values or with records that prove an item for a body of ``kind``."""

    def build() -> list[int]:
        stored = set(TrackingValue.objects.values_list("year", flat=True).distinct())
        found = sources.evidence(None)
        holders = _holders(found, kind) if found else {}
        return sorted(stored | {e.year for e in found if e.unit_id in holders})

    return remember("tracking-years", (kind, timezone.localdate()), build, reads=RECORDS)


def tracking_fragment(user: Any, view: TrackingView) -> str:
    """The cache key of the table's rendered cells: per scope (the links a reader may open), years and mode."""
    return fragment_key(
        "tracking-table", (scope_key(user), tuple(view.years), view.mode, timezone.localdate()), reads=RECORDS
    )


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


def _stored_cells(values: Any, proofs: dict[Key, list[tracking.Proof]]) -> dict[Key, tracking.Cell]:
    """Each body's own cells: its stored values with the records that prove them, and the records alone."""
    cells: dict[Key, tracking.Cell] = {}
    for code, item, year, value, origin in values:
        key = (code, item, year)
        cell = tracking.cell_of((bool(value), origin), proofs.get(key, ()))
        if cell is not None:
            cells[key] = cell
    for key, found in proofs.items():
        if key not in cells:
            cell = tracking.cell_of(None, found)
            if cell is not None:
                cells[key] = cell
    return cells


def tracking_view(
    user: Any,
    *,
    years: list[int],
    mode: str = "historical",
    as_of: dt.date | None = None,
    kind: str = OrgKind.PROVINCE,
) -> TrackingView:
    """The table for the given years: by the bodies of each year (63 provinces for 2011-2012, 34 for 2026), or
    rolled up to the bodies valid on ``as_of`` (today by default) through the lineage. Stored values and
    the records that prove items (``reporting.sources``) meet by the rule of ``tracking.cell_of``."""
    as_of = as_of or timezone.localdate()
    items = list(TrackingItem.objects.all())
    years = sorted(set(years))
    if not years:
        return TrackingView(mode, as_of, items, [], [])
    proofs = tracking_proofs(user, years, kind)
    values = TrackingValue.objects.filter(year__in=years, unit__kind=kind)

    if mode == "current":
        bodies = OrgUnit.objects.valid_on(as_of).filter(kind=kind).order_by("sort_key")

        def load_current() -> dict[Key, tracking.Cell]:
            own = _stored_cells(
                values.values_list("unit__code", "item__code", "year", "value", "origin"), proofs
            )
            mapping = {
                u.code: [s.code for s in orgs.successors(u, as_of)]
                for u in OrgUnit.objects.filter(code__in={key[0] for key in own})
            }
            return tracking.carry(own, lambda code, _year: mapping.get(code, ()))

        return TrackingView(mode, as_of, items, years, bodies, cells_loader=load_current)

    ends = {y: year_end(y) for y in years}
    span = (Q(valid_from__isnull=True) | Q(valid_from__lte=ends[years[-1]])) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=ends[years[0]])
    )
    candidates = OrgUnit.objects.filter(span, kind=kind)
    spans = list(candidates.values_list("pk", "valid_from", "valid_to"))
    year_bodies = {
        y: frozenset(pk for pk, start, end in spans if is_valid_on(start, end, ends[y])) for y in years
    }
    shown = frozenset().union(*year_bodies.values())
    ordered = candidates.order_by("sort_key", F("valid_from").asc(nulls_first=True), "code")
    bodies = (u for u in ordered if u.pk in shown)  # read when the rows are

    def load_historical() -> dict[Key, tracking.Cell]:
        own = _stored_cells(values.values_list("unit__code", "item__code", "year", "value", "origin"), proofs)
        codes = {key[0] for key in own}
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        carried: dict[tuple[str, int], list[str]] = {}

        def targets(code: str, year: int) -> list[str]:
            """The bodies of ``year`` a body's mark of that year counts for: itself when it existed at the year's
            end; its successors then when it had ceased before; none when it did not exist yet."""
            unit = units.get(code)
            if unit is None:
                return []
            if unit.pk in year_bodies[year]:
                return [code]
            if (code, year) not in carried:
                ended = unit.valid_to is not None and unit.valid_to < ends[year]
                heirs = orgs.successors(unit, ends[year]) if ended else []
                carried[(code, year)] = [s.code for s in heirs if s.pk in year_bodies[year]]
            return carried[(code, year)]

        return tracking.carry(own, targets)

    runs = tracking.runs(years, lambda y: year_bodies[y])
    simple = not proofs and not _carried(values, kind, years)
    return TrackingView(
        mode,
        ends[years[-1]],
        items,
        years,
        bodies,
        cells_loader=load_historical,
        aggregate_loader=(lambda: _aggregate(kind, items, years, runs)) if simple else None,
        year_bodies=year_bodies,
    )


def _carried(values: Any, kind: str, years: list[int]) -> bool:
    """Whether some stored value belongs to a body of ``kind`` that did not exist at the end of its year (so it
    is carried to a successor, or not shown). The bodies with dates are grouped by the years they existed at
    the end of (the 63 until 2024, the 34 from 2025): one condition per group, asked through the values'
    index by body rather than by scanning every value."""
    dated = OrgUnit.objects.filter(kind=kind).exclude(valid_from__isnull=True, valid_to__isnull=True)
    groups: dict[tuple[int | None, int | None], list[int]] = {}
    for pk, start, stop in dated.values_list("pk", "valid_from", "valid_to"):
        first = start.year if start else None  # valid at the end of its first year, and of each one after
        last = (stop.year if stop.month == 12 and stop.day == 31 else stop.year - 1) if stop else None
        groups.setdefault((first, last), []).append(pk)
    outside = []
    for (first, last), pks in groups.items():
        gone = [y for y in years if (first is not None and y < first) or (last is not None and y > last)]
        if gone:
            outside.append(Q(unit_id__in=pks, year__in=gone))
    return bool(outside) and values.filter(reduce(or_, outside)).exists()


def _aggregate(
    kind: str, items: list[TrackingItem], years: list[int], runs: list[list[int]]
) -> tuple[list[int], list[dict[str, int]]]:
    """Totals per item and year and "done at least once" per item and era, in one SQL statement, for stored
    values of bodies that existed at the end of their year (the page's bodies, when no value has to be carried
    and no record proves an item): per body and item, a count per year and whether it had the item in each
    era, summed per item by the database (one row per item comes back). Written out rather than built with
    the ORM: compiling the conditional sums cost more than running them."""
    totals = {i.pk: [0] * len(years) for i in items}
    ever = {i.pk: [0] * len(runs) for i in items}
    valid = "(u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)"
    columns: list[str] = []
    params: list[Any] = []
    for n, year in enumerate(years):
        columns.append(f"SUM(CASE WHEN v.year = %s AND v.value AND {valid} THEN 1 ELSE 0 END) AS y{n}")
        params += [year, year_end(year), year_end(year)]
    for k, run in enumerate(runs):
        marks = ", ".join(["%s"] * len(run))
        columns.append(
            f"MAX(CASE WHEN v.year IN ({marks}) AND v.value AND {valid} THEN 1 ELSE 0 END) AS e{k}"
        )
        params += [*run, year_end(run[0]), year_end(run[0])]
    outer = ", ".join([f"SUM(y{n})" for n in range(len(years))] + [f"SUM(e{k})" for k in range(len(runs))])
    sql = (
        f"SELECT item_id, {outer} FROM (SELECT v.item_id AS item_id, {', '.join(columns)} "
        f"FROM {TrackingValue._meta.db_table} v JOIN {OrgUnit._meta.db_table} u ON u.id = v.unit_id "
        f"WHERE u.kind = %s AND v.year IN ({', '.join(['%s'] * len(years))}) "
        "GROUP BY v.item_id, v.unit_id) per_body GROUP BY item_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, kind, *years])
        fetched = cursor.fetchall()
    for row in fetched:
        counts = totals.get(row[0])
        if counts is None:
            continue
        for n in range(len(years)):
            counts[n] += int(row[1 + n] or 0)
        for k in range(len(runs)):
            ever[row[0]][k] += int(row[1 + len(years) + k] or 0)
    return (
        [n for i in items for n in totals[i.pk]],
        [{i.code: ever[i.pk][k] for i in items} for k in range(len(runs))],
    )


def _proving(value: Any) -> str:
    """How an indicator's answer reads when it proves an item (a yes, a count above zero); "" when it does not."""
    if value is True:
        return _("có")
    if isinstance(value, dict) and "id" not in value:  # disaggregated: its categories' total
        value = sum(v for v in value.values() if isinstance(v, (int, float)) and not isinstance(v, bool))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return f"{value:,}".replace(",", ".")
    return ""


def report_evidence(years: Collection[int] | None) -> list[sources.Evidence]:
    """Reports the centre has accepted (tiếp nhận), as evidence of the tracking items the data file says they
    prove (``proven_by`` in ``tracking_items.json``): the report itself (the yearly report is the body's
    report of the year's work) and its indicators that answer yes or above zero ("Đã ban hành Kế hoạch": có;
    "Số lớp tập huấn": 4), for the year the report's period ends in."""
    from django.urls import reverse

    from ttdn.core.periods import parse_period
    from ttdn.reporting.models import Submission, SubmissionState

    defs = tracking.item_defs()
    by_form = {form: d.code for d in defs for form in d.report_forms}
    by_indicator = {ind: d.code for d in defs for ind in d.report_indicators}
    if not by_form and not by_indicator:
        return []
    accepted = Submission.objects.filter(state=SubmissionState.ACCEPTED)
    if years is not None:  # a period's code starts with its year, or names it after a dash ("2022-2024-3Y")
        named = Q(pk__in=[])
        for year in years:
            named |= Q(period__startswith=str(year)) | Q(period__contains=f"-{year}-")
        accepted = accepted.filter(named)
    accepted = (
        accepted.select_related("form", "unit")
        .prefetch_related("form__indicators")
        .order_by("unit_id", "period")
    )
    found: list[sources.Evidence] = []
    for report in accepted:
        try:
            period = parse_period(report.period)
        except ValueError:
            continue
        if years is not None and period.year not in years:
            continue
        day = timezone.localdate(report.decided_at) if report.decided_at else None
        name = (
            _("%(form)s (%(period)s), Cục tiếp nhận ngày %(day)s")
            % {"form": report.form.name, "period": period.label, "day": format_date(day)}
            if day
            else _("%(form)s (%(period)s), Cục đã tiếp nhận")
            % {"form": report.form.name, "period": period.label}
        )
        url = reverse("reporting:submission", args=[report.form.code, report.period, report.unit.code])
        if report.form.code in by_form:
            found.append(
                sources.Evidence(
                    report.unit_id, by_form[report.form.code], period.year, name, url, public_label=name
                )
            )
        for indicator in report.form.indicators.all():
            item = by_indicator.get(indicator.code)
            answer = _proving(report.values.get(indicator.code)) if item else ""
            if item and answer:
                label = _("%(indicator)s: %(answer)s, theo %(report)s") % {
                    "indicator": indicator.name,
                    "answer": answer,
                    "report": name,
                }
                found.append(
                    sources.Evidence(report.unit_id, item, period.year, label, url, public_label=name)
                )
    return found


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
