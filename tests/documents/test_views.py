"""Document pages: list, search, import with preview, corrections, relations; bad input never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login, needs_seeds
from ttdn.documents.models import Document, PendingImport, Relation

pytestmark = needs_seeds


def doc(number: str) -> Document:
    return Document.objects.get(number=number)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "number"), [("chi thi 21", "21/CT-TTg"), ("thong tin doi ngoai 2022", "5406/BTTTT-TTĐN")]
)
def test_list_search(query: str, number: str) -> None:
    response = login("bng.xem").get("/docs/", {"q": query})
    assert response.status_code == 200
    assert [d.number for d in response.context["page"]] == [number]


@pytest.mark.django_db
def test_filters_and_bad_filters() -> None:
    client = login("bng.xem")
    assert {d.number for d in client.get("/docs/", {"doc_type": "Chỉ thị"}).context["page"]} == {"21/CT-TTg"}
    assert {d.number for d in client.get("/docs/", {"year": "2024"}).context["page"]} == {"1578/BTTTT-TTĐN"}
    ceased = client.get("/docs/", {"validity": "ceased", "stubs": "1"}).context["page"]
    assert "79/2010/QĐ-TTg" in {d.number for d in ceased}
    bad = client.get("/docs/", {"year": "abc", "validity": "<x>", "sort": "drop table"})
    assert bad.status_code == 200 and "bỏ qua" in bad.content.decode()


@pytest.mark.django_db
def test_detail_shows_citations_and_cited_by() -> None:
    client = login("bng.xem")
    page = client.get(f"/docs/{doc('79/2010/QĐ-TTg').pk}/").content.decode()
    assert "Hết hiệu lực" in page and "22/10/2015" in page
    assert "212/BTTTT-TTĐN" in page and "5406/BTTTT-TTĐN" in page  # cited by
    page = client.get(f"/docs/{doc('5406/BTTTT-TTĐN').pk}/").content.decode()
    assert "Nghị định số 72/2015/NĐ-CP ngày 07/9/2015" in page


@pytest.mark.django_db
def test_import_preview_save_and_cancel() -> None:
    client = login("quangtri.canbo")
    text = "UBND TỈNH QUẢNG TRỊ\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\n-----\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 5/KH-SVHTTDL\nĐông Hà, ngày 10 tháng 1 năm 2026\nKẾ HOẠCH\nCÔNG TÁC THÔNG TIN ĐỐI NGOẠI NĂM 2026\nThực hiện Công văn số 5406/BTTTT-TTĐN ngày 31/12/2021.\nGIÁM ĐỐC\n\nTrần Văn Nam"
    response = client.post("/docs/import/", {"text": text})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "5/KH-SVHTTDL" in preview.content.decode() and "10/01/2026" in preview.content.decode()
    assert not Document.objects.filter(number="5/KH-SVHTTDL").exists()
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    saved = client.post(f"/docs/import/{token}/save/")
    new = doc("5/KH-SVHTTDL")
    assert saved["Location"] == f"/docs/{new.pk}/"
    assert new.issuer.code == "T44-2025-SVHTTDL" and new.created_by.username == "quangtri.canbo"
    assert not PendingImport.objects.filter(token=token).exists()
    # Cancel leaves nothing.
    response = client.post("/docs/import/", {"text": text.replace("5/KH", "6/KH")})
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    client.post(f"/docs/import/{token}/cancel/")
    assert (
        not Document.objects.filter(number="6/KH-SVHTTDL").exists()
        and not PendingImport.objects.filter(token=token).exists()
    )


@pytest.mark.django_db
def test_import_refusals_are_clear() -> None:
    client = login("cuc.canbo")
    before = (Document.objects.count(), PendingImport.objects.count())
    from django.core.files.uploadedfile import SimpleUploadedFile

    cases = [
        ({"text": "Xin chào các bạn"}, "Không nhận ra văn bản"),
        ({"file": SimpleUploadedFile("a.txt", b"")}, "Hãy chọn tệp"),
        ({"file": SimpleUploadedFile("a.png", b"\x89PNG....")}, "Chỉ nhận tệp"),
        ({"file": SimpleUploadedFile("a.txt", b"\x00\x01\x02" * 50)}, "nhị phân"),
        ({}, "Hãy chọn tệp"),
    ]
    for data, message in cases:
        response = client.post("/docs/import/", data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), message
    assert (Document.objects.count(), PendingImport.objects.count()) == before


@pytest.mark.django_db
def test_viewer_cannot_import_or_edit() -> None:
    client = login("bng.xem")
    assert client.get("/docs/import/").status_code == 403
    target = doc("1578/BTTTT-TTĐN")
    assert client.get(f"/docs/{target.pk}/edit/").status_code == 403
    assert client.post(f"/docs/{target.pk}/edit/", {"subject": "x"}).status_code == 403
    assert (
        client.post(
            f"/docs/{target.pk}/relations/", {"kind": "replaces", "target": "212/BTTTT-TTĐN"}
        ).status_code
        == 403
    )
    assert doc("1578/BTTTT-TTĐN").subject.startswith("hướng dẫn")


@pytest.mark.django_db
def test_other_province_cannot_edit_a_provincial_document() -> None:
    target = Document.objects.get(reference_key="qc_hd")  # Hải Dương, now part of Hải Phòng
    assert login("quangtri.canbo").get(f"/docs/{target.pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_edit_with_bad_date_saves_nothing() -> None:
    client = login("cuc.canbo")
    target = doc("1578/BTTTT-TTĐN")
    response = client.post(
        f"/docs/{target.pk}/edit/",
        {
            "number": target.number,
            "doc_type": target.doc_type,
            "issuer_name": target.issuer_name,
            "place": "X",
            "issued_on": "31/02/2024",
            "subject": target.subject,
        },
    )
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
    assert doc("1578/BTTTT-TTĐN").place == "Hà Nội"


@pytest.mark.django_db
def test_add_and_delete_relation() -> None:
    client = login("cuc.canbo")
    source = doc("5406/BTTTT-TTĐN")
    client.post(f"/docs/{source.pk}/relations/", {"kind": "implements", "target": "72/2015/NĐ-CP"})
    relation = Relation.objects.get(source=source, kind="implements")
    assert relation.target.number == "72/2015/NĐ-CP" and relation.created_by.username == "cuc.canbo"
    response = client.post(f"/docs/{source.pk}/relations/", {"kind": "implements", "target": "999/XX-YY"})
    assert response.status_code == 302
    assert "Không tìm thấy" in client.get(f"/docs/{source.pk}/").content.decode()
    response = client.post(f"/docs/{source.pk}/relations/", {"kind": "based_on", "target": source.number})
    assert not Relation.objects.filter(source=source, target=source).exists()
    assert login("bng.xem").post(f"/docs/relations/{relation.pk}/delete/").status_code == 403
    client.post(f"/docs/relations/{relation.pk}/delete/")
    assert not Relation.objects.filter(pk=relation.pk).exists()


@pytest.mark.django_db
def test_expired_bases_page() -> None:
    page = login("bng.xem").get("/docs/expired-bases/").content.decode()
    for province in ("Hải Dương", "Nghệ An", "Đồng Tháp"):
        assert province in page
    assert "79/2010/QĐ-TTg" in page and "22/10/2015" in page


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), year=st.text(max_size=6), doc_type=st.text(max_size=12))
def test_list_never_fails(q: str, year: str, doc_type: str) -> None:
    clean = {k: v.replace("\x00", "") for k, v in {"q": q, "year": year, "doc_type": doc_type}.items()}
    assert login("bng.xem").get("/docs/", clean).status_code == 200


@pytest.mark.django_db
def test_a_capped_count_is_written_with_thousands_separators(monkeypatch) -> None:  # noqa: ANN001
    from ttdn.documents import selectors

    monkeypatch.setattr(
        selectors, "search_documents", lambda **_: selectors.Results(Document.objects.none(), 1000, more=True)
    )
    html = login("bng.xem").get("/docs/", {"q": "thong tin"}).content.decode()
    assert "Hơn 1.000 văn bản" in html
