"""Who may change the shared registry: a unit edits what its own body issued; central officers keep the rest.

Each test replays part of issue 13 as the Quảng Trị officer and shows it refused, then shows that a central
officer can, and that the province keeps working on its own documents."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied

from tests.conftest import login, needs_seeds
from ttdn.documents import services
from ttdn.documents.models import Citation, Document, Relation

pytestmark = [needs_seeds, pytest.mark.django_db]

PLAN = "\n".join(
    [
        "UBND TỈNH QUẢNG TRỊ",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "-----",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: {number}/KH-SVHTTDL",
        "Đông Hà, ngày 10 tháng 1 năm 2026",
        "KẾ HOẠCH",
        "CÔNG TÁC THÔNG TIN ĐỐI NGOẠI NĂM 2026",
        "{body}",
        "GIÁM ĐỐC",
        "",
        "Trần Văn Nam",
    ]
)


def _plan(user, number: str = "5", body: str = "Thực hiện Công văn số 5406/BTTTT-TTĐN ngày 31/12/2021."):  # noqa: ANN001, ANN201
    return services.import_text(PLAN.format(number=number, body=body), user=user).document


def _doc(number: str) -> Document:
    return Document.objects.get(number=number)


def _logged(document: Document, field: str) -> LogEntry:
    """The one audit entry of the document that records a later change of ``field``."""
    updates = LogEntry.objects.get_for_object(document).filter(action=LogEntry.Action.UPDATE)
    (entry,) = [e for e in updates if field in (e.changes or {})]
    return entry


def _said(response) -> str:  # noqa: ANN001
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _conclusion(date: str) -> str:
    return "\n".join(
        [
            "BAN CHẤP HÀNH TRUNG ƯƠNG",
            "BỘ CHÍNH TRỊ",
            "-------",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số: 57-KL/TW",
            f"Hà Nội, ngày {date}",
            "KẾT LUẬN",
            "VỀ TIẾP TỤC NÂNG CAO CHẤT LƯỢNG, HIỆU QUẢ CÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRONG TÌNH HÌNH MỚI",
            "Nội dung kết luận.",
            "T/M BỘ CHÍNH TRỊ",
            "",
            "Trương Thị Mai",
        ]
    )


@pytest.mark.parametrize("kind", ["repeals", "replaces", "amends"])
def test_province_cannot_end_or_amend_a_national_decree(user, kind: str) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    plan = _plan(officer)
    decree = _doc("72/2015/NĐ-CP")
    client = login("quangtri.canbo")
    response = client.post(f"/docs/{plan.pk}/relations/", {"kind": kind, "target": "72/2015/NĐ-CP"})
    assert response.status_code == 302
    assert "chỉ cán bộ Trung ương" in _said(response)
    assert not Relation.objects.filter(source=plan, target=decree).exists()
    assert _doc("72/2015/NĐ-CP").ceased_on is None
    page = login("bng.xem").get(f"/docs/{decree.pk}/").content.decode()
    assert "Hết hiệu lực" not in page
    # A citation that changes nothing is still the province's to enter.
    client.post(f"/docs/{plan.pk}/relations/", {"kind": "based_on", "target": "72/2015/NĐ-CP"})
    assert Relation.objects.filter(source=plan, target=decree, kind="based_on").exists()


def test_central_officer_can_end_a_decree_and_the_change_is_audited(user) -> None:  # noqa: ANN001
    plan = _plan(user("quangtri.canbo"))
    client = login("cuc.canbo")
    client.post(
        f"/docs/{plan.pk}/relations/",
        {"kind": "repeals", "target": "72/2015/NĐ-CP", "effective_on": "01/02/2026"},
    )
    decree = _doc("72/2015/NĐ-CP")
    assert Relation.objects.filter(source=plan, target=decree, kind="repeals").exists()
    assert decree.ceased_on == dt.date(2026, 2, 1)
    entry = _logged(decree, "ceased_on")
    assert entry.actor.username == "cuc.canbo"
    # The province may not take it back either: deleting the relation would change the decree again.
    relation = Relation.objects.get(source=plan, kind="repeals")
    response = login("quangtri.canbo").post(f"/docs/relations/{relation.pk}/delete/")
    assert Relation.objects.filter(pk=relation.pk).exists() and "chỉ cán bộ Trung ương" in _said(response)


def test_province_ends_its_own_documents(user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    old, new = _plan(officer, "5"), _plan(officer, "9")
    services.add_relation(officer, new, old, "replaces", effective_on=dt.date(2026, 2, 1))
    assert _doc("5/KH-SVHTTDL").ceased_on == dt.date(2026, 2, 1)


def test_a_province_text_that_says_it_repeals_a_decree_does_not_end_it(user) -> None:  # noqa: ANN001
    body = "Bãi bỏ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ."
    plan = _plan(user("quangtri.canbo"), body=body)
    decree = _doc("72/2015/NĐ-CP")
    assert Citation.objects.filter(citing=plan, cited=decree).exists()
    assert not Relation.objects.filter(source=plan, target=decree, kind="repeals").exists()
    assert decree.ceased_on is None
    # The same wording imported by the central department is taken at its word.
    plan.delete()
    plan = services.import_text(PLAN.format(number="5", body=body), user=user("cuc.canbo")).document
    assert Relation.objects.filter(source=plan, target=decree, kind="repeals").exists()


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("57-KL/TW", _conclusion("01 tháng 01 năm 2026")),
        (
            "47/NQ-CP",
            "CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 47/NQ-CP\n"
            "Hà Nội, ngày 20 tháng 5 năm 2025\nNGHỊ QUYẾT\nVỀ VIỆC KHÁC\nNội dung.\nTHỦ TƯỚNG\n\nNguyễn Văn A",
        ),
        (  # the right date, another issuer
            "47/NQ-CP",
            "UBND TỈNH QUẢNG TRỊ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 47/NQ-CP\n"
            "Đông Hà, ngày 15 tháng 4 năm 2024\nNGHỊ QUYẾT\nVỀ VIỆC KHÁC\nNội dung.\nCHỦ TỊCH\n\nNguyễn Văn A",
        ),
    ],
)
def test_province_import_does_not_rewrite_a_shared_record(user, number: str, text: str) -> None:  # noqa: ANN001
    before = _doc(number)
    with pytest.raises(services.ImportRefused, match="bản ghi dùng chung"):
        services.import_text(text, user=user("quangtri.canbo"))
    after = _doc(number)
    assert after.is_stub and (after.issued_on, after.subject) == (before.issued_on, before.subject)
    assert Document.objects.filter(number=number).count() == 1


def test_province_import_refusal_is_shown_on_the_page() -> None:
    client = login("quangtri.canbo")
    response = client.post("/docs/import/", {"text": _conclusion("01 tháng 01 năm 2026")})
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    response = client.post(f"/docs/import/{token}/save/")
    assert response["Location"] == "/docs/import/" and "bản ghi dùng chung" in _said(response)
    assert _doc("57-KL/TW").issued_on == dt.date(2023, 6, 15)


def test_an_agreeing_import_completes_the_stub_and_is_audited(user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    stub = _doc("57-KL/TW")
    result = services.import_text(_conclusion("15 tháng 6 năm 2023"), user=officer)
    assert result.created and result.document.pk == stub.pk
    filled = _doc("57-KL/TW")
    assert not filled.is_stub and filled.issued_on == dt.date(2023, 6, 15)
    entry = _logged(filled, "text")
    assert entry.actor == officer
    before, after = entry.changes["text"]
    assert before == "" and "ký tự, sha256" in after and "Nội dung" not in str(entry.changes)


def test_central_officer_may_correct_a_shared_record_by_import(user) -> None:  # noqa: ANN001
    stub = _doc("57-KL/TW")
    result = services.import_text(_conclusion("16 tháng 6 năm 2023"), user=user("cuc.canbo"))
    assert result.document.pk == stub.pk and _doc("57-KL/TW").issued_on == dt.date(2023, 6, 16)
    entry = _logged(stub, "issued_on")
    assert entry.actor.username == "cuc.canbo"


def _edit(client, document: Document, **changes: str):  # noqa: ANN001, ANN202
    data = {
        "number": document.number,
        "doc_type": document.doc_type,
        "issuer_name": document.issuer_name,
        "place": document.place,
        "issued_on": document.issued_on.strftime("%d/%m/%Y"),
        "subject": document.subject,
        "signer_name": document.signer_name,
    }
    return client.post(f"/docs/{document.pk}/edit/", {**data, **changes})


def test_province_cannot_move_its_document_to_another_body(user) -> None:  # noqa: ANN001
    plan = _plan(user("quangtri.canbo"))
    client = login("quangtri.canbo")
    for name in ("Ủy ban nhân dân tỉnh Đồng Nai", "Bộ Ngoại giao"):
        response = _edit(client, plan, issuer_name=name)
        assert response.status_code == 400
        assert "không thuộc phạm vi" in " ".join(response.context["form"].errors["issuer_name"])
        assert _doc("5/KH-SVHTTDL").issuer.code == "T44-2025-SVHTTDL"
    # Its own documents stay its to correct, the issuer among its own bodies too.
    response = _edit(client, plan, subject="Kế hoạch đã sửa", issuer_name="Ủy ban nhân dân tỉnh Quảng Trị")
    assert response.status_code == 302
    edited = _doc("5/KH-SVHTTDL")
    assert edited.subject == "Kế hoạch đã sửa" and edited.issuer.code.startswith("T44-2025")


def test_central_officer_may_set_any_issuer(user) -> None:  # noqa: ANN001
    plan = _plan(user("quangtri.canbo"))
    edited = services.correct(plan, user("cuc.canbo"), {"issuer_name": "Bộ Ngoại giao"})
    assert edited.issuer.code == "BNG"


MINISTRY_LETTER = "\n".join(
    [
        "BỘ NGOẠI GIAO",
        "-------",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 123/BNG-TTĐN",
        "Hà Nội, ngày 05 tháng 3 năm 2026",
        "V/v thông tin đối ngoại năm 2026",
        "Nội dung công văn.",
        "KT. BỘ TRƯỞNG",
        "",
        "Nguyễn Văn B",
    ]
)


def test_shared_records_are_central_to_edit(user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    letter = services.import_text(MINISTRY_LETTER, user=officer).document  # a ministry's text, imported here
    assert letter.issuer.code == "BNG" and letter.created_by == officer
    client = login("quangtri.canbo")
    for document in (letter, _doc("72/2015/NĐ-CP"), _doc("57-KL/TW")):
        with pytest.raises(PermissionDenied):
            services.correct(document, officer, {"subject": "x"})
        assert client.get(f"/docs/{document.pk}/edit/").status_code == 403
        assert client.post(f"/docs/{document.pk}/reparse/").status_code == 403
    assert services.correct(letter, user("cuc.canbo"), {"subject": "x"}).subject == "x"
    assert services.correct(_doc("57-KL/TW"), user("cuc.canbo"), {"subject": "x"}).subject == "x"


@pytest.mark.django_db
def test_a_preview_ends_when_its_user_may_no_longer_import(user) -> None:  # noqa: ANN001
    from ttdn.accounts.models import User

    officer = user("quangtri.canbo")
    client = login("quangtri.canbo")
    response = client.post("/docs/import/", {"text": PLAN.format(number="61", body="Tổ chức hội nghị.")})
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    User.objects.filter(pk=officer.pk).update(role="viewer")  # the role is taken away before saving
    before = Document.objects.count()
    assert client.get(f"/docs/import/{token}/")["Location"] == "/docs/import/"
    response = client.post(f"/docs/import/{token}/save/")
    assert response["Location"] == "/docs/import/" and Document.objects.count() == before
    User.objects.filter(pk=officer.pk).update(role="unit_officer")
    assert client.post(f"/docs/import/{token}/save/").status_code == 302
    assert Document.objects.count() == before + 1
