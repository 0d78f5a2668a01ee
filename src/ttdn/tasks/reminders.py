"""Reminders (đôn đốc): notifications and e-mails before and after due dates, the reminder letter
(.docx, Nghị định 30/2020 layout) and a body's iCalendar feed.

``send_reminders`` is run by ``ttdn tasks remind`` (a scheduled command, daily). It is safe to run twice:
each occurrence is reminded at most once per offset (a unique row per occurrence and offset), and a
run that missed days sends only the latest reminder due, not every one it skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ttdn.accounts.models import Role, User
from ttdn.core.dates import format_date
from ttdn.notices.models import NoticeKind
from ttdn.notices.services import notify
from ttdn.orgs.models import OrgUnit
from ttdn.tasks.models import ReminderSent, Task, TaskOccurrence
from ttdn.tasks.services import ensure_occurrences

DEFAULT_OFFSETS = (-7, -1, 1, 7)
CATCH_UP_DAYS = 30  # a job that did not run for up to a month still sends the last reminder it missed


def offsets() -> tuple[int, ...]:
    """Days from the due date at which to remind (negative: before), from TTDN_REMINDER_DAYS."""
    return tuple(sorted(getattr(settings, "TTDN_REMINDER_DAYS", DEFAULT_OFFSETS)))


@dataclass
class RunResult:
    occurrences_created: int = 0
    reminders: int = 0
    notifications: int = 0
    emails: int = 0


def send_reminders(today: dt.date) -> RunResult:
    result = RunResult()
    for task in Task.objects.select_related("duty__document").exclude(duty__recurrence=""):
        result.occurrences_created += ensure_occurrences(task, today=today)
    days = offsets()
    if not days:
        return result
    window_start = today - dt.timedelta(days=max(days) + CATCH_UP_DAYS)
    window_end = today - dt.timedelta(days=min(days))
    candidates = TaskOccurrence.objects.filter(
        completed_on__isnull=True, due__gte=window_start, due__lte=window_end
    ).select_related("task__lead", "task__duty__document")
    for occurrence in candidates:
        passed = [d for d in days if occurrence.due + dt.timedelta(days=d) <= today]
        if not passed:
            continue
        offset = max(passed)
        if ReminderSent.objects.filter(occurrence=occurrence, offset_days=offset).exists():
            continue
        try:
            with transaction.atomic():
                sent = ReminderSent.objects.create(occurrence=occurrence, offset_days=offset, sent_on=today)
                people = list(
                    User.objects.filter(
                        org_unit=occurrence.task.lead,
                        is_active=True,
                        role__in=[Role.UNIT_OFFICER, Role.UNIT_LEADER],
                    )
                )
                message = reminder_text(occurrence, today)
                url = f"/tasks/{occurrence.task_id}/"
                notify(people, NoticeKind.REMINDER, message, url)
                result.emails += sum(1 for p in people if p.email)
                sent.recipients = len(people)
                sent.save(update_fields=["recipients"])
        except IntegrityError:
            continue  # another run sent it in the meantime
        result.reminders += 1
        result.notifications += len(people)
    return result


def reminder_text(occurrence: TaskOccurrence, today: dt.date) -> str:
    duty = occurrence.task.duty
    source = duty.document.number or duty.document.subject[:60]
    days = (occurrence.due - today).days
    when = (
        (_("còn %(n)s ngày") % {"n": days})
        if days > 0
        else (_("đến hạn hôm nay") if days == 0 else _("đã quá hạn %(n)s ngày") % {"n": -days})
    )
    return _("Nhiệm vụ %(section)s của văn bản %(source)s (hạn %(due)s, %(when)s): %(text)s") % {
        "section": duty.section,
        "source": source,
        "due": format_date(occurrence.due),
        "when": when,
        "text": duty.text[:200],
    }


def letter(
    items: list[TaskOccurrence], *, today: dt.date, issuer: str, superior: str, place: str = "Hà Nội"
) -> bytes:
    """Công văn đôn đốc: the overdue duties by body, ready to sign."""
    from ttdn.core.docx_layout import (
        Cell,
        Column,
        add_table,
        letter_header,
        line,
        new_document,
        recipients_and_signature,
        to_bytes,
    )

    document = new_document()
    letter_header(
        document,
        superior=superior,
        issuer=issuer,
        number="      /",
        place=place,
        on=today,
        subject=_("đôn đốc thực hiện nhiệm vụ thông tin đối ngoại quá hạn"),
    )
    by_body: dict[int, list[TaskOccurrence]] = {}
    for item in items:  # by the body that answers for the work today (``heir``, set by overdue_items)
        by_body.setdefault(getattr(item, "heir", item.task.lead).pk, []).append(item)
    bodies = [getattr(group[0], "heir", group[0].task.lead) for group in by_body.values()]
    line(
        document,
        _("Kính gửi: %(bodies)s.")
        % {"bodies": "; ".join(b.name for b in bodies[:6]) + ("; …" if len(bodies) > 6 else "")},
        align="center",
    )
    line(document, "")
    line(
        document,
        _(
            "Theo dõi việc thực hiện các nhiệm vụ thông tin đối ngoại được giao, đến ngày %(d)s, các cơ quan, đơn vị sau còn %(n)s nhiệm vụ "
            "đã quá thời hạn nhưng chưa báo cáo hoàn thành:"
        )
        % {"d": format_date(today), "n": len(items)},
        indent=True,
        align="justify",
    )
    rows: list[list[str | Cell]] = [
        [_("Stt"), _("Cơ quan, đơn vị"), _("Nhiệm vụ (văn bản, mục)"), _("Thời hạn"), _("Tiến độ")]
    ]
    for group in by_body.values():
        for item in group:
            duty = item.task.duty
            heir = getattr(item, "heir", item.task.lead)
            rows.append(
                [
                    str(len(rows)),
                    heir.name
                    if heir.name == item.task.lead.name
                    else _("%(heir)s (kế thừa %(lead)s)") % {"heir": heir.name, "lead": item.task.lead.name},
                    f"{duty.text[:300]} ({duty.document.number or ''}, {_('mục')} {duty.section})",
                    format_date(item.due),
                    f"{item.progress}%",
                ]
            )
    # The letter's own page: the table fits the portrait width, its header repeats on every page.
    add_table(
        document,
        rows,
        [
            Column("fixed", "center"),
            Column("text", "left"),
            Column("text", "left"),
            Column("fixed", "center"),
            Column("fixed", "center"),
        ],
        size=12,
        smallest=11,
        allow_landscape=False,
    )
    line(document, "")
    line(
        document,
        _(
            "Đề nghị các cơ quan, đơn vị khẩn trương hoàn thành và báo cáo kết quả trên hệ thống TTĐN; trường hợp chưa thể hoàn thành, "
            "báo cáo rõ lý do và thời hạn hoàn thành."
        ),
        indent=True,
        align="justify",
    )
    line(document, "")
    recipients_and_signature(
        document,
        recipients=[_("Như trên")],
        authority="KT. CỤC TRƯỞNG",
        position=_("Phó Cục trưởng"),
        signer="",
    )
    return to_bytes(document)


# -- iCalendar -----------------------------------------------------------------------------------

_SALT = "ttdn.tasks.calendar"


def calendar_token(unit: OrgUnit) -> str:
    """A token that lets a calendar program read one body's deadlines without a login."""
    return signing.Signer(salt=_SALT).sign(unit.code).split(":", 1)[1]


def check_calendar_token(unit: OrgUnit, token: str) -> bool:
    try:
        return signing.Signer(salt=_SALT).unsign(f"{unit.code}:{token}") == unit.code
    except signing.BadSignature:
        return False


def calendar(unit: OrgUnit, occurrences: Any, *, base_url: str) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//TTĐN//nhiem-vu//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"TTĐN – {unit.name}")
    for occurrence in occurrences:
        duty = occurrence.task.duty
        event = icalendar.Event()
        event.add("uid", f"ttdn-occurrence-{occurrence.pk}@ttdn")
        event.add("summary", f"[{duty.document.number or 'TTĐN'} {duty.section}] {duty.text[:80]}")
        event.add("description", duty.text)
        event.add("dtstart", occurrence.due)
        event.add("dtend", occurrence.due + dt.timedelta(days=1))
        event.add("url", f"{base_url}/tasks/{occurrence.task_id}/")
        cal.add_component(event)
    return cal.to_ical()
