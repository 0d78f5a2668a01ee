"""The review page's one form of edits: a wrong value saves nothing and keeps what was typed in every duty;
a duty left as it was is not marked edited; a duty added by hand with a wrong date keeps what was typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import login
from ttdn.documents.services import import_text
from ttdn.tasks import services
from ttdn.tasks.models import Duty

PROVINCIAL = (Path(__file__).parent / "data" / "chi_thi_tinh.txt").read_text(encoding="utf-8")


def _sent(duties: list[Duty], **changes: dict[str, str]) -> dict[str, str]:
    """The page's form of edits as the browser sends it: every duty's fields, some of them changed."""
    data = {"action": "save"}
    for duty in duties:
        fields = {
            "section": duty.section,
            "text": duty.text.replace("\n", "\r\n"),  # browsers send a textarea's lines so
            "assignee": duty.assignee_label,
            "coordinators": "\r\n".join(duty.coordinator_labels),
            "due": duty.due.strftime("%d/%m/%Y") if duty.due else "",
            "recurrence": duty.recurrence,
        }
        fields.update(changes.get(duty.section, {}))
        data.update({f"d{duty.pk}-{name}": value for name, value in fields.items()})
    return data


@pytest.mark.django_db
def test_a_wrong_date_saves_nothing_and_keeps_every_duty_as_typed(user) -> None:  # noqa: ANN001
    document = import_text(PROVINCIAL).document
    duties = services.extract_document(user("quangtri.canbo"), document)
    first, second = duties[0], duties[1]
    officer = login("quangtri.canbo")
    url = f"/tasks/review/{document.pk}/"
    sent = _sent(
        duties,
        **{
            first.section: {"text": "Nội dung đã sửa"},
            second.section: {"due": "31/02/2024", "assignee": "Sở X"},
        },
    )
    response = officer.post(url, {**sent, "duty": second.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Thời hạn “31/02/2024” không phải một ngày có thật" in page
    assert 'value="31/02/2024"' in page and 'value="Sở X"' in page and "Nội dung đã sửa" in page
    assert f'href="#duty-{second.pk}"' in page and "autofocus" in page
    assert not Duty.objects.filter(document=document, edited=True).exists()

    unchanged = officer.post(url, {**_sent(duties), "duty": first.pk})  # nothing typed: nothing marked edited
    assert unchanged.status_code == 302 and not Duty.objects.filter(document=document, edited=True).exists()

    sent[f"d{second.pk}-due"] = "30/09/2024"
    saved = officer.post(url, {**sent, "duty": second.pk})
    assert saved.status_code == 302 and saved["Location"].endswith(f"#duty-{second.pk}")
    assert set(Duty.objects.filter(document=document, edited=True).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert Duty.objects.get(pk=first.pk).text == "Nội dung đã sửa"
    assert Duty.objects.get(pk=second.pk).due == dt.date(2024, 9, 30)


@pytest.mark.django_db
def test_a_duty_added_with_a_wrong_date_keeps_what_was_typed() -> None:
    document = import_text(PROVINCIAL).document
    officer = login("quangtri.canbo")
    before = Duty.objects.filter(document=document).count()
    typed = {
        "action": "add",
        "new-text": "Tổ chức họp báo quý",
        "new-assignee": "Sở Ngoại vụ",
        "new-due": "32/12",
    }
    response = officer.post(f"/tasks/review/{document.pk}/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Thời hạn “32/12” không phải một ngày có thật" in page
    assert "Tổ chức họp báo quý" in page and 'value="Sở Ngoại vụ"' in page
    assert Duty.objects.filter(document=document).count() == before
    response = officer.post(f"/tasks/review/{document.pk}/", {**typed, "new-due": "31/12/2024"})
    assert response.status_code == 302
    assert Duty.objects.get(document=document, text="Tổ chức họp báo quý").due == dt.date(2024, 12, 31)
