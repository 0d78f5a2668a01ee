"""The genre's structures the corpus lacks, in texts written for the project (tests/documents/data):
a báo cáo, a tờ trình, a quyết định with its quy chế of articles, a công điện, a kế hoạch with an activity
table (as rows and one cell a line), and citations in all their forms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ttdn.documents.parsing.parser import parse
from ttdn.tasks.extraction.duties import extract

DATA = Path(__file__).parent / "data"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def duties(name: str) -> dict[str, tuple]:
    doc = parse(read(name))
    return {d.section: (d.assignee, d.due, d.recurrence) for d in extract(doc.text)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bao_cao.txt",
            (
                "245/BC-UBND",
                "Báo cáo",
                "Ủy ban nhân dân tỉnh Quảng Trị",
                None,
                "2026-12-05",
                "Hoàng Nam",
                "KT. Chủ tịch",
            ),
        ),
        (
            "to_trinh.txt",
            (
                "312/TTr-SVHTTDL",
                "Tờ trình",
                "Sở Văn hóa, Thể thao và Du lịch",
                "UBND tỉnh Quảng Trị",
                "2026-12-02",
                "Trần Văn Minh",
                None,
            ),
        ),
        (
            "quy_che.txt",
            (
                "41/2026/QĐ-UBND",
                "Quyết định",
                "Ủy ban nhân dân tỉnh Đồng Nai",
                None,
                "2026-11-10",
                "Võ Tấn Đức",
                "TM. Ủy ban nhân dân",
            ),
        ),
        (
            "cong_dien.txt",
            (
                "118/CĐ-TTg",
                "Công điện",
                "Thủ tướng Chính phủ",
                None,
                "2026-11-20",
                "Nguyễn Văn An",
                "KT. Thủ tướng",
            ),
        ),
        (
            "ke_hoach_bang.txt",
            (
                "520/KH-UBND",
                "Kế hoạch",
                "Ủy ban nhân dân tỉnh Hà Tĩnh",
                None,
                "2027-01-14",
                "Đặng Quốc Vinh",
                "KT. Chủ tịch",
            ),
        ),
        # a decision signed by the chairman himself, its deciding authority under the title ("CHỦ TỊCH ỦY BAN ...")
        (
            "quyet_dinh_thanh_lap.txt",
            (
                "1520/QĐ-UBND",
                "Quyết định",
                "Ủy ban nhân dân tỉnh Cao Bằng",
                None,
                "2026-10-14",
                "Lê Hải Hòa",
                None,
            ),
        ),
        # text from a PDF laid out in two columns; a page converted to Markdown (a table, "_italics_", one emphasis
        # over the signing block)
        (
            "ke_hoach_pdf.txt",
            (
                "58/KH-UBND",
                "Kế hoạch",
                "Ủy ban nhân dân tỉnh Lạng Sơn",
                None,
                "2026-02-05",
                "Đoàn Thu Hà",
                "KT. Chủ tịch",
            ),
        ),
        (
            "cong_van_markdown.txt",
            (
                "4512/BVHTTDL-VP",
                "Công văn",
                "Bộ Văn hóa, Thể thao và Du lịch",
                None,
                "2026-11-03",
                "Nguyễn Văn An",
                "KT. Bộ trưởng",
            ),
        ),
    ],
)
def test_headers_of_each_type(name: str, expected: tuple) -> None:
    doc = parse(read(name))
    assert (
        doc.number,
        doc.doc_type,
        doc.issuer,
        doc.issuer_parent,
        doc.issued_on,
        doc.signer.name,
        doc.signer.authority,
    ) == expected


def test_a_decision_reads_past_its_deciding_authority() -> None:
    doc = parse(read("quyet_dinh_thanh_lap.txt"))
    assert (doc.signer.position, doc.place) == ("Chủ tịch", "Cao Bằng")
    assert sorted(r.number for r in doc.references) == ["72/2015/NĐ-CP", "88/TTr-SNgV"]
    assert duties("quyet_dinh_thanh_lap.txt") == {
        "Điều 2": ("Tổ công tác", None, "semiannual")
    }  # "chịu trách nhiệm thi hành": no duty


def test_two_columns_and_markdown_keep_their_paragraphs() -> None:
    plan = parse(read("ke_hoach_pdf.txt"))
    assert plan.place == "Lạng Sơn" and plan.cc == ["Bộ Ngoại giao", "Lưu: VT"]
    assert any(
        p.startswith("Căn cứ Nghị định") and p.endswith("như sau:") for p in plan.text.split("\n")
    )  # one paragraph again
    assert duties("ke_hoach_pdf.txt") == {
        "II.1": ("Sở Văn hóa, Thể thao và Du lịch", dt.date(2026, 9, 30), None),
        "II.2": ("Sở Ngoại vụ", dt.date(2026, 9, 30), None),
        "IV.1": ("Sở Ngoại vụ", dt.date(2026, 12, 15), None),
        "IV.2": ("Các sở, ban, ngành", None, None),
    }  # "nguồn chi thường xuyên" is funding, not a recurrence
    letter = parse(read("cong_van_markdown.txt"))
    assert (letter.place, letter.signer.position, letter.subject) == (
        "Hà Nội",
        "Thứ trưởng",
        "triển khai công tác thông tin đối ngoại năm 2027",
    )
    assert [r.number for r in letter.references] == ["1234/QĐ-TTg"]


def test_a_report_gives_duties_only_from_its_tasks_and_requests() -> None:
    found = duties("bao_cao.txt")
    assert found == {
        "III.1": ("Sở Văn hóa, Thể thao và Du lịch", dt.date(2027, 1, 31), None),
        "III.2": ("Sở Ngoại vụ", None, None),
        "III.3": ("Các sở, ngành, địa phương", None, "semiannual"),
        "IV": (
            "Bộ Văn hóa, Thể thao và Du lịch",
            dt.date(2027, 6, 30),
            None,
        ),  # "Đề nghị Bộ ... trong quý II năm 2027"
    }  # results, shortcomings and the facts of section I are no duties


def test_a_submission_asks_its_superior_to_decide() -> None:
    doc = parse(read("to_trinh.txt"))
    assert doc.recipients == ["Ủy ban nhân dân tỉnh Quảng Trị"]
    assert doc.subject == "Về việc ban hành Quy chế quản lý hoạt động thông tin đối ngoại trên địa bàn tỉnh"
    assert [(d.assignee, d.text[:40]) for d in extract(doc.text)] == [
        ("Ủy ban nhân dân tỉnh", "Sở Văn hóa, Thể thao và Du lịch kính trì")
    ]
    assert {r.number: r.cue for r in doc.references}["72/2015/NĐ-CP"] == "based_on"


def test_a_decision_and_its_regulation_of_articles() -> None:
    doc = parse(read("quy_che.txt"))
    assert "QUY CHẾ" in doc.text  # the appendix after the signing block belongs to the document
    assert {r.number: r.cue for r in doc.references}["15/2017/QĐ-UBND"] == "replaces"
    found = duties("quy_che.txt")
    assert list(found) == [
        "Điều 3",
        "Quy chế Điều 3.1",
        "Quy chế Điều 3.2",
        "Quy chế Điều 3.3",
        "Quy chế Điều 4",
        "Quy chế Điều 5.1",
        "Quy chế Điều 5.2",
        "Quy chế Điều 6",
        "Quy chế Điều 7",
    ]  # scope and principles hold none
    assert found["Quy chế Điều 3.1"] == ("Sở Văn hóa, Thể thao và Du lịch", None, "yearly")
    assert found["Quy chế Điều 4"][0] == "Sở Ngoại vụ"
    assert found["Quy chế Điều 6"] == ("Ủy ban nhân dân các xã, phường", None, "yearly")


def test_a_dispatch_from_the_prime_minister() -> None:
    doc = parse(read("cong_dien.txt"))
    assert doc.subject == "Về việc chủ động thông tin, định hướng dư luận trong đợt mưa lũ"
    found = duties("cong_dien.txt")
    assert found == {
        "1": (
            "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố nêu trên",
            None,
            "periodic",
        ),  # "báo cáo tình hình hằng ngày"
        "2": ("Bộ Văn hóa, Thể thao và Du lịch", None, None),
        "3": ("Văn phòng Chính phủ", dt.date(2026, 11, 30), None),  # "Giao Văn phòng Chính phủ ..."
    }  # the addressees after "điện:" are not duties


@pytest.mark.parametrize("name", ["ke_hoach_bang.txt", "ke_hoach_o.txt"])
def test_a_plan_activity_table_as_rows_or_one_cell_a_line(name: str) -> None:
    doc = parse(read(name))
    rows = [d for d in extract(doc.text) if d.section.startswith("II.")]
    assert [(d.text, d.assignee, d.coordinators, d.due, d.recurrence) for d in rows] == [
        (
            "Tổ chức hội nghị xúc tiến đầu tư với các nhà đầu tư Hàn Quốc",
            "Sở Tài chính",
            ["Sở Ngoại vụ", "Sở Công Thương"],
            dt.date(2027, 6, 30),
            None,
        ),
        (
            "Xuất bản ấn phẩm giới thiệu tỉnh bằng tiếng Anh",
            "Sở Văn hóa, Thể thao và Du lịch",
            ["Sở Ngoại vụ"],
            dt.date(2027, 9, 30),
            None,
        ),
        (
            "Cập nhật thông tin đối ngoại trên Cổng thông tin điện tử của tỉnh",
            "Văn phòng Ủy ban nhân dân tỉnh",
            ["Các sở, ngành"],
            None,
            "monthly",
        ),
    ]
    assert not any(d.section.startswith("I.") for d in extract(doc.text))  # purposes and requirements


CITATIONS = """CHỈ THỊ
Về việc thông tin đối ngoại
Thực hiện Chỉ thị số 21/CT- TTg ngày 06/8/2012 của Thủ tướng Chính phủ, Kết luận số 16-KT/TW ngày
14/02/2012 của Bộ Chính trị và Quyết định số 79/QĐ-TTg ngày 30/11/2010; Chỉ thị số 28/CT-TTg của Thủ tướng Chính phủ ngày 26/10/2021;
- Ngày 16/6/2025, Quốc hội đã thông qua Luật Tổ chức chính quyền địa phương số 72/2025/QH15.
Ngày 28 tháng 10 năm 2025, Chủ tịch Ủy ban nhân dân tỉnh đã ban hành Công văn số 3280/UBND-VX về việc cập nhật dữ liệu.
Nghị quyết số 47/NQ-CP ngày 15 tháng 4 năm 2024 của Chính phủ.
"""


def test_citations_in_all_their_forms() -> None:
    refs = {r.number: (r.doc_type, r.issued_on) for r in parse(CITATIONS).references}
    assert refs == {
        "21/CT-TTg": ("Chỉ thị", "2012-08-06"),  # a typed space after the hyphen
        "16-KT/TW": ("Kết luận", "2012-02-14"),  # misspelt, "ngày" and the date on the next line
        "79/QĐ-TTg": ("Quyết định", "2010-11-30"),  # the year left out
        "28/CT-TTg": ("Chỉ thị", "2021-10-26"),  # the issuer between number and date
        "72/2025/QH15": ("Luật", "2025-06-16"),  # the date before, the law's name between type and number
        "3280/UBND-VX": ("Công văn", "2025-10-28"),
        "47/NQ-CP": ("Nghị quyết", "2024-04-15"),
    }


def test_header_parts_wrapped_and_split_over_lines() -> None:
    text = "\n".join(
        [
            "BỘ VĂN HÓA, THỂ THAO",
            "VÀ DU LỊCH",
            "CỤC THÔNG TIN CƠ SỞ VÀ",
            "THÔNG TIN ĐỐI NGOẠI",
            "-------",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
            "VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "",
            "Số:",
            "125/KH-CTTCS",
            "Hà Nội, ngày",
            "25 tháng 11 năm 2025",
            "",
            "CHỈ THỊ",
            "",
            "VỀ",
            "VIỆC TĂNG CƯỜNG THÔNG TIN",
            "ĐỐI NGOẠI NĂM 2026",
            "",
            "Nội dung.",
            "",
            "**KT. CỤC TRƯỞNG **",
            "**PHÓ CỤC TRƯỞNG**",
            "",
            "**Lê Văn Hải**",
        ]
    )
    doc = parse(text)
    assert (doc.issuer, doc.issuer_parent) == (
        "Cục Thông tin cơ sở và Thông tin đối ngoại",
        "Bộ Văn hóa, Thể thao và Du lịch",
    )
    assert (doc.number, doc.place, doc.issued_on, doc.doc_type) == (
        "125/KH-CTTCS",
        "Hà Nội",
        "2025-11-25",
        "Chỉ thị",
    )
    assert doc.subject == "Về việc tăng cường thông tin đối ngoại năm 2026"
    assert (doc.signer.name, doc.signer.position, doc.signer.authority) == (
        "Lê Văn Hải",
        "Phó cục trưởng",
        "KT. Cục trưởng",
    )


def test_no_body_line_is_taken_for_the_issuer() -> None:
    doc = parse(
        "KẾ HOẠCH\nTriển khai thông tin đối ngoại năm 2026\n- Tổ chức hội nghị báo chí quốc tế.\n- Xuất bản ấn phẩm."
    )
    assert doc.doc_type == "Kế hoạch" and doc.issuer is None and doc.number is None


@pytest.mark.django_db
def test_search_in_the_text_broad_and_narrow(monkeypatch) -> None:  # noqa: ANN001
    """The words of a body are found; a broad search reads its page newest first (as at 100,000 documents)."""
    from ttdn.documents import selectors
    from ttdn.documents.services import import_text

    older = import_text(read("bao_cao.txt")).document  # 05/12/2026
    newer = import_text(read("ke_hoach_bang.txt")).document  # 14/01/2027
    for broad in (False, True):
        monkeypatch.setattr(selectors, "BROAD_HITS", 0 if broad else 1000)
        found = selectors.search_documents(query="xuc tien dau tu han quoc", body=True)
        assert [d.pk for d in found[0:50]] == [newer.pk], (
            broad
        )  # "xúc tiến đầu tư ... Hàn Quốc" is in the plan's table only
        both = [d.pk for d in selectors.search_documents(query="thong tin doi ngoai", body=True)[0:50]]
        assert both.index(newer.pk) < both.index(older.pk), broad  # newest first
        rows, count, more = selectors.found_in_text("xuc tien dau tu han quoc")
        assert [d.pk for d in rows] == [newer.pk] and count == 1 and not more, broad
    assert [d.pk for d in selectors.search_documents(query="han quoc")[0:50]] == []  # not in any metadata


@pytest.mark.django_db
def test_search_pages_keep_the_registry_order_narrow_or_broad(monkeypatch) -> None:  # noqa: ANN001
    """However a search is fetched (its matches named by one scan of the engine, or the registry walked newest
    first), its pages are in the order the database gives the same documents: newest first, same-day documents
    by id, documents without a date where the database puts them; with or without the stubs."""
    from ttdn.documents import search, selectors
    from ttdn.documents.models import Document
    from ttdn.documents.services import _set_keys, _terms

    days = [
        dt.date(2024, 3, 1),
        None,
        dt.date(2025, 7, 9),
        dt.date(2024, 3, 1),
        None,
        dt.date(2023, 1, 2),
    ] * 3
    made = []
    for i, day in enumerate(days):
        text = "" if i % 4 == 1 else "x"  # some are stubs, known only from citations
        document = Document(
            number=f"{i + 1}/KH-UBND",
            doc_type="Kế hoạch",
            issued_on=day,
            subject=f"Quảng bá Zuvaco đợt {i}",
            text=text,
        )
        _set_keys(document)
        document.search_text = " ".join(sorted(_terms(document)))
        document.save()
        search.update(document.pk, document.search_text, "bien gioi" if text else "", day)
        made.append(document.pk)
    for stubs in (True, False):
        expected = list(
            selectors.list_documents(include_stubs=stubs).filter(pk__in=made).values_list("pk", flat=True)
        )
        assert len(expected) == (len(made) if stubs else len(made) - 5)
        for broad, window in (
            (False, 400),
            (True, 400),
            (True, 3),
        ):  # a first page among the newest, or past them
            monkeypatch.setattr(selectors, "BROAD_HITS", 0 if broad else 1000)
            monkeypatch.setattr(search, "RECENT_WINDOW", window)
            for body in (False, True):
                results = selectors.search_documents(query="zuvaco dot", body=body, include_stubs=stubs)
                assert results.count() == len(expected), (stubs, broad, body)
                pages = [d.pk for d in results[0:7]] + [d.pk for d in results[7:50]]
                assert pages == expected, (stubs, broad, body, window)


@pytest.mark.django_db
def test_the_filters_offer_each_type_and_issuer_once() -> None:
    from ttdn.documents import selectors
    from ttdn.documents.models import Document

    for i, day in enumerate([dt.date(2025, 1, 2), dt.date(2025, 3, 4), dt.date(2026, 5, 6)]):
        Document.objects.create(
            number=f"{i + 1}/KH-UBND",
            doc_type="Kế hoạch",
            issuer_name="Ủy ban nhân dân tỉnh Gia Lai",
            issued_on=day,
            text="x",
        )
    facets = selectors.facets()
    assert facets["types"].count("Kế hoạch") == 1
    assert facets["issuers"].count("Ủy ban nhân dân tỉnh Gia Lai") == 1
    assert facets["years"][:2] == [2026, 2025]


# Migrating cannot run inside the per-test transaction (SQLite refuses schema changes there) and a
# transactional test would empty the session's database afterwards, taking the demo accounts the
# browser tests log in with. So, as the browser tests do, this one works on the committed database
# and removes what it added.
def test_the_search_engines_migrate_back_and_forth(django_db_setup, django_db_blocker) -> None:  # noqa: ANN001
    """The body engine's reshaping (0006) and the stub word (0007) undo and redo on a filled registry."""
    from django.core.management import call_command

    from ttdn.documents import selectors
    from ttdn.documents.models import Document
    from ttdn.documents.services import _stub, import_text

    with django_db_blocker.unblock():
        before = Document.objects.count()
        plan = import_text(read("ke_hoach_bang.txt")).document
        stub = _stub("7788/QĐ-UBND", "Quyết định", dt.date(2025, 2, 1), None)
        try:
            call_command("migrate", "documents", "0005", verbosity=0)
            call_command("migrate", "documents", verbosity=0)
            assert [
                d.pk for d in selectors.search_documents(query="xuc tien dau tu han quoc", body=True)[0:50]
            ] == [plan.pk]
            word = stub.number.split("/")[0]
            assert stub.pk in [d.pk for d in selectors.search_documents(query=word, include_stubs=True)[0:50]]
            assert stub.pk not in [
                d.pk for d in selectors.search_documents(query=word, include_stubs=False)[0:50]
            ]
        finally:
            call_command("migrate", "documents", verbosity=0)
            Document.objects.filter(pk__in=[plan.pk, stub.pk]).delete()
        assert Document.objects.count() == before
