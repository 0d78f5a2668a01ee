"""The registry's lineage (kế thừa) in memory: which bodies went into which, and when.

``successors`` and ``predecessors`` used to walk the events with two queries per body of a chain, several times a
request (a unit officer's scope, each overdue body's heir, each tracking column). The events are few and change
only when the reference data is loaded: they are read once into a graph (four queries) kept for the process, and
read again when the registry changes: at once in the process that changed it (signals), in the others at their
next request (the registry's data version, ``ttdn.core.versions``, read once a request), and in commands and
jobs at their next look at that version (at most every ``RECHECK_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save

from ttdn.core.dates import is_valid_on
from ttdn.orgs.models import OrgEvent, OrgUnit, ReferenceLoad

RECHECK_SECONDS = (
    5.0  # TTDN_LINEAGE_RECHECK_SECONDS; the tests look every time (their rollbacks send no signal)
)


@dataclass
class Lineage:
    """Events as edges between bodies' ids; bodies' validity for those that take part in an event."""

    # body id -> [(effective_on, successor ids)] of the events it went into, and the reverse
    onward: dict[int, list[tuple[dt.date, tuple[int, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    backward: dict[int, list[tuple[dt.date, tuple[int, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    validity: dict[int, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    _units: dict[int, OrgUnit] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def successor_ids(self, unit: OrgUnit, on: dt.date) -> set[int]:
        """The bodies valid on ``on`` that carry ``unit`` on (itself if still valid)."""
        found: set[int] = set()
        seen: set[int] = set()
        stack = [unit.pk]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            valid_from, valid_to = (
                (unit.valid_from, unit.valid_to)
                if current == unit.pk
                else self.validity.get(current, (None, None))
            )
            if is_valid_on(valid_from, valid_to, on):
                found.add(current)
                continue
            if valid_to is not None and on > valid_to:
                for effective_on, successors in self.onward.get(current, ()):
                    if effective_on <= on:
                        stack.extend(successors)
        return found

    def predecessor_ids(self, unit: OrgUnit, on: dt.date | None = None) -> set[int]:
        """Every body whose data rolls up into ``unit`` through events up to ``on`` (transitively)."""
        found: set[int] = set()
        stack = [unit.pk]
        while stack:
            current = stack.pop()
            for effective_on, predecessors in self.backward.get(current, ()):
                if on is not None and effective_on > on:
                    continue
                for pred in predecessors:
                    if pred not in found and pred != unit.pk:
                        found.add(pred)
                        stack.append(pred)
        return found

    def units(self, ids: set[int]) -> list[OrgUnit]:
        """The bodies of ``ids``, read once for the process and sorted by name then code."""
        missing = [i for i in ids if i not in self._units]
        if missing:
            fetched = OrgUnit.objects.in_bulk(missing)
            with self._lock:
                self._units.update(fetched)
        return sorted((self._units[i] for i in ids if i in self._units), key=lambda u: (u.name, u.code))


def _version() -> tuple[object, ...]:
    events = OrgEvent.objects.aggregate(n=Count("id"), last=Max("id"))
    load = ReferenceLoad.objects.aggregate(last=Max("id"))["last"]
    return (events["n"], events["last"], load)


def _build() -> Lineage:
    lineage = Lineage()
    dates = dict(OrgEvent.objects.values_list("id", "effective_on"))
    before: dict[int, list[int]] = defaultdict(list)
    after: dict[int, list[int]] = defaultdict(list)
    for event_id, unit_id in OrgEvent.predecessors.through.objects.values_list("orgevent_id", "orgunit_id"):
        before[event_id].append(unit_id)
    for event_id, unit_id in OrgEvent.successors.through.objects.values_list("orgevent_id", "orgunit_id"):
        after[event_id].append(unit_id)
    for event_id, on in dates.items():
        successors, predecessors = tuple(sorted(after[event_id])), tuple(sorted(before[event_id]))
        for pred in predecessors:
            lineage.onward[pred].append((on, successors))
        for succ in successors:
            lineage.backward[succ].append((on, predecessors))
    involved = {*lineage.onward, *lineage.backward}
    for unit in OrgUnit.objects.filter(pk__in=involved):
        lineage.validity[unit.pk] = (unit.valid_from, unit.valid_to)
        lineage._units[unit.pk] = unit
    return lineage


class _Cache:
    def __init__(self) -> None:
        self.lineage: Lineage | None = None
        self.version: tuple[object, ...] | None = None
        self.checked = 0.0
        self.lock = threading.Lock()

    def get(self) -> Lineage:
        from ttdn.core import versions

        now = time.monotonic()
        lineage = self.lineage
        if versions.writing("orgs"):  # this transaction changed the registry: as it is now, seen by it alone
            version: tuple[object, ...] = ("uncommitted", *_version())
        elif versions.in_request():
            # the registry's data version, read once a request: a change committed anywhere is seen at once
            version = ("committed", versions.current().get("orgs", 0))
        else:  # a command or a job: the version looked at every few seconds
            recheck = getattr(settings, "TTDN_LINEAGE_RECHECK_SECONDS", RECHECK_SECONDS)
            if lineage is not None and now - self.checked < recheck:
                return lineage
            known = versions.current()
            version = ("committed", known["orgs"]) if "orgs" in known else ("counted", *_version())
        if lineage is not None and version == self.version:
            return lineage
        with self.lock:
            if self.lineage is None or version != self.version:
                self.lineage, self.version = _build(), version
            self.checked = now
            return self.lineage

    def clear(self, **_kwargs: object) -> None:
        with self.lock:
            self.lineage, self.version = None, None


_cache = _Cache()


def lineage() -> Lineage:
    """The registry's lineage, as it is now."""
    return _cache.get()


def forget(**_kwargs: object) -> None:
    """Drop the lineage kept in this process (the registry changed)."""
    _cache.clear()


for _model in (OrgEvent, OrgUnit, ReferenceLoad):
    post_save.connect(forget, sender=_model, dispatch_uid=f"lineage-save-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"lineage-delete-{_model.__name__}")
for _through in (OrgEvent.predecessors.through, OrgEvent.successors.through):
    m2m_changed.connect(forget, sender=_through, dispatch_uid=f"lineage-m2m-{_through.__name__}")
