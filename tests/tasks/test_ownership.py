"""Issuing duties: a province assigns to its own departments and communes, not to another province or a
ministry (issue 13); a central officer assigns to anyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.tasks.test_services import _by_section, directive  # noqa: F401 (the fixture)
from ttdn.documents import services as documents
from ttdn.tasks import services
from ttdn.tasks.models import Duty, DutyState, Task

KEEP = ("1.(1)", "2.(2)")


def _point_at(officer, document, assignee: str) -> Duty:  # noqa: ANN001
    """Keep two duties of the directive, the second assigned to ``assignee``; reject the rest."""
    services.extract_document(officer, document)
    sections = _by_section(document)
    for section, duty in sections.items():
        if section not in KEEP:
            services.set_state(officer, duty, DutyState.REJECTED)
    return services.update_duty(
        officer,
        sections["2.(2)"],
        text=sections["2.(2)"].text,
        assignee=assignee,
        coordinators=[],
        due=dt.date(2024, 12, 31),
        recurrence="",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("assignee", "code"), [("Ủy ban nhân dân tỉnh Đồng Nai", "T75"), ("Bộ Ngoại giao", "BNG")]
)
def test_province_cannot_issue_to_a_body_outside_its_scope(directive, user, assignee: str, code: str) -> None:  # noqa: ANN001, F811
    officer = user("quangtri.canbo")
    duty = _point_at(officer, directive, assignee)
    lead = duty.leads.get()
    assert lead.code == code
    with pytest.raises(ValidationError, match=lead.name):
        services.issue(officer, directive, today=dt.date(2026, 11, 20))
    assert not Task.objects.filter(duty__document=directive).exists()
    assert Duty.objects.filter(document=directive, state=DutyState.PROPOSED).count() == len(KEEP)
    # A central officer may.
    tasks = services.issue(user("cuc.canbo"), directive, today=dt.date(2026, 11, 20))
    assert {t.lead.code for t in tasks} == {"T45-STTTT", code}


@pytest.mark.django_db
def test_province_issues_to_its_own_departments(directive, user) -> None:  # noqa: ANN001, F811
    officer = user("quangtri.canbo")
    _point_at(officer, directive, "Sở Văn hóa, Thể thao và Du lịch")
    tasks = services.issue(officer, directive, today=dt.date(2026, 11, 20))
    assert {t.lead.code for t in tasks} == {"T45-STTTT", "T45-SVHTTDL"}


@pytest.mark.django_db
def test_province_cannot_move_a_directive_to_another_province_to_assign_its_bodies(directive, user) -> None:  # noqa: ANN001, F811
    officer = user("quangtri.canbo")
    with pytest.raises(ValidationError) as refused:
        documents.correct(directive, officer, {"issuer_name": "Ủy ban nhân dân tỉnh Đồng Nai"})
    assert "issuer_name" in refused.value.error_dict
    directive.refresh_from_db()
    assert directive.issuer.code == "T45" and directive.issuer_name != "Ủy ban nhân dân tỉnh Đồng Nai"
    assert not services.can_review(user("dongnai.canbo"), directive)


@pytest.mark.django_db
def test_the_review_page_names_the_body_it_refuses(directive, user) -> None:  # noqa: ANN001, F811
    _point_at(user("quangtri.canbo"), directive, "Bộ Ngoại giao")
    response = login("quangtri.canbo").post(f"/tasks/review/{directive.pk}/", {"action": "issue"})
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Bộ Ngoại giao" in said and "không thuộc phạm vi" in said
    assert not Task.objects.filter(duty__document=directive).exists()
