"""Sources of record values (nguồn số liệu): the figures report forms take from other apps' records.

Reporting sits below the apps that keep those records (plans: approved plans, training courses, dedicated
posts; later monitoring and measurement), so it never imports them. Each provider registers a function in
its ``AppConfig.ready()``; a form's indicator names a source key ("plan_approved", "training_courses", ...)
and the report page asks every provider for the values of one body over one period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Provider = Callable[[Any, dt.date, dt.date], dict[str, int | bool]]

_providers: dict[str, Provider] = {}


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
