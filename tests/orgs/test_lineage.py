"""The lineage kept in memory answers as a walk over the events does, and follows changes to the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ttdn.orgs.models import EventKind, OrgEvent, OrgUnit
from ttdn.orgs.selectors import predecessors, successors


def walk_successors(unit: OrgUnit, on: dt.date) -> set[str]:
    found, seen, stack = set(), set(), [unit]
    while stack:
        current = stack.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.is_valid_on(on):
            found.add(current.code)
        elif current.valid_to is not None and on > current.valid_to:
            for event in OrgEvent.objects.filter(predecessors=current, effective_on__lte=on):
                stack.extend(event.successors.all())
    return found


def walk_predecessors(unit: OrgUnit, on: dt.date | None) -> set[str]:
    found: dict[int, str] = {}
    stack = [unit]
    while stack:
        current = stack.pop()
        events = OrgEvent.objects.filter(successors=current)
        if on is not None:
            events = events.filter(effective_on__lte=on)
        for event in events:
            for pred in event.predecessors.all():
                if pred.pk not in found and pred.pk != unit.pk:
                    found[pred.pk] = pred.code
                    stack.append(pred)
    return set(found.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "on", [dt.date(2005, 1, 1), dt.date(2008, 8, 1), dt.date(2025, 6, 30), dt.date(2026, 11, 20)]
)
def test_the_lineage_agrees_with_a_walk_over_the_events(on: dt.date) -> None:
    units = list(OrgUnit.objects.filter(kind__in=["province", "ministry"]))
    assert len(units) > 90
    for unit in units:
        assert {u.code for u in successors(unit, on)} == walk_successors(unit, on), unit.code
        assert {u.code for u in predecessors(unit, on)} == walk_predecessors(unit, on), unit.code
        assert {u.code for u in predecessors(unit)} == walk_predecessors(unit, None), unit.code


@pytest.mark.django_db
def test_a_new_event_is_seen_at_once_and_lookups_cost_no_query_per_body() -> None:
    today = dt.date(2026, 11, 20)
    quang_tri = OrgUnit.objects.get(code="T44-2025")
    provinces = list(OrgUnit.objects.filter(kind="province"))
    with override_settings(TTDN_LINEAGE_RECHECK_SECONDS=60):  # as served: the version looked at every 5 s
        successors(quang_tri, today)
        with CaptureQueriesContext(connection) as queries:
            for unit in provinces:
                successors(unit, today)
                predecessors(unit)
    assert len(queries) <= 2  # the bodies read once, not two queries a body of each chain as before
    gone = OrgUnit.objects.create(
        code="T-THU", name="Tỉnh Thử", kind="province", path="/T-THU/", valid_to=dt.date(2026, 1, 1)
    )
    event = OrgEvent.objects.create(key="thu-2026", kind=EventKind.MERGE, effective_on=dt.date(2026, 1, 2))
    event.predecessors.set([gone])
    event.successors.set([quang_tri])
    assert [u.code for u in successors(gone, today)] == ["T44-2025"]
    assert "T-THU" in {u.code for u in predecessors(quang_tri)}
