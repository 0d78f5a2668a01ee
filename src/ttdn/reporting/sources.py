"""Sources of record values (nguồn số liệu) and of tracking evidence (hồ sơ chứng minh).

Reporting sits below the apps that keep those records (plans: approved plans, training courses, dedicated
posts; tasks: confirmed tasks; later monitoring and measurement), and beside the document registry, so it
never imports them. Each provider registers a function in its ``AppConfig.ready()`` (the documents' provider
in the site's, which knows both apps):

- ``register``: figures report forms take from the records; a form's indicator names a source key
  ("plan_approved", "training_courses", ...) and the report page asks every provider for the values of one
  body over one period;
- ``register_evidence``: records that prove a tracking item for a body and a year (an accepted report, a
  confirmed task linked to an item, an approved plan, an issued regulation). The tracking table asks every
  provider for the years it shows and fills its cells from them (``reporting.selectors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Any, dt.date, dt.date], dict[str, int | bool]]

_providers: dict[str, Provider] = {}


@dataclass(frozen=True)
class Evidence:
    """A record proving that the body ``unit_id`` did the tracking item ``item`` in ``year``; ``label`` names
    it for a reader, ``url`` opens it. ``private``: the record belongs to its body (a report, a plan, a task),
    so only readers whose scope covers that body get the link and the label; a public record (a document) links
    for all."""

    unit_id: int
    item: str
    year: int
    label: str
    url: str
    private: bool = True
    # What a reader outside the body's scope is told instead of ``label`` (which may quote the record: a plan's
    # title, a report's answer): the kind of record and its date, never its content. Empty: ``label`` is public.
    public_label: str = ""


EvidenceProvider = Callable[[Collection[int] | None], Iterable[Evidence]]

_evidence: dict[str, EvidenceProvider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, on a second ``ready()``) the provider called ``name``."""
    _providers[name] = provider


def record_values(unit: Any, start: dt.date, end: dt.date) -> dict[str, int | bool]:
    """Every provider's values for ``unit`` (and the bodies it was formed from) from ``start`` to ``end``."""
    values: dict[str, int | bool] = {}
    for name in sorted(_providers):
        values.update(_providers[name](unit, start, end))
    return values


def providers() -> list[str]:
    return sorted(_providers)


def register_evidence(name: str, provider: EvidenceProvider) -> None:
    """Add (or replace) the evidence provider called ``name``: given years (``None``: every year), the records
    of those years that prove tracking items."""
    _evidence[name] = provider


def evidence(years: Collection[int] | None) -> list[Evidence]:
    """Every provider's evidence for ``years`` (``None``: all), kept until the records behind it change."""
    if years is not None and not years:
        return []
    from django.utils import timezone

    from ttdn.core.versions import RECORDS, remember

    def build() -> list[Evidence]:
        found: list[Evidence] = []
        for name in sorted(_evidence):
            found.extend(e for e in _evidence[name](years) if years is None or e.year in years)
        return found

    span = None if years is None else tuple(sorted(years))
    return remember(
        "tracking-evidence", (span, tuple(sorted(_evidence)), timezone.localdate()), build, reads=RECORDS
    )


def evidence_providers() -> list[str]:
    return sorted(_evidence)
