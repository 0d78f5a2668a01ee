"""Writes of the tracking table: reference items and atomic imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ttdn.core.audit import acting_as
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.names import match_provinces
from ttdn.reporting import tracking
from ttdn.reporting.models import TrackingImport, TrackingItem, TrackingValue, ValueOrigin


def load_items() -> int:
    """Create or update the tracking items of the data file; idempotent (returns how many changed)."""
    changed = 0
    for order, item in enumerate(tracking.item_defs(), 1):
        wanted = {
            "name": item.name,
            "sentence": item.sentence,
            "order": order,
            "sentence_order": item.sentence_order,
        }
        obj, created = TrackingItem.objects.get_or_create(code=item.code, defaults=wanted)
        if created:
            changed += 1
        elif any(getattr(obj, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(obj, key, value)
            obj.save(update_fields=list(wanted))  # through the model: the audit log keeps the change
            changed += 1
    return changed


@dataclass
class ImportOutcome:
    summary: dict[str, Any]
    written: int
    dry_run: bool


@transaction.atomic
def import_table(
    table: tracking.TrackingTable, *, source_name: str, user: Any = None, dry_run: bool = False
) -> ImportOutcome:
    """Write the table's marks for the bodies it names; all rows or none. ``dry_run`` writes nothing."""
    load_items()
    units, missing = match_provinces([r.name for r in table.rows], dt.date(max(table.years), 12, 31))
    if missing:
        raise tracking.TrackingError(
            "Không khớp được đơn vị: " + ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        )
    rows_of: dict[OrgUnit, list[str]] = {}
    for name, unit in units.items():
        rows_of.setdefault(unit, []).append(name)
    dupes = [
        f"{' và '.join(f'“{n}”' for n in names)} ({unit.name})"
        for unit, names in rows_of.items()
        if len(names) > 1
    ]
    if dupes:
        raise tracking.TrackingError(f"Hai dòng cùng chỉ một đơn vị: {'; '.join(sorted(dupes))}")
    summary = table.summary()
    summary["units"] = {r.name: units[r.name].code for r in table.rows}
    if dry_run:
        return ImportOutcome(summary, 0, True)
    items = {i.code: i for i in TrackingItem.objects.filter(code__in=table.items)}
    with acting_as(user):
        record = TrackingImport.objects.create(
            source_name=source_name[:255],
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            summary=summary,
        )
        existing = {
            (v.unit_id, v.item_id, v.year): v
            for v in TrackingValue.objects.filter(
                unit__in=list(units.values()), item__in=items.values(), year__in=table.years
            )
        }
        written = 0
        for row in table.rows:
            unit = units[row.name]
            for (code, year), mark in row.marks.items():
                item = items[code]
                current = existing.get((unit.pk, item.pk, year))
                if current is None:
                    TrackingValue.objects.create(
                        unit=unit,
                        item=item,
                        year=year,
                        value=mark,
                        origin=ValueOrigin.IMPORTED,
                        source=record,
                    )
                    written += 1
                elif current.value != mark:
                    current.value, current.origin, current.source = mark, ValueOrigin.IMPORTED, record
                    current.save()
                    written += 1
    return ImportOutcome(summary, written, False)
