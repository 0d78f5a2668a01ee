"""Việc cần làm / việc cần phê duyệt: one line of a user's work list, as each app's selectors give it and the
home page shows it (oldest first: what waits longest comes first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

APPROVE = "approve"  # việc cần phê duyệt: a decision waits for this user (approve, confirm, accept)
DO = "do"  # việc cần làm: something to write, correct or send


@dataclass(frozen=True)
class WorkItem:
    kind: str  # APPROVE or DO
    label: str
    url: str
    since: dt.datetime | None = None
    note: str = ""  # the reason given when it was sent back, or what to do next


def ordered(items: list[WorkItem]) -> list[WorkItem]:
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: i.since or floor)
