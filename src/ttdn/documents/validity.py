"""Validity of a document over time (hiệu lực), from its dates and what others say of it. Pure Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    IN_FORCE = "in_force"
    NOT_YET = "not_yet"
    CEASED = "ceased"
    REPORTED_EXPIRED = "reported_expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Ending:
    """Something that ends a document: replaced or repealed by another on a date."""

    on: dt.date
    by: str  # the ending document's number or title
    kind: str  # "replaces" or "repeals"


@dataclass(frozen=True)
class Validity:
    in_force_from: dt.date | None
    ceased_on: dt.date | None  # first day it is no longer in force
    ceased_by: str | None
    reported_expired_by: dt.date | None  # a later text said it had expired, on or before this date
    reported_in: str | None

    def status(self, on: dt.date) -> Status:
        if self.in_force_from and on < self.in_force_from:
            return Status.NOT_YET
        if self.ceased_on and on >= self.ceased_on:
            return Status.CEASED
        if self.reported_expired_by and on >= self.reported_expired_by:
            return Status.REPORTED_EXPIRED
        if self.in_force_from is None and self.ceased_on is None:
            return Status.UNKNOWN
        return Status.IN_FORCE

    def in_force(self, on: dt.date) -> bool | None:
        """True, False, or None when the registry cannot tell."""
        status = self.status(on)
        if status == Status.UNKNOWN:
            return None
        return status == Status.IN_FORCE


def compute(
    *,
    issued_on: dt.date | None,
    effective_on: dt.date | None,
    endings: list[Ending],
    expiry_reports: list[tuple[dt.date, str]],
) -> Validity:
    """Earliest ending wins; reports of expiry count only when no ending is known."""
    start = effective_on or issued_on
    dated = sorted((e for e in endings if e.on), key=lambda e: e.on)
    first = dated[0] if dated else None
    report = min(expiry_reports, default=None) if not first else None
    return Validity(
        in_force_from=start,
        ceased_on=first.on if first else None,
        ceased_by=first.by if first else None,
        reported_expired_by=report[0] if report else None,
        reported_in=report[1] if report else None,
    )
