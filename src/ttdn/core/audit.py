"""Attribute audited writes to the user who made them, in requests, commands and jobs alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_actor


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Record ``user`` as the actor of the writes inside, then restore whatever context was there.

    django-auditlog leaves its context variable set after a request, so the
    previous value is saved and restored explicitly; the request's address, if
    any, is kept.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    previous = auditlog_value.get(None) or {}
    token = auditlog_value.set(previous)
    try:
        with set_actor(
            user, remote_addr=previous.get("remote_addr"), remote_port=previous.get("remote_port")
        ):
            yield
    finally:
        auditlog_value.reset(token)
