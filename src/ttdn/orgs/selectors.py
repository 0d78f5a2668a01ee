"""Reads of the body registry. Every listing answers "as of which date"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from ttdn.core.text import fold
from ttdn.orgs.lineage import lineage
from ttdn.orgs.models import (
    DesignationRole,
    OrgDesignation,
    OrgEvent,
    OrgKind,
    OrgUnit,
    OrgUnitQuerySet,
    valid_on_q,
)

SORTS = {
    "name": ("sort_key", "code"),
    "-name": ("-sort_key", "-code"),
    "code": ("code",),
    "-code": ("-code",),
    "kind": ("kind", "sort_key"),
    "-kind": ("-kind", "sort_key"),
    "valid_from": ("valid_from", "sort_key"),
    "-valid_from": ("-valid_from", "sort_key"),
}


class UnknownUnit(LookupError):
    """No body matches; the message names what was asked."""


class AmbiguousUnit(LookupError):
    """Several unrelated bodies match; the message lists some of them."""


def list_units(
    *, as_of: dt.date | None, kind: str = "", query: str = "", sort: str = "name", parent: str = ""
) -> OrgUnitQuerySet:
    """Bodies valid on ``as_of`` (all records when ``None``), filtered and sorted."""
    qs = OrgUnit.objects.select_related("parent")
    if as_of is not None:
        qs = qs.valid_on(as_of)
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__code=parent)
    if query:
        qs = qs.search(query)
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def not_valid_matches(
    query: str, as_of: dt.date, *, kind: str = "", limit: int = 20
) -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """Bodies matching ``query`` that were not in existence on ``as_of``, each with its successors then.

    A search for "ba ria vung tau" today finds no living province; this says
    where it went (Thành phố Hồ Chí Minh) instead of an empty page.
    """
    qs = OrgUnit.objects.search(query).exclude(valid_on_q(as_of)).order_by("sort_key", "code")
    if kind:
        qs = qs.filter(kind=kind)
    return [(unit, successors(unit, as_of)) for unit in qs[:limit]]


def get_unit(code: str) -> OrgUnit:
    try:
        return OrgUnit.objects.select_related("parent").get(code=code)
    except OrgUnit.DoesNotExist as exc:
        raise UnknownUnit(code) from exc


def roots(as_of: dt.date) -> OrgUnitQuerySet:
    """Top-level bodies on a date with the number of their sub-units then, for the tree view."""
    children_valid = Q(children__valid_from__isnull=True) | Q(children__valid_from__lte=as_of)
    children_valid &= Q(children__valid_to__isnull=True) | Q(children__valid_to__gte=as_of)
    return (
        OrgUnit.objects.valid_on(as_of)
        .filter(parent__isnull=True)
        .annotate(
            commune_count=Count("children", filter=children_valid & Q(children__kind=OrgKind.COMMUNE)),
        )
        .order_by("kind", "sort_key")
    )


def children(
    unit: OrgUnit, as_of: dt.date | None, *, kinds_excluded: tuple[str, ...] = ()
) -> OrgUnitQuerySet:
    qs = unit.children.all()
    if as_of is not None:
        qs = qs.filter(valid_on_q(as_of))
    if kinds_excluded:
        qs = qs.exclude(kind__in=kinds_excluded)
    return qs.order_by("kind", "sort_key")  # type: ignore[return-value]


def children_of(
    units: list[OrgUnit], as_of: dt.date | None, *, kinds_excluded: tuple[str, ...] = ()
) -> dict[int, list[OrgUnit]]:
    """``children`` of each of ``units``, in one query."""
    qs = OrgUnit.objects.filter(parent__in=units)
    if as_of is not None:
        qs = qs.filter(valid_on_q(as_of))
    if kinds_excluded:
        qs = qs.exclude(kind__in=kinds_excluded)
    found: dict[int, list[OrgUnit]] = {unit.pk: [] for unit in units}
    for child in qs.order_by("kind", "sort_key"):
        found[child.parent_id].append(child)
    return found


def successors(unit: OrgUnit, on: dt.date) -> list[OrgUnit]:
    """The bodies valid on ``on`` that carry ``unit`` on (itself if still valid).

    Follows merge, rename, transfer and split events that took effect on or
    before ``on``; a body dissolved without successor yields nothing, and so
    does a body that did not exist yet. Read from the lineage kept in memory.
    """
    graph = lineage()
    ids = graph.successor_ids(unit, on)
    return [unit] if ids == {unit.pk} else graph.units(ids)


def predecessors(unit: OrgUnit, on: dt.date | None = None) -> list[OrgUnit]:
    """Every body whose data rolls up into ``unit`` through events up to ``on`` (transitively)."""
    graph = lineage()
    return graph.units(graph.predecessor_ids(unit, on))


@dataclass(frozen=True)
class HistoryLine:
    event: OrgEvent
    direction: str  # "in": the unit came from this event; "out": the unit went into it
    others: list[OrgUnit]


def history(unit: OrgUnit) -> list[HistoryLine]:
    """Events that opened or closed this body, with the bodies on the other side."""
    lines: list[HistoryLine] = []
    for event in OrgEvent.objects.filter(successors=unit).prefetch_related("predecessors"):
        lines.append(HistoryLine(event, "in", list(event.predecessors.all())))
    for event in OrgEvent.objects.filter(predecessors=unit).prefetch_related("successors"):
        lines.append(HistoryLine(event, "out", list(event.successors.all())))
    return sorted(lines, key=lambda line: (line.event.effective_on, line.direction))


def resolve(name_or_code: str) -> list[OrgUnit]:
    """Bodies named by a code or a name typed with or without diacritics.

    Exact matches (code, name, short name, People's Committee name) win; a
    name borne by several records over time (Đồng Nai before and after
    01/07/2025) returns them all. Otherwise a unique partial match is taken.
    """
    text = name_or_code.strip()
    if not text:
        raise UnknownUnit(name_or_code)
    by_code = list(OrgUnit.objects.filter(code__iexact=text))
    if by_code:
        return by_code
    key = fold(text)
    candidates = list(OrgUnit.objects.search(text).exclude(kind=OrgKind.COMMUNE)[:500])
    exact = [u for u in candidates if key in {fold(u.name), fold(u.short_name), fold(u.authority_name)}]
    if not exact:
        # Communes only when nothing else carries the name.
        exact = [
            u for u in OrgUnit.objects.search(text).filter(kind=OrgKind.COMMUNE)[:50] if key == fold(u.name)
        ]
    if exact:
        return exact
    if len(candidates) == 1:
        return candidates
    if not candidates:
        raise UnknownUnit(name_or_code)
    names = "; ".join(f"{u.name} ({u.code})" for u in candidates[:5])
    raise AmbiguousUnit(f"{name_or_code}: {names}")


def successors_of_name(name_or_code: str, on: dt.date) -> list[OrgUnit]:
    found: dict[int, OrgUnit] = {}
    for unit in resolve(name_or_code):
        for succ in successors(unit, on):
            found[succ.pk] = succ
    return sorted(found.values(), key=lambda u: (u.name, u.code))


def designated(role: str, on: dt.date) -> OrgUnitQuerySet:
    ids = OrgDesignation.objects.filter(valid_on_q(on), role=role).values("unit_id")
    return OrgUnit.objects.filter(pk__in=ids)


def central_department(on: dt.date) -> OrgUnit | None:
    """The central TTĐN department on a date (Cục Thông tin đối ngoại, then Cục TTCS và TTĐN)."""
    return designated(DesignationRole.CENTRAL, on).first()


def standing_department(province: OrgUnit, on: dt.date) -> OrgUnit | None:
    """A province's TTĐN standing department on a date (Sở TTTT, then Sở VHTTDL)."""
    return designated(DesignationRole.PROVINCIAL_STANDING, on).filter(parent=province).first()


def designations_of(unit: OrgUnit) -> list[OrgDesignation]:
    return list(unit.designations.order_by("valid_from"))


def centre_letterhead(on: dt.date) -> tuple[str, str]:
    """(issuer, superior) of a letter the central department signs: its name and its parent's."""
    centre = central_department(on)
    if centre is None:
        return "Cục Thông tin đối ngoại", ""
    return centre.name, (centre.parent.name if centre.parent else "")
