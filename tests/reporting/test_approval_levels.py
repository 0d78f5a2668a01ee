"""One approval per organisational level, disaggregated indicators and file indicators."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ttdn.accounts.models import Role, User
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.reporting.models import (
    ExpectedReporter,
    Indicator,
    ReportForm,
    StepAction,
    SubmissionState,
    ValidationRule,
)
from ttdn.reporting.services import submissions as svc


@pytest.fixture
def form(db) -> ReportForm:  # noqa: ANN001
    form = ReportForm.objects.create(
        code="thu_cap", name="Báo cáo thử nhiều cấp", period_type="year", deadline_month=11, deadline_day=25
    )
    Indicator.objects.create(form=form, code="planned", name="Kinh phí kế hoạch", kind="money", order=1)
    Indicator.objects.create(
        form=form,
        code="spent",
        name="Kinh phí đã chi",
        kind="money",
        order=2,
        categories=["Trung ương", "Địa phương"],
    )
    Indicator.objects.create(
        form=form,
        code="news",
        name="Tin bài tiếng nước ngoài",
        kind="count",
        order=3,
        categories=["Anh", "Lào"],
        required=True,
    )
    Indicator.objects.create(form=form, code="declared", name="Tổng tin bài khai báo", kind="count", order=4)
    Indicator.objects.create(form=form, code="signed", name="Bản ký", kind="file", order=5)
    ValidationRule.objects.create(
        form=form, left="spent", operator="<=", right="planned", message="Đã chi vượt kế hoạch."
    )
    ValidationRule.objects.create(
        form=form,
        left="declared",
        operator="=",
        right="news",
        message="Tổng khai báo khác tổng các ngôn ngữ.",
    )
    ExpectedReporter.objects.create(form=form, kind=OrgKind.PROVINCE)
    return form


def _person(username: str, unit: OrgUnit, role: str) -> User:
    return User.objects.create_user(username=username, password="x", role=role, org_unit=unit)


@pytest.mark.django_db
def test_each_level_above_approves_in_turn(form, unit, user) -> None:  # noqa: ANN001
    province = unit("T44-2025")
    department = unit("T44-2025-SVHTTDL")
    division = OrgUnit.objects.create(
        code="T44-2025-SVHTTDL-TTDN",
        name="Phòng Thông tin đối ngoại",
        kind=department.kind,
        parent=department,
        path=f"{department.path}T44-2025-SVHTTDL-TTDN/",  # as the registry's services set it
    )
    assert [u.code for u in svc.approval_chain(division)] == ["T44-2025-SVHTTDL", "T44-2025"]
    assert [u.code for u in svc.approval_chain(province)] == [
        "T44-2025"
    ]  # a top-level body approves its own report

    officer = _person("phong.canbo", division, Role.UNIT_OFFICER)
    head = _person("so.lanhdao", department, Role.UNIT_LEADER)
    province_leader = user("quangtri.lanhdao")
    sent = svc.submit(
        officer, svc.save_draft(officer, form, division, "2026", {"news": {"Anh": "3"}, "declared": "3"})
    )
    assert sent.awaiting == department
    with pytest.raises(PermissionDenied):
        svc.decide(province_leader, sent, approve=True)  # not the province's turn yet
    up = svc.decide(head, sent, approve=True)
    assert (up.state, up.awaiting) == (SubmissionState.SUBMITTED, province)
    with pytest.raises(PermissionDenied):
        svc.decide(head, up, approve=True)  # the department has had its say
    back = svc.decide(province_leader, up, approve=False, comment="Thiếu tin tiếng Lào")
    assert (back.state, back.awaiting) == (SubmissionState.RETURNED, None)
    again = svc.submit(
        officer, svc.save_draft(officer, form, division, "2026", {"news": {"Lào": "2"}, "declared": "5"})
    )
    assert again.awaiting == department  # a returned report starts again from the bottom
    done = svc.decide(province_leader, svc.decide(head, again, approve=True), approve=True)
    assert (done.state, done.awaiting) == (SubmissionState.APPROVED, None)
    accepted = svc.accept(user("cuc.canbo"), done)
    steps = [(s.action, s.level.code if s.level else None, s.user.username) for s in accepted.steps.all()]
    assert steps[:4] == [
        (StepAction.SUBMIT, division.code, "phong.canbo"),
        (StepAction.APPROVE, department.code, "so.lanhdao"),
        (StepAction.RETURN, province.code, "quangtri.lanhdao"),
        (StepAction.SUBMIT, division.code, "phong.canbo"),
    ]
    assert [s[0] for s in steps[4:]] == [StepAction.APPROVE, StepAction.APPROVE, StepAction.ACCEPT]
    assert accepted.steps.get(action=StepAction.RETURN).comment == "Thiếu tin tiếng Lào"


@pytest.mark.django_db
def test_disaggregated_values_are_totalled_for_the_checks(form, unit, user) -> None:  # noqa: ANN001
    officer, quang_tri = user("quangtri.canbo"), unit("T44-2025")
    draft = svc.save_draft(
        officer,
        form,
        quang_tri,
        "2026",
        {
            "planned": "100",
            "spent": {"Trung ương": "60", "Địa phương": "50"},
            "news": {"Anh": "4", "Lào": ""},
            "declared": "5",
        },
    )
    assert draft.values["spent"] == {"Trung ương": 60, "Địa phương": 50}
    assert draft.values["news"] == {"Anh": 4}  # an empty category is not a zero
    assert svc.check(form, draft.values) == ["Đã chi vượt kế hoạch.", "Tổng khai báo khác tổng các ngôn ngữ."]
    draft = svc.save_draft(
        officer, form, quang_tri, "2026", {"spent": {"Trung ương": "60", "Địa phương": "40"}, "declared": "4"}
    )
    assert svc.check(form, draft.values) == []
    with pytest.raises(ValidationError) as info:
        svc.save_draft(officer, form, quang_tri, "2026", {"news": {"Anh": "bốn"}})
    assert info.value.message_dict["news"][0].startswith("Anh:")
    with pytest.raises(ValidationError):
        svc.save_draft(
            officer, form, quang_tri, "2026", {"news": "4"}
        )  # a disaggregated indicator takes its parts
    assert svc.check(form, {"news": {}}) == ["Chưa nhập: Tin bài tiếng nước ngoài"]


@pytest.mark.django_db
def test_file_indicator_keeps_checked_files_only(form, unit, user) -> None:  # noqa: ANN001
    officer, quang_tri = user("quangtri.canbo"), unit("T44-2025")
    pdf = SimpleUploadedFile("Báo cáo ký.pdf", b"%PDF-1.7 content", content_type="application/pdf")
    draft = svc.save_draft(officer, form, quang_tri, "2026", {"planned": "10"}, {"signed": pdf})
    assert draft.values["signed"]["name"] == "Báo cáo ký.pdf" and draft.values["signed"]["size"] == 16
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as info:
        svc.save_draft(officer, form, quang_tri, "2026", {"planned": "20"}, {"signed": fake})
    assert "không phải .pdf" in info.value.message_dict["signed"][0]
    draft.refresh_from_db()
    assert (
        draft.values["planned"] == 10 and draft.values["signed"]["name"] == "Báo cáo ký.pdf"
    )  # nothing half-saved
    draft = svc.save_draft(officer, form, quang_tri, "2026", {"signed": None})
    assert draft.values["signed"] is None


@pytest.mark.django_db
def test_attachment_download_respects_scope(form, unit, user) -> None:  # noqa: ANN001
    from tests.conftest import login

    officer, quang_tri = user("quangtri.canbo"), unit("T44-2025")
    draft = svc.save_draft(
        officer, form, quang_tri, "2026", {}, {"signed": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}
    )
    url = f"/files/{draft.values['signed']['id']}/"
    response = login("quangtri.lanhdao").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert login("dongnai.canbo").get(url).status_code == 403
    assert login("cuc.canbo").get(url).status_code == 200
    assert login("cuc.canbo").get("/files/999999/").status_code == 404
