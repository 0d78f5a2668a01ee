"""The overdue list read a page at a time: the same order and heirs as sorting every occurrence, for any slice."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from ttdn.documents.models import Document
from ttdn.orgs.models import OrgUnit
from ttdn.tasks import selectors
from ttdn.tasks.models import Duty, DutyState, Task, TaskOccurrence, TaskStatus

TODAY = dt.date(2026, 11, 20)
# bodies of 2012 gone into today's (Quảng Bình and Quảng Trị into Quảng Trị; Bình Phước into Đồng Nai) and others
LEADS = ("T44", "T45", "T44-2025", "T70", "T75", "T75-2025", "T01", "T79")


@pytest.mark.django_db
def test_each_slice_is_the_slice_of_the_whole_list_sorted(user) -> None:  # noqa: ANN001
    document = Document.objects.create(
        number="77/KH-BTT",
        doc_type="Kế hoạch",
        subject="Thử quá hạn",
        issued_on=dt.date(2024, 1, 10),
        text="x",
    )
    draw = random.Random(7)
    for order, code in enumerate(LEADS * 2):
        duty = Duty.objects.create(
            document=document,
            order=order,
            text=f"Nhiệm vụ {order}",
            fingerprint=f"qh-{order}",
            state=DutyState.ISSUED,
        )
        task = Task.objects.create(duty=duty, lead=OrgUnit.objects.get(code=code))
        for n in range(draw.randint(1, 7)):
            due = (
                TODAY - dt.timedelta(days=draw.randint(1, 400))
                if n
                else None
                if draw.random() < 0.2
                else TODAY
            )
            TaskOccurrence.objects.create(task=task, period=str(n), due=due, completed_on=None)
    central = user("cuc.canbo")
    listed = selectors.overdue_items(central, today=TODAY)
    every = list(selectors.visible_occurrences(central).with_status(TODAY).filter(status=TaskStatus.OVERDUE))
    heirs = selectors.Heirs(TODAY)
    expected = sorted(
        every,
        key=lambda o: (heirs.of(o.task.lead).sort_key, heirs.of(o.task.lead).pk, o.due or dt.date.max, o.pk),
    )
    assert len(listed) == listed.count() == len(expected) > 20
    whole = listed[0 : len(listed)]
    assert [o.pk for o in whole] == [o.pk for o in expected]
    for start in range(0, len(expected), 3):
        for stop in (start + 1, start + 5, start + 13, len(expected) + 4):
            part = listed[start:stop]
            assert [o.pk for o in part] == [o.pk for o in expected[start:stop]]
            assert [o.heir.pk for o in part] == [heirs.of(o.task.lead).pk for o in expected[start:stop]]
    inherited = {o.task.lead.code for o in whole if o.inherited}
    assert "T70" in inherited and "T44-2025" not in inherited  # Bình Phước's work now Đồng Nai's
    assert list(listed[5:5]) == [] and list(listed[len(listed) + 10 :]) == []
    quang_tri = selectors.overdue_items(central, today=TODAY, unit=OrgUnit.objects.get(code="T44-2025"))
    assert {o.task.lead.code for o in quang_tri[0:1000]} >= {"T44-2025", "T45"} and "T75" not in {
        o.task.lead.code for o in quang_tri[0:1000]
    }
