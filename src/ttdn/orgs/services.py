"""Writes to the body registry."""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ttdn.core.audit import acting_as
from ttdn.orgs.models import OrgDesignation, OrgEvent, OrgUnit, ReferenceLoad
from ttdn.orgs.reference import ReferenceData, UnitRecord

UNIT_FIELDS = ("name", "short_name", "kind", "valid_from", "valid_to", "source")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _depth_order(records: list[UnitRecord]) -> list[UnitRecord]:
    by_code = {r.code: r for r in records}

    def depth(record: UnitRecord) -> int:
        d = 0
        while record.parent:
            record = by_code[record.parent]
            d += 1
        return d

    return sorted(records, key=lambda r: (depth(r), r.code))


@transaction.atomic
def load_reference(data: ReferenceData) -> LoadResult:
    """Create or update reference bodies, events and designations; a second run changes nothing.

    Reference data is loaded in bulk without one audit entry per row: the run
    itself is recorded as a ``ReferenceLoad`` with its sources.
    """
    created = updated = 0
    with disable_auditlog():
        existing = {u.code: u for u in OrgUnit.objects.all()}
        pending: list[OrgUnit] = []
        for record in _depth_order(data.units):
            parent = existing[record.parent] if record.parent else None
            if parent is not None and parent.pk is None:
                OrgUnit.objects.bulk_create(pending)  # parents get their ids before children
                pending.clear()
            path = f"{parent.path if parent else '/'}{record.code}/"
            unit = existing.get(record.code)
            if unit is None:
                unit = OrgUnit(code=record.code, parent=parent, path=path)
                for field in UNIT_FIELDS:
                    setattr(unit, field, getattr(record, field))
                unit.refresh_derived()
                existing[record.code] = unit
                created += 1
                pending.append(unit)
                continue
            changes = {f: getattr(record, f) for f in UNIT_FIELDS if getattr(unit, f) != getattr(record, f)}
            if unit.parent_id != (parent.pk if parent else None) or unit.path != path:
                changes.update(parent=parent, path=path)
            if changes:
                for field, value in changes.items():
                    setattr(unit, field, value)
                unit.refresh_derived()
                unit.save()
                updated += 1
        OrgUnit.objects.bulk_create(pending)

        events = {e.key: e for e in OrgEvent.objects.prefetch_related("predecessors", "successors")}
        for record in data.events:
            event = events.get(record.key)
            if event is None:
                event = OrgEvent.objects.create(
                    key=record.key,
                    kind=record.kind,
                    effective_on=record.effective_on,
                    note=record.note,
                    source=record.source,
                )
                event.predecessors.set([existing[c] for c in record.predecessors])
                event.successors.set([existing[c] for c in record.successors])
                created += 1
            elif event.note != record.note or event.source != record.source:
                event.note, event.source = record.note, record.source
                event.save(update_fields=["note", "source"])
                updated += 1

        designations = {
            (d.unit.code, d.role, d.valid_from): d for d in OrgDesignation.objects.select_related("unit")
        }
        for record in data.designations:
            designation = designations.get((record.unit, record.role, record.valid_from))
            if designation is None:
                OrgDesignation.objects.create(
                    unit=existing[record.unit],
                    role=record.role,
                    valid_from=record.valid_from,
                    valid_to=record.valid_to,
                    source=record.source,
                )
                created += 1
            elif designation.valid_to != record.valid_to or designation.source != record.source:
                designation.valid_to, designation.source = record.valid_to, record.source
                designation.save(update_fields=["valid_to", "source"])
                updated += 1

    result = LoadResult(created, updated)
    if result.changed:
        sources = sorted({u.source for u in data.units} | {e.source for e in data.events})
        ReferenceLoad.objects.create(created=created, updated=updated, sources="\n".join(sources))
    return result


CONTACT_FIELDS = ("address", "phone", "email", "focal_point")


@transaction.atomic
def update_contact(actor, unit: OrgUnit, data: dict[str, str]) -> OrgUnit:  # noqa: ANN001 (User, avoids an import cycle)
    """Change a body's contact details; only its own officers (or an administrator) may."""
    from ttdn.orgs.scope import can_edit_unit

    if not can_edit_unit(actor, unit):
        raise PermissionDenied
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown))
    locked = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(locked, field, data[field].strip())
    locked.full_clean(exclude=["path", "search_text", "sort_key"])
    with acting_as(actor):
        locked.save()
    return locked


def create_unit(actor, *, code: str, name: str, kind: str, parent: OrgUnit | None, source: str) -> OrgUnit:  # noqa: ANN001
    """Add a body the reference data lacks (e.g. a provincial department named in a directive)."""
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        source=source,
        path=f"{parent.path if parent else '/'}{code}/",
    )
    unit.refresh_derived()
    unit.full_clean(exclude=["path", "search_text", "sort_key"])
    with acting_as(actor):
        unit.save()
    return unit
