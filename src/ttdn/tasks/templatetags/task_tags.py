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
    counts = {state: Duty.objects.filter(document=document, state=state).count() for state in (DutyState.PROPOSED, DutyState.ISSUED)}
    return {"document": document, "can_review": can_review(user, document) and bool(document.text),
            "proposed": counts[DutyState.PROPOSED], "issued": counts[DutyState.ISSUED],
            "tasks": Task.objects.filter(duty__document=document).count()}
