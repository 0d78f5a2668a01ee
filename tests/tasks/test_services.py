"""Tasks in the database: review, issue without duplicates, occurrences, progress, confirmation, reminders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ttdn.documents.services import import_text
from ttdn.notices.models import Notice
from ttdn.orgs.models import OrgUnit
from ttdn.tasks import reminders, services
from ttdn.tasks.models import Duty, DutyState, ReminderSent, Task, TaskOccurrence, TaskStatus

PROVINCIAL = (Path(__file__).parent / "data" / "chi_thi_tinh.txt").read_text(encoding="utf-8")


@pytest.fixture
def directive(db):  # noqa: ANN001, ANN201
    document = import_text(PROVINCIAL).document
    assert (
        document.issuer is not None and document.issuer.code == "T45"
    )  # Quảng Trị as it stood on 15/03/2024
    return document


def _by_section(document) -> dict[str, Duty]:  # noqa: ANN001
    return {
        d.section: d for d in Duty.objects.filter(document=document).prefetch_related("leads", "coordinators")
    }


@pytest.mark.django_db
def test_review_resolves_relative_to_the_issuer(directive, user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")  # Quảng Trị today: its scope covers the province before the merger
    duties = services.extract_document(officer, directive)
    assert (
        len(duties) == 15
    )  # the closing "... có trách nhiệm tổ chức thực hiện nghiêm túc Chỉ thị này" restates the lead, no duty
    s = _by_section(directive)
    assert [u.code for u in s["1.(1)"].leads.all()] == ["T45-STTTT"]
    assert [u.code for u in s["4.(1)"].leads.all()] == ["T45-SVHTTDL"]
    assert [u.code for u in s["4.(1)"].coordinators.all()] == ["T45-STTTT"]
    assert list(s["3"].leads.all()) == [] and s["3"].unresolved == [
        {"name": "Sở Nội vụ", "parent": "T45"}
    ]  # proposed, not dropped
    assert s["10.(1)"].unresolved[0]["collective"]
    with pytest.raises(ValidationError, match="3"):
        services.issue(officer, directive)  # every duty needs a lead body first
    unit = services.create_missing_unit(officer, s["3"], "Sở Nội vụ")
    assert unit.parent.code == "T45" and unit.name == "Sở Nội vụ tỉnh Quảng Trị"
    assert [u.pk for u in Duty.objects.get(pk=s["3"].pk).leads.all()] == [unit.pk]
    for section in ("10.(1)", "10.(2)"):
        services.set_state(officer, s[section], DutyState.REJECTED)
    for section in ("2.(1)", "5.(1)", "6.(1)", "7.(1)", "8.(1)", "9.(1)", "2.(2)"):
        if not s[section].leads.all():
            services.set_state(officer, s[section], DutyState.REJECTED)
    tasks = services.issue(officer, directive)
    assert {t.lead.code for t in tasks} >= {"T45-STTTT", "T45-SVHTTDL", unit.code}
    issued = Duty.objects.filter(document=directive, state=DutyState.ISSUED).count()
    # Re-running extraction proposes nothing already issued or rejected.
    again = services.extract_document(officer, directive)
    assert again == [] and Duty.objects.filter(document=directive, state=DutyState.ISSUED).count() == issued
    assert Task.objects.filter(duty__document=directive).count() == len(tasks)


@pytest.mark.django_db
def test_edit_merge_split_add_and_undo(directive, user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    services.extract_document(officer, directive)
    s = _by_section(directive)
    edited = services.update_duty(
        officer,
        s["2.(2)"],
        text="Quản lý phóng viên nước ngoài đến tác nghiệp",
        assignee="Sở Thông tin và Truyền thông",
        coordinators=["Công an tỉnh"],
        due=dt.date(2024, 12, 31),
        recurrence="",
    )
    assert [u.code for u in edited.leads.all()] == ["T45-STTTT"] and edited.edited
    assert edited.unresolved == [{"name": "Công an tỉnh", "parent": "T45", "role": "coordinator"}]
    merged = services.merge_with_next(officer, s["1.(1)"])
    assert "Tổng hợp kế hoạch" in merged.text and not Duty.objects.filter(pk=s["1.(2)"].pk).exists()
    first, second = services.split(officer, merged, "Tổng hợp kế hoạch")
    assert first.text.startswith("Là cơ quan thường trực") and second.text.startswith("Tổng hợp kế hoạch")
    with pytest.raises(ValidationError):
        services.split(officer, first, "không có trong đoạn")
    added = services.add_duty(
        officer,
        directive,
        text="Báo cáo kết quả trước ngày 15/12/2024",
        assignee="Sở Ngoại vụ",
        coordinators=[],
        due=dt.date(2024, 12, 15),
        recurrence="",
    )
    assert added.state == DutyState.PROPOSED and added.due == dt.date(2024, 12, 15)
    services.set_state(officer, added, DutyState.REJECTED)
    assert services.set_state(officer, added, DutyState.PROPOSED).state == DutyState.PROPOSED  # undo
    # Re-extraction keeps what the official edited.
    services.extract_document(officer, directive)
    assert Duty.objects.get(pk=edited.pk).text == "Quản lý phóng viên nước ngoài đến tác nghiệp"
    with pytest.raises(PermissionDenied):
        services.extract_document(user("dongnai.canbo"), directive)  # another province's officer


@pytest.mark.django_db
def test_occurrences_progress_confirmation_and_status(directive, user) -> None:  # noqa: ANN001
    officer, leader = user("quangtri.canbo"), user("quangtri.lanhdao")
    services.extract_document(officer, directive)
    for duty in Duty.objects.filter(document=directive):
        if not duty.leads.exists():
            services.set_state(officer, duty, DutyState.REJECTED)
    services.issue(officer, directive, today=dt.date(2026, 11, 22))
    yearly = Task.objects.get(duty__document=directive, duty__section="1.(2)")
    assert list(yearly.occurrences.values_list("period", "due")) == [
        ("2024", dt.date(2024, 7, 1)),
        ("2025", dt.date(2025, 7, 1)),
        ("2026", dt.date(2026, 7, 1)),
    ]
    halves = Task.objects.get(duty__document=directive, duty__section="1.(3)")
    assert sorted(halves.occurrences.values_list("period", flat=True)) == sorted(
        [f"{y}-{h}" for y in (2024, 2025, 2026) for h in ("H1", "H2")] + ["2024", "2025", "2026"]
    )
    one_off = Task.objects.get(duty__document=directive, duty__section="1.(4)").occurrences.get()
    assert (one_off.period, one_off.due) == ("", dt.date(2024, 9, 30))
    today = dt.date(2026, 11, 22)
    assert one_off.status_on(today) == TaskStatus.OVERDUE
    with pytest.raises(PermissionDenied):
        services.report_progress(user("dongnai.canbo"), one_off, text="x", percent=10)
    with pytest.raises(ValidationError):
        services.confirm(leader, one_off)  # nothing reported yet
    with pytest.raises(PermissionDenied):
        services.confirm(officer, one_off)  # an officer does not confirm
    evidence = SimpleUploadedFile("anh-chuyen-trang.png", b"\x89PNG\r\n\x1a\nxxxx")
    entry = services.report_progress(
        officer, one_off, text="Đã nâng cấp chuyên trang", percent=100, files=[evidence]
    )
    assert entry.attachments.get().name == "anh-chuyen-trang.png"
    with pytest.raises(ValidationError):
        services.report_progress(
            officer, one_off, text="x", percent=50, files=[SimpleUploadedFile("x.exe", b"MZ")]
        )
    done = services.confirm(leader, one_off)
    assert done.completed_on is not None and done.status_on(today) == TaskStatus.DONE_LATE
    statuses = dict(
        TaskOccurrence.objects.filter(pk=one_off.pk).with_status(today).values_list("pk", "status")
    )
    assert statuses[one_off.pk] == TaskStatus.DONE_LATE
    with pytest.raises(ValidationError):
        services.report_progress(officer, one_off, text="sau", percent=100)
    reopened = services.reopen(leader, done, "Bổ sung ảnh")
    assert reopened.completed_on is None


@pytest.mark.django_db
def test_reminders_are_sent_once(directive, user, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    services.extract_document(officer, directive)
    for duty in Duty.objects.filter(document=directive):
        if not duty.leads.exists():
            services.set_state(officer, duty, DutyState.REJECTED)
    services.issue(officer, directive, today=dt.date(2024, 9, 1))
    department = OrgUnit.objects.get(code="T45-STTTT")
    from ttdn.accounts.models import Role, User

    User.objects.create_user(
        "stttt.qt", email="stttt@quangtri.gov.vn", password="x", role=Role.UNIT_OFFICER, org_unit=department
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves once the reminder is committed
        first = reminders.send_reminders(dt.date(2024, 9, 29))  # 1 day before 30/09/2024
    assert first.reminders >= 1 and first.emails >= 1
    assert "30/09/2024" in mail.outbox[0].body and "còn 1 ngày" in mail.outbox[0].body
    again = reminders.send_reminders(dt.date(2024, 9, 29))
    assert again.reminders == 0  # safe to run twice
    late = reminders.send_reminders(
        dt.date(2024, 10, 20)
    )  # the job missed days: only the latest reminder (+7)
    sent = ReminderSent.objects.filter(
        occurrence__task__duty__document=directive, occurrence__due=dt.date(2024, 9, 30)
    )
    assert set(sent.values_list("offset_days", flat=True)) == {-1, 7} and late.reminders >= 1
    assert Notice.objects.filter(user__username="stttt.qt").count() >= 2


@pytest.mark.django_db
def test_issuing_reporting_and_confirming_tell_the_bodies(directive, user) -> None:  # noqa: ANN001
    from ttdn.core.worklist import APPROVE, DO
    from ttdn.notices.models import NoticeKind
    from ttdn.tasks import selectors

    Notice.objects.all().delete()  # the demo's own notices; this test counts its own
    from ttdn.accounts.models import Role, User

    officer = user("quangtri.canbo")
    department = OrgUnit.objects.get(code="T45-STTTT")  # Sở Thông tin và Truyền thông, lead of item 1.(4)
    staff = User.objects.create_user("stttt.canbo", password="x", role=Role.UNIT_OFFICER, org_unit=department)
    leader = User.objects.create_user(
        "stttt.lanhdao", password="x", role=Role.UNIT_LEADER, org_unit=department
    )
    services.extract_document(officer, directive)
    for duty in Duty.objects.filter(document=directive):
        if not duty.leads.exists():
            services.set_state(officer, duty, DutyState.REJECTED)
    tasks = services.issue(officer, directive, today=dt.date(2026, 11, 20))
    leads = {t.lead for t in tasks}
    issued = Notice.objects.filter(kind=NoticeKind.TASK_ISSUED)
    # each lead body's staff is told once for the document, the one who issued it not at all
    assert set(issued.values_list("user__org_unit", flat=True)) <= {u.pk for u in leads}
    assert not issued.filter(user=officer).exists()
    assert issued.filter(user=leader).count() == 1 and directive.number in issued.get(user=leader).message
    assert issued.filter(user=staff).count() == 1
    one_off = Task.objects.get(duty__document=directive, duty__section="1.(4)").occurrences.get()
    assert any(
        i.kind == DO and i.url.endswith(f"/{one_off.task_id}/")
        for i in selectors.worklist(staff, today=dt.date(2026, 11, 20))
    )
    services.report_progress(staff, one_off, text="Đã nâng cấp chuyên trang", percent=100)
    assert Notice.objects.filter(user=leader, kind=NoticeKind.TASK_REPORTED).count() == 1
    waiting = [i for i in selectors.worklist(leader, today=dt.date(2026, 11, 20)) if i.kind == APPROVE]
    assert [i.url for i in waiting] == [f"/tasks/{one_off.task_id}/"]
    services.send_back(leader, one_off, "Thiếu ảnh minh chứng")
    assert "Thiếu ảnh minh chứng" in Notice.objects.get(user=staff, kind=NoticeKind.TASK_RETURNED).message
    services.report_progress(staff, one_off, text="Bổ sung ảnh", percent=100)
    services.confirm(leader, one_off)
    assert Notice.objects.filter(user=staff, kind=NoticeKind.TASK_CONFIRMED).count() == 1
    assert not [i for i in selectors.worklist(leader, today=dt.date(2026, 11, 20)) if i.kind == APPROVE]
