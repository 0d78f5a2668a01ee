"""The tasks box of a document page: duties issued from it and the way to review them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("tasks/_document_box.html", takes_context=True)
def document_tasks(context: dict[str, Any], document: Any) -> dict[str, Any]:
    from ttdn.tasks.models import Duty, DutyState, Task
    from ttdn.tasks.services import can_review

    user = context["request"].user
    counts = {
        state: Duty.objects.filter(document=document, state=state).count()
        for state in (DutyState.PROPOSED, DutyState.ISSUED)
    }
    return {
        "document": document,
        "can_review": can_review(user, document) and bool(document.text),
        "proposed": counts[DutyState.PROPOSED],
        "issued": counts[DutyState.ISSUED],
        "tasks": Task.objects.filter(duty__document=document).count(),
    }


@register.inclusion_tag("tasks/_home_card.html", takes_context=True)
def tasks_summary(context: dict[str, Any]) -> dict[str, Any]:
    """Home page card: the user's open and overdue tasks, the next deadlines, and (for a leader)
    what awaits confirmation."""
    from django.utils import timezone

    from ttdn.accounts.models import Role
    from ttdn.core.versions import remember
    from ttdn.orgs.scope import scope_key
    from ttdn.tasks import selectors
    from ttdn.tasks.models import TaskStatus

    user = context["request"].user
    today = timezone.localdate()
    visible = selectors.visible_occurrences(user)
    counts = selectors.visible_status_counts(user, today=today)

    def next_and_waiting() -> tuple[list[Any], int | None]:
        upcoming = list(visible.filter(completed_on__isnull=True, due__gte=today).order_by("due", "id")[:5])
        waiting = None
        if user.role == Role.UNIT_LEADER:
            waiting = visible.filter(completed_on__isnull=True, progress=100).count()
        return upcoming, waiting

    upcoming, to_confirm = remember(
        "home-tasks", (scope_key(user), user.role, today), next_and_waiting, reads=selectors.READS
    )
    return {
        "counts": counts,
        "open": counts[TaskStatus.NOT_STARTED] + counts[TaskStatus.IN_PROGRESS] + counts[TaskStatus.OVERDUE],
        "upcoming": upcoming,
        "to_confirm": to_confirm,
    }


@register.filter
def period_name(code: str) -> str:
    """A task period by its name ("6 tháng đầu năm 2026"), not its code ("2026-H1")."""
    from ttdn.tasks.extraction.deadlines import period_label

    return period_label(code)
