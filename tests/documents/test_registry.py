"""The document registry: import, idempotence, stubs filled in, citations resolved, validity, corrections."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from tests.conftest import needs_seeds
from ttdn.documents import selectors, services
from ttdn.documents.models import Citation, Document, PendingImport, Relation
from ttdn.documents.validity import Status

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

pytestmark = needs_seeds


def seed_bytes(prefix: str) -> tuple[str, bytes]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not beside the repository")
    return path.name, path.read_bytes()


def doc(number: str) -> Document:
    return Document.objects.get(number=number)


@pytest.mark.django_db
def test_seeds_are_in_the_registry_with_text() -> None:
    for number in ("212/BTTTT-TTĐN", "21/CT-TTg", "1578/BTTTT-TTĐN", "5406/BTTTT-TTĐN"):
        assert not doc(number).is_stub
    assert doc("212/BTTTT-TTĐN").issuer.code == "BTTTT"


@pytest.mark.django_db
def test_reimport_is_idempotent() -> None:
    name, data = seed_bytes("003")
    before = (
        Document.objects.count(),
        Citation.objects.count(),
        Relation.objects.count(),
        Document.objects.exclude(search_text="").count(),
    )
    result = services.import_file(name, data)
    assert not result.created and result.document == doc("5406/BTTTT-TTĐN")
    # The same text with other spacing and line ends is the same document.
    result = services.import_text(data.decode("utf-8").replace("\n", "\r\n  "))
    assert not result.created
    assert (
        Document.objects.count(),
        Citation.objects.count(),
        Relation.objects.count(),
        Document.objects.exclude(search_text="").count(),
    ) == before


@pytest.mark.django_db
def test_citation_without_year_resolves_to_the_full_number() -> None:
    cited = {c.cited.number for c in doc("212/BTTTT-TTĐN").citations.select_related("cited")}
    assert "79/2010/QĐ-TTg" in cited and "79/QĐ-TTg" not in {d.number for d in Document.objects.all()}
    assert services.resolve_reference("79/QĐ-TTg", dt.date(2010, 11, 30)) == doc("79/2010/QĐ-TTg")


@pytest.mark.django_db
def test_one_letter_slip_in_type_code_resolves_when_date_agrees() -> None:
    target = doc("21/CT-TTg")
    assert services.resolve_reference("21/CTr-TTg", dt.date(2012, 8, 6)) == target
    assert services.resolve_reference("21/CTr-TTg", dt.date(2012, 8, 7)) is None


@pytest.mark.django_db
def test_stub_is_filled_in_by_a_later_import() -> None:
    stub = doc("28/CT-TTg")
    assert stub.is_stub and stub.issued_on == dt.date(2021, 10, 26)
    text = "\n".join(
        [
            "THỦ TƯỚNG CHÍNH PHỦ",
            "-------",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 28/CT-TTg",
            "Hà Nội, ngày 26 tháng 10 năm 2021",
            "CHỈ THỊ",
            "VỀ TĂNG CƯỜNG THỰC HIỆN CUỘC VẬN ĐỘNG NGƯỜI VIỆT NAM ƯU TIÊN DÙNG HÀNG VIỆT NAM TRONG TÌNH HÌNH MỚI",
            "Nội dung.",
            "THỦ TƯỚNG",
            "",
            "Phạm Minh Chính",
        ]
    )
    result = services.import_text(text)
    assert result.created and result.document.pk == stub.pk
    filled = doc("28/CT-TTg")
    assert not filled.is_stub and filled.signer_name == "Phạm Minh Chính"
    assert Citation.objects.filter(cited=filled, citing=doc("5406/BTTTT-TTĐN")).exists()


@pytest.mark.django_db
def test_validity_of_79_2010_follows_decree_72() -> None:
    state = selectors.validity_of(doc("79/2010/QĐ-TTg"))
    assert state.ceased_on == dt.date(2015, 10, 22)
    assert state.status(dt.date(2015, 10, 21)) == Status.IN_FORCE
    assert state.status(dt.date(2015, 10, 22)) == Status.CEASED
    assert "72/2015/NĐ-CP" in state.ceased_by


@pytest.mark.django_db
def test_expired_basis_check() -> None:
    rows = selectors.regulations_on_expired_basis()
    provinces = {d.issuer.short_name for d, _ in rows}
    assert provinces == {"Hải Dương", "Nghệ An", "Đồng Tháp"}
    assert all(p.basis.number == "79/2010/QĐ-TTg" for _, problems in rows for p in problems)
    # A document issued after its basis ceased is flagged "at issue".
    regulation = Document.objects.create(
        doc_type="Quy chế", subject="Quy chế thử", issued_on=dt.date(2016, 1, 1), issuer=rows[0][0].issuer
    )
    Relation.objects.create(source=regulation, target=doc("79/2010/QĐ-TTg"), kind="based_on")
    problems = selectors.expired_bases(regulation)
    assert [(p.at_issue, p.today) for p in problems] == [(True, True)]


@pytest.mark.django_db
def test_relations_inferred_from_wording() -> None:
    relations = {
        (r.source.number, r.kind, r.target.number)
        for r in Relation.objects.select_related("source", "target")
    }
    assert ("1578/BTTTT-TTĐN", "guides", "47/NQ-CP") in relations
    assert ("72/2015/NĐ-CP", "replaces", "79/2010/QĐ-TTg") in relations
    assert doc("79/2010/QĐ-TTg").citations.count() == 0


@pytest.mark.django_db
def test_correction_is_audited_and_survives_reparse(user) -> None:  # noqa: ANN001
    officer = user("cuc.canbo")
    target = doc("1578/BTTTT-TTĐN")
    services.correct(
        target, officer, {"subject": "Hướng dẫn thực hiện Nghị quyết 47/NQ-CP", "place": "Thủ đô Hà Nội"}
    )
    services.reparse(doc("1578/BTTTT-TTĐN"))
    again = doc("1578/BTTTT-TTĐN")
    assert again.subject == "Hướng dẫn thực hiện Nghị quyết 47/NQ-CP" and again.place == "Thủ đô Hà Nội"
    assert again.signer_name == "Nguyễn Thanh Lâm"  # uncorrected fields still come from the text
    entry = LogEntry.objects.get_for_object(again).filter(actor=officer).latest("timestamp")
    assert entry.changes_dict["place"] == ["Hà Nội", "Thủ đô Hà Nội"]
    assert selectors.list_documents(query="thu do ha noi").filter(pk=again.pk).exists()


@pytest.mark.django_db
def test_correction_refused_out_of_scope(user) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.correct(doc("1578/BTTTT-TTĐN"), user("quangtri.canbo"), {"subject": "x"})
    with pytest.raises(PermissionDenied):
        services.correct(doc("1578/BTTTT-TTĐN"), user("bng.xem"), {"subject": "x"})
    assert doc("1578/BTTTT-TTĐN").subject.startswith("hướng dẫn")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rong.txt", b"", "rỗng"),
        ("anh.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "nhị phân"),
        ("lon.txt", b"a" * (10 * 1024 * 1024 + 1), "quá lớn"),
        ("vb.exe", b"MZ....", "Chỉ nhận"),
        ("gia.docx", b"khong phai zip", "không hợp lệ"),
        ("hong.pdf", b"%PDF-1.4 hong", "hỏng"),
        ("thu.txt", "Chúng tôi đi dạo quanh hồ.".encode(), "Không nhận ra"),
    ],
)
def test_bad_upload_leaves_no_trace(name: str, data: bytes, message: str) -> None:
    before = (
        Document.objects.count(),
        Citation.objects.count(),
        Document.objects.exclude(search_text="").count(),
        PendingImport.objects.count(),
    )
    with pytest.raises(services.ImportRefused, match=message):
        services.import_file(name, data)
    assert (
        Document.objects.count(),
        Citation.objects.count(),
        Document.objects.exclude(search_text="").count(),
        PendingImport.objects.count(),
    ) == before


@pytest.mark.django_db
def test_docx_import(tmp_path) -> None:  # noqa: ANN001
    import docx

    document = docx.Document()
    for line in [
        "BỘ NGOẠI GIAO",
        "-------",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 77/BNG-TTBC",
        "V/v phối hợp thông tin đối ngoại năm 2026",
        "Hà Nội, ngày 5 tháng 1 năm 2026",
        "Kính gửi: Bộ Văn hóa, Thể thao và Du lịch",
        "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015;",
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Lê Thị Thu Hằng",
    ]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    result = services.import_file("cv77.docx", buffer.getvalue())
    saved = result.document
    assert (saved.number, saved.issuer.code, saved.signer_name) == ("77/BNG-TTBC", "BNG", "Lê Thị Thu Hằng")
    assert saved.source_file and saved.source_name == "cv77.docx"
    assert Relation.objects.filter(source=saved, kind="based_on", target=doc("72/2015/NĐ-CP")).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("chi thi 21", "21/CT-TTg"),
        ("thong tin doi ngoai 2022", "5406/BTTTT-TTĐN"),
        ("CÔNG VĂN 1578", "1578/BTTTT-TTĐN"),
    ],
)
def test_search_ignores_diacritics(query: str, number: str) -> None:
    found = list(selectors.list_documents(query=query, include_stubs=False).values_list("number", flat=True))
    assert found == [number]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["thong tin", "cong van", "2013", "bo thong tin va truyen thong", "quy che", "chi thi 2"]
)
def test_broad_search_plan_gives_the_same_rows(query: str) -> None:
    narrow = list(Document.objects.search(query).order_by("-issued_on", "-id").values_list("pk", flat=True))
    broad = list(
        Document.objects.search(query, broad=True).order_by("-issued_on", "-id").values_list("pk", flat=True)
    )
    assert narrow == broad and narrow
    results = selectors.search_documents(query=query)
    assert results.count() == len(narrow)
    assert [d.pk for d in results[:50]] == narrow[:50]


@pytest.mark.django_db
def test_word_search_count_is_capped(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    results = selectors.search_documents(query="thong tin")
    assert results.more and results.count() == 2
    assert len(list(results[:50])) > 2  # the rows themselves are not capped


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400), header=st.booleans())
def test_import_any_text_is_taken_or_refused_cleanly(text: str, header: bool) -> None:
    if header:
        text = (
            "BỘ NGOẠI GIAO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 3/BNG-TTBC\nHà Nội, ngày 1 tháng 2 năm 2026\n"
            + text
        )
    before = Document.objects.count()
    try:
        result = services.import_text(text)
    except services.ImportRefused:
        assert Document.objects.count() == before
    else:
        assert result.document.pk and (result.document.number or result.document.issued_on)


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (ASCII, Helvetica), built by hand for the test."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.mark.django_db
def test_pdf_import() -> None:
    data = _minimal_pdf(
        [
            "BO NGOAI GIAO",
            "CONG HOA XA HOI CHU NGHIA VIET NAM",
            "So: 15/BNG-TTBC",
            "Ha Noi, ngay 9 thang 3 nam 2026",
            "V/v phoi hop thong tin doi ngoai",
            "Can cu Nghi dinh so 72/2015/ND-CP ngay 07/9/2015;",
        ]
    )
    result = services.import_file("cv15.pdf", data)
    assert result.created
    assert (result.document.number, result.document.issued_on) == ("15/BNG-TTBC", dt.date(2026, 3, 9))
    assert result.document.citations.get().cited == doc("72/2015/NĐ-CP")
