"""Report forms and submissions: validation, approval levels, locking, completeness over time."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ttdn.orgs.models import OrgKind
from ttdn.reporting.models import (
    ExpectedReporter,
    Indicator,
    ReportForm,
    Submission,
    SubmissionState,
    ValidationRule,
)
from ttdn.reporting.services import submissions as svc


@pytest.fixture
def form(db) -> ReportForm:  # noqa: ANN001
    form = ReportForm.objects.create(
        code="thu_nam", name="Báo cáo thử năm", period_type="year", deadline_month=11, deadline_day=25
    )
    for order, (code, name, kind, required) in enumerate(
        [
            ("courses", "Số lớp tập huấn", "count", True),
            ("trainees", "Số học viên", "count", True),
            ("planned", "Kinh phí kế hoạch", "money", False),
            ("spent", "Kinh phí đã chi", "money", False),
            ("plan", "Có kế hoạch TTĐN năm", "yes_no", False),
            ("summary", "Tóm tắt kết quả", "text", False),
        ]
    ):
        Indicator.objects.create(form=form, code=code, name=name, kind=kind, required=required, order=order)
    ValidationRule.objects.create(
        form=form,
        left="trainees",
        operator=">=",
        right="courses",
        message="Số học viên không được ít hơn số lớp.",
    )
    ValidationRule.objects.create(
        form=form,
        left="spent",
        operator="<=",
        right="planned",
        message="Kinh phí đã chi không được vượt kế hoạch.",
    )
    ExpectedReporter.objects.create(form=form, kind=OrgKind.PROVINCE)
    return form


@pytest.mark.django_db
def test_draft_keeps_values_and_refuses_bad_ones(form, unit, user) -> None:  # noqa: ANN001
    officer, quang_tri = user("quangtri.canbo"), unit("T44-2025")
    draft = svc.save_draft(
        officer, form, quang_tri, "2026", {"courses": "3", "planned": "1.500.000 đ", "hacked": "x"}
    )
    assert draft.values == {"courses": 3, "planned": 1500000}
    with pytest.raises(ValidationError) as info:
        svc.save_draft(officer, form, quang_tri, "2026", {"trainees": "nhiều", "summary": "Đã làm"})
    assert "trainees" in info.value.message_dict
    draft.refresh_from_db()
    assert draft.values == {"courses": 3, "planned": 1500000}  # nothing half-saved
    draft = svc.save_draft(officer, form, quang_tri, "2026", {"summary": "Đã tổ chức 3 lớp"})
    assert draft.values["courses"] == 3 and draft.values["summary"] == "Đã tổ chức 3 lớp"


@pytest.mark.django_db
def test_full_cycle_with_return_lock_and_unlock(form, unit, user) -> None:  # noqa: ANN001
    officer, leader, central = user("quangtri.canbo"), user("quangtri.lanhdao"), user("cuc.canbo")
    quang_tri = unit("T44-2025")
    draft = svc.save_draft(
        officer, form, quang_tri, "2026", {"courses": 3, "trainees": 2, "planned": 100, "spent": 50}
    )
    with pytest.raises(ValidationError, match="Số học viên không được ít hơn số lớp"):
        svc.submit(officer, draft)
    draft = svc.save_draft(officer, form, quang_tri, "2026", {"trainees": 90})
    sent = svc.submit(officer, draft)
    assert sent.state == SubmissionState.SUBMITTED and sent.submitted_at
    with pytest.raises(ValidationError):
        svc.save_draft(officer, form, quang_tri, "2026", {"trainees": 1})  # locked while waiting
    with pytest.raises(ValidationError, match="lý do"):
        svc.decide(leader, sent, approve=False)
    returned = svc.decide(leader, sent, approve=False, comment="Bổ sung kinh phí đã chi")
    assert returned.state == SubmissionState.RETURNED
    svc.save_draft(officer, form, quang_tri, "2026", {"spent": 80})
    approved = svc.decide(leader, svc.submit(officer, returned), approve=True)
    accepted = svc.accept(central, approved)
    assert accepted.state == SubmissionState.ACCEPTED and accepted.values["spent"] == 80
    with pytest.raises(ValidationError):
        svc.save_draft(officer, form, quang_tri, "2026", {"spent": 1})
    reopened = svc.unlock(central, accepted, "Sai số học viên")
    assert reopened.state == SubmissionState.RETURNED
    entry = LogEntry.objects.get_for_object(reopened).latest("timestamp")
    assert entry.actor.username == "cuc.canbo" and entry.changes_dict["state"][1] == "returned"


@pytest.mark.django_db
def test_permissions(form, unit, user) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        svc.save_draft(user("dongnai.canbo"), form, unit("T44-2025"), "2026", {"courses": 1})
    with pytest.raises(PermissionDenied):
        svc.save_draft(user("bng.xem"), form, unit("T44-2025"), "2026", {"courses": 1})
    with pytest.raises(PermissionDenied):
        svc.save_draft(
            user("quangtri.canbo"), form, unit("T44"), "2024", {"courses": 1}
        )  # a body that no longer exists
    draft = svc.save_draft(
        user("quangtri.canbo"), form, unit("T44-2025"), "2026", {"courses": 1, "trainees": 1}
    )
    sent = svc.submit(user("quangtri.canbo"), draft)
    with pytest.raises(PermissionDenied):
        svc.decide(user("dongnai.canbo"), sent, approve=True)
    with pytest.raises(PermissionDenied):
        svc.accept(user("quangtri.lanhdao"), sent)
    with pytest.raises(ValidationError):
        svc.save_draft(
            user("quangtri.canbo"), form, unit("T44-2025"), "2026-Q1", {"courses": 1}
        )  # wrong period type


@pytest.mark.django_db
def test_completeness_uses_the_bodies_of_the_period(form, unit, user) -> None:  # noqa: ANN001
    assert svc.completeness(form, "2024")["expected"] == 63
    before = svc.completeness(form, "2026")
    assert (before["expected"], before["submitted"], before["rate"]) == (34, 0, 0.0)
    officer, leader = user("quangtri.canbo"), user("quangtri.lanhdao")
    waiting = svc.submit(
        officer, svc.save_draft(officer, form, unit("T44-2025"), "2026", {"courses": 1, "trainees": 5})
    )
    assert svc.completeness(form, "2026")["submitted"] == 0  # waiting for its own leader: not sent yet
    svc.decide(leader, waiting, approve=True)
    late = Submission.objects.create(
        form=form,
        unit=unit("T75-2025"),
        period="2026",
        state=SubmissionState.APPROVED,
        submitted_at=timezone.make_aware(dt.datetime(2026, 11, 20, 9)),  # to its leader in time,
        sent_at=timezone.make_aware(dt.datetime(2026, 12, 1, 9)),  # approved and sent after 25/11
    )
    after = svc.completeness(form, "2026")
    assert (after["submitted"], after["on_time"]) == (2, 1)
    assert [u.code for u in after["late"]] == [late.unit.code]
    assert len(after["missing"]) == 32 and after["rate"] == pytest.approx(2 / 34)
    # A submission from a body that is not expected never pushes the rate over 100%.
    Submission.objects.create(
        form=form,
        unit=unit("BNG"),
        period="2026",
        state=SubmissionState.APPROVED,
        submitted_at=timezone.now(),
        sent_at=timezone.now(),
    )
    assert svc.completeness(form, "2026")["submitted"] == 2
    assert svc.deadline_of(form, svc.period_of(form, "2026")) == dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("count", "1.234", 1234),
        ("money", "1,500,000", 1500000),
        ("percent", "12,5", 12.5),
        ("yes_no", "Có", True),
        ("text", "  x ", "x"),
        ("count", "", None),
    ],
)
def test_clean_value(kind: str, raw: str, value: object) -> None:
    assert svc.clean_value(kind, raw) == value


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("count", "-3"),
        ("count", "ba"),
        ("percent", "120"),
        ("percent", "NaN"),
        ("percent", "Infinity"),
        ("percent", "-inf"),
        ("yes_no", "có lẽ"),
        ("money", "1e5"),
    ],
)
def test_clean_value_refuses(kind: str, raw: str) -> None:
    with pytest.raises(ValueError):
        svc.clean_value(kind, raw)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.sampled_from(["yes_no", "count", "money", "percent", "text"]), st.text(max_size=30))
def test_clean_value_takes_or_refuses_any_text(kind: str, raw: str) -> None:
    try:
        value = svc.clean_value(kind, raw)
    except ValueError:
        return
    if kind in ("count", "money") and value is not None:
        assert isinstance(value, int) and value >= 0
    if kind == "percent" and value is not None:
        assert 0 <= value <= 100
