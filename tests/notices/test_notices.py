"""Notices are created by the services that change a state, reach exactly the people concerned (never the one
who acted), go by e-mail once the change is committed, and feed the home pages' work lists."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttdn.core.worklist import APPROVE, DO
from ttdn.notices import selectors, services
from ttdn.notices.models import Notice, NoticeKind
from ttdn.orgs.models import OrgKind
from ttdn.plans import selectors as plan_selectors
from ttdn.plans import services as plans
from ttdn.reporting import selectors as report_selectors
from ttdn.reporting.models import ExpectedReporter, Indicator, ReportForm
from ttdn.reporting.services import submissions as reports


@pytest.fixture
def form(db) -> ReportForm:  # noqa: ANN001
    form = ReportForm.objects.create(
        code="thu_tb", name="Báo cáo thử thông báo", period_type="year", deadline_month=12, deadline_day=15
    )
    Indicator.objects.create(form=form, code="courses", name="Số lớp", kind="count", required=True)
    ExpectedReporter.objects.create(form=form, kind=OrgKind.PROVINCE)
    return form


@pytest.fixture(autouse=True)
def _no_demo_notices(db) -> None:  # noqa: ANN001
    Notice.objects.all().delete()  # the demo's own cycle left notices; each test counts its own (rolled back)


def _ours(viewer):  # noqa: ANN001, ANN202
    return [i for i in report_selectors.worklist(viewer) if "/thu_tb/" in i.url]


def _kinds(username: str) -> list[str]:
    return list(Notice.objects.filter(user__username=username).values_list("kind", flat=True))


@pytest.mark.django_db
def test_a_report_cycle_tells_each_one_whose_turn_it_is(form, unit, user, django_capture_on_commit_callbacks):  # noqa: ANN001
    officer, leader, central = user("quangtri.canbo"), user("quangtri.lanhdao"), user("cuc.canbo")
    leader.email = "lanhdao@quangtri.gov.vn"
    leader.save()
    draft = reports.save_draft(officer, form, unit("T44-2025"), "2026", {"courses": 2})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reports.submit(officer, draft)
    assert _kinds("quangtri.lanhdao") == [NoticeKind.REPORT_SUBMITTED]
    assert _kinds("quangtri.canbo") == []  # the one who acted is not told what they did
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lanhdao@quangtri.gov.vn"]
    assert "Báo cáo thử thông báo" in mail.outbox[0].body and "chờ lãnh đạo duyệt" in mail.outbox[0].body
    assert (
        "http://127.0.0.1:8000/reporting/forms/thu_tb/2026/T44-2025/" in mail.outbox[0].body
    )  # a whole address
    waiting = _ours(leader)
    assert [i.kind for i in waiting] == [APPROVE] and "Tỉnh Quảng Trị" in waiting[0].label
    assert _ours(officer) == []

    returned = reports.decide(leader, sent, approve=False, comment="Thiếu số lớp ở huyện")
    notice = Notice.objects.get(user=officer)
    assert notice.kind == NoticeKind.REPORT_RETURNED and "Thiếu số lớp ở huyện" in notice.message
    todo = _ours(officer)
    assert [i.kind for i in todo] == [DO] and todo[0].note == "Thiếu số lớp ở huyện"
    assert [i.kind for i in _ours(leader)] == [DO]  # a leader may correct it too, but has nothing to approve

    approved = reports.decide(leader, reports.submit(officer, returned), approve=True)
    assert NoticeKind.REPORT_APPROVED in _kinds("cuc.canbo")
    assert [i.kind for i in _ours(central)] == [APPROVE]
    reports.accept(central, approved)
    assert NoticeKind.REPORT_ACCEPTED in _kinds("quangtri.canbo")
    assert NoticeKind.REPORT_ACCEPTED in _kinds("quangtri.lanhdao")
    assert _ours(central) == []
    assert not Notice.objects.filter(user__org_unit__code="T01-2025").exists()  # Hà Nội is not told


@pytest.mark.django_db
def test_a_rolled_back_change_sends_no_mail(form, unit, user, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    from django.db import transaction

    leader = user("quangtri.lanhdao")
    leader.email = "lanhdao@quangtri.gov.vn"
    leader.save()
    draft = reports.save_draft(user("quangtri.canbo"), form, unit("T44-2025"), "2026", {"courses": 2})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        reports.submit(user("quangtri.canbo"), draft)
        raise RuntimeError("later step failed")
    assert mail.outbox == [] and not Notice.objects.filter(user=leader).exists()


@pytest.mark.django_db
def test_a_province_plan_goes_to_its_leader_then_to_the_centre(unit, user) -> None:  # noqa: ANN001
    from ttdn.plans.models import ActivityCategory

    officer, leader = user("quangtri.canbo"), user("quangtri.lanhdao")
    plan = plans.create_plan(officer, unit("T44-2025"), 2027)
    category = ActivityCategory.objects.first()
    plans.save_activity(officer, plan, {"title": "Hội nghị", "category": category.code}, [])
    plans.submit(officer, plan)
    assert _kinds("quangtri.lanhdao") == [NoticeKind.PLAN_SUBMITTED]
    assert [i.kind for i in plan_selectors.worklist(leader)] == [APPROVE]
    plans.return_plan(leader, plan, "Bổ sung kinh phí")
    assert "Bổ sung kinh phí" in Notice.objects.get(user=officer, kind=NoticeKind.PLAN_RETURNED).message
    assert [i.note for i in plan_selectors.worklist(officer)] == ["Bổ sung kinh phí"]
    plans.submit(officer, plan)
    plans.approve(leader, plan)
    assert NoticeKind.PLAN_APPROVED in _kinds("quangtri.canbo")
    assert [i.label.startswith("Gửi Cục") for i in plan_selectors.worklist(officer)] == [True]
    plans.send(officer, plan)
    assert NoticeKind.PLAN_SENT in _kinds("cuc.canbo")
    assert plan_selectors.worklist(officer) == []


@pytest.mark.django_db
def test_reading_is_ones_own(user) -> None:  # noqa: ANN001
    officer, other = user("quangtri.canbo"), user("quangtri.lanhdao")
    services.notify([officer, other], NoticeKind.REMINDER, "Nhắc việc", "/tasks/")
    mine = Notice.objects.get(user=officer)
    assert services.mark_read(other, mine.pk) == 0  # another user's notice is never touched
    assert selectors.unread_count(officer) == 1
    client = Client()
    client.force_login(other)
    assert client.get(f"/tasks/notifications/{mine.pk}/").status_code == 404
    client.force_login(officer)
    response = client.get(f"/tasks/notifications/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert selectors.unread_count(officer) == 0 and selectors.unread_count(other) == 1


@pytest.mark.django_db
def test_a_notice_never_leads_off_the_site(user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    services.notify([officer], NoticeKind.REMINDER, "Nhắc việc", "//evil.example/x")
    client = Client()
    client.force_login(officer)
    response = client.get(f"/tasks/notifications/{Notice.objects.get(user=officer).pk}/")
    assert response["Location"] == "/tasks/notifications/"


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=700))
def test_any_message_is_stored_as_one_clean_line(user, text: str) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    Notice.objects.filter(user=officer).delete()
    services.notify([officer], NoticeKind.REMINDER, text)
    stored = Notice.objects.filter(user=officer).first()
    if stored is None:
        return
    assert len(stored.message) <= 500
    assert all(ch.isprintable() for ch in stored.message) and stored.message == stored.message.strip()
