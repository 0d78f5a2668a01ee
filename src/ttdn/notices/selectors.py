"""Reading notices: a user only ever reads their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ttdn.notices.models import Notice


def for_user(user: Any, *, unread: bool = False) -> QuerySet[Notice]:
    mine = Notice.objects.filter(user=user)
    return mine.filter(read_at__isnull=True) if unread else mine


def unread_count(user: Any) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def one(user: Any, pk: int) -> Notice | None:
    return Notice.objects.filter(user=user, pk=pk).first()
