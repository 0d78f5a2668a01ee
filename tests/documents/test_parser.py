"""The document parser on the seeds (pinned), on variants of them, and on arbitrary text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttdn.core.text import strip_diacritics
from ttdn.documents.parsing.parser import parse
from ttdn.documents.parsing.symbols import parse_symbol

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def seed(name: str) -> str:
    path = next(SEEDS.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not beside the repository")
    return path.read_text(encoding="utf-8")


def refs(doc) -> dict[str, str | None]:  # noqa: ANN001
    return {r.number: r.issued_on for r in doc.references}


def test_seed_000() -> None:
    doc = parse(seed("000"))
    assert (doc.number, doc.doc_type, doc.issuer, doc.place, doc.issued_on) == (
        "212/BTTTT-TTĐN",
        "Công văn",
        "Bộ Thông tin và Truyền thông",
        "Hà Nội",
        "2013-01-18",
    )
    assert doc.subject == "triển khai công tác thông tin đối ngoại năm 2013"
    assert doc.recipients == ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]
    assert (doc.signer.name, doc.signer.position, doc.signer.authority) == (
        "Đỗ Quý Doãn",
        "Thứ trưởng",
        "KT. Bộ trưởng",
    )
    assert refs(doc) == {
        "1171/BTTTT-TTĐN": "2011-04-22",
        "79/2010/QĐ-TTg": "2010-11-30",
        "34/2011/TTLT-BTTTT-BNG": "2011-11-24",
        "21/CT-TTg": "2012-08-06",
    }
    assert doc.cc == [
        "Như trên",
        "Ban Tuyên giáo TW",
        "Bộ trưởng Nguyễn Bắc Son",
        "Sở TT&TT các tỉnh, thành phố",
        "Lưu: VT, TTĐN",
    ]
    assert "BẢNG THEO DÕI CÔNG TÁC THÔNG TIN ĐỐI NGOẠI" in doc.text  # the appendix is kept
    assert "Thuộc tính" not in doc.text and "Đã xem" not in doc.text


def test_seed_001_without_header() -> None:
    doc = parse(seed("001"))
    assert (doc.number, doc.doc_type, doc.issuer, doc.place, doc.issued_on) == (
        "21/CT-TTg",
        "Chỉ thị",
        "Thủ tướng Chính phủ",
        None,
        "2012-08-06",
    )
    assert (
        doc.subject
        == "Về việc triển khai thực hiện Chiến lược phát triển thông tin đối ngoại giai đoạn 2011 - 2020"
    )
    assert (doc.signer.name, doc.signer.authority) == (None, None)
    # The related-news list at the end is portal clutter: its documents are not citations.
    assert refs(doc) == {"16-KL/TW": "2012-02-14", "79/2010/QĐ-TTg": "2010-11-30"}
    assert "Tin Liên Quan" not in doc.text and "12/2022/TT-BGTVT" not in doc.text
    assert "7. Tổ chức thực hiện" in doc.text


def test_seed_002_with_distribution_list() -> None:
    doc = parse(seed("002"))
    assert (doc.number, doc.doc_type, doc.issuer, doc.place, doc.issued_on) == (
        "1578/BTTTT-TTĐN",
        "Công văn",
        "Bộ Thông tin và Truyền thông",
        "Hà Nội",
        "2024-04-25",
    )
    assert doc.subject.startswith(
        "hướng dẫn, đôn đốc triển khai thực hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024"
    )
    assert doc.subject.endswith("thực hiện Kết luận số 57-KL/TW")
    assert doc.recipients == [
        "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    ]
    assert (doc.signer.name, doc.signer.position, doc.signer.authority) == (
        "Nguyễn Thanh Lâm",
        "Thứ trưởng",
        "KT. Bộ trưởng",
    )
    assert refs(doc) == {"47/NQ-CP": "2024-04-15", "57-KL/TW": "2023-06-15"}
    assert [len(g["items"]) for g in doc.distribution] == [20, 8, 63, 63]
    assert doc.distribution[0]["items"][0] == "Bộ Quốc phòng"
    assert "Bạn Chưa Đăng Nhập" not in doc.text and "DMCA" not in doc.text


def test_seed_003() -> None:
    doc = parse(seed("003"))
    assert (doc.number, doc.doc_type, doc.issuer, doc.place, doc.issued_on) == (
        "5406/BTTTT-TTĐN",
        "Công văn",
        "Bộ Thông tin và Truyền thông",
        "Hà Nội",
        "2021-12-31",
    )
    assert doc.subject == "hướng dẫn xây dựng Kế hoạch công tác thông tin đối ngoại năm 2022"
    assert (doc.signer.name, doc.signer.authority) == ("Phạm Anh Tuấn", "KT. Bộ trưởng")
    assert refs(doc) == {
        "72/2015/NĐ-CP": "2015-09-07",
        "22/2016/TT-BTTTT": "2016-10-19",
        "79/2010/QĐ-TTg": "2010-11-30",
        "28/CT-TTg": "2021-10-26",
        "1191/QĐ-TTg": "2020-08-05",
    }
    expired = [r.number for r in doc.references if r.says_expired]
    assert expired == ["79/2010/QĐ-TTg"]
    assert all(
        r.cue is None for r in doc.references
    )  # a letter reporting others' bases has no basis of its own
    assert not doc.text.startswith("Bộ lọc tìm kiếm")


def test_provincial_decision_with_two_level_header() -> None:
    text = "\n".join(
        [
            "UBND TỈNH QUẢNG TRỊ",
            "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
            "-------",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 15/QĐ-SVHTTDL",
            "Đông Hà, ngày 3 tháng 2 năm 2026",
            "QUYẾT ĐỊNH",
            "BAN HÀNH QUY CHẾ QUẢN LÝ HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI",
            "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;",
            "Điều 3. Quyết định này thay thế Quyết định số 12/2012/QĐ-UBND ngày 5/6/2012.",
            "GIÁM ĐỐC",
            "",
            "Nguyễn Văn Bình",
        ]
    )
    doc = parse(text)
    assert (doc.issuer, doc.issuer_parent) == ("Sở Văn hóa, Thể thao và Du lịch", "UBND tỉnh Quảng Trị")
    assert (doc.doc_type, doc.subject, doc.place) == (
        "Quyết định",
        "Ban hành quy chế quản lý hoạt động thông tin đối ngoại",
        "Đông Hà",
    )
    assert {r.number: r.cue for r in doc.references} == {
        "72/2015/NĐ-CP": "based_on",
        "12/2012/QĐ-UBND": "replaces",
    }
    assert (doc.signer.name, doc.signer.position) == ("Nguyễn Văn Bình", "Giám đốc")


@pytest.mark.parametrize(
    ("number", "type_code", "year", "issuer"),
    [
        ("72/2015/NĐ-CP", "NĐ", 2015, "Chính phủ"),
        ("21/CT-TTg", "CT", None, "Thủ tướng Chính phủ"),
        ("212/BTTTT-TTĐN", None, None, "Bộ Thông tin và Truyền thông"),
        ("57- KL/TW", "KL", None, "Ban Chấp hành Trung ương Đảng"),
        ("34/2011/TTLT-BTTTT-BNG", "TTLT", 2011, "Bộ Thông tin và Truyền thông"),
    ],
)
def test_symbols(number: str, type_code: str | None, year: int | None, issuer: str) -> None:
    symbol = parse_symbol(number)
    assert symbol is not None
    assert (symbol.type_code, symbol.year, symbol.issuer_name) == (type_code, year, issuer)


def test_base_key_drops_the_year() -> None:
    assert parse_symbol("79/2010/QĐ-TTg").base_key == parse_symbol("79/QĐ-TTg").base_key  # type: ignore[union-attr]


def test_unrecognisable_text_gives_nulls() -> None:
    doc = parse("Hôm nay trời đẹp. Chúng tôi đi dạo quanh hồ.")
    assert not doc.recognised
    assert (doc.number, doc.doc_type, doc.issuer, doc.issued_on, doc.subject) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert doc.references == []


@given(st.text(max_size=3000))
@settings(max_examples=300, deadline=None)
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    doc = parse(text)
    assert isinstance(doc.to_dict(), dict)


@st.composite
def seed_variant(draw: st.DrawFn) -> str:
    names = ["000", "001", "002", "003"]
    path = next(SEEDS.glob(f"{draw(st.sampled_from(names))}_*.txt"), None)
    if path is None:
        return "không có văn bản"
    lines = path.read_text(encoding="utf-8").splitlines()[:400]
    rng = random.Random(draw(st.integers(0, 2**32)))
    operation = draw(st.sampled_from(["shuffle", "clutter", "strip", "truncate"]))
    if operation == "shuffle":
        rng.shuffle(lines)
    elif operation == "clutter":
        clutter = [
            "Bạn Chưa Đăng Nhập Thành Viên!",
            "Quảng cáo: mua ngay",
            "IP: 1.2.3.4",
            "Tin Liên Quan",
            "• Thuộc tính",
            "Số hiệu: 1/QĐ-X",
            "Loading…",
        ]
        for _ in range(draw(st.integers(1, 20))):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(clutter))
    elif operation == "strip":
        lines = [strip_diacritics(line) for line in lines]
    else:
        lines = lines[: rng.randrange(len(lines) + 1)]
    return "\n".join(lines)


@given(seed_variant())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_never_crashes_on_damaged_seeds(text: str) -> None:
    doc = parse(text)
    for ref in doc.references:
        assert ref.number and ref.as_written
        assert parse_symbol(ref.number) is not None


def test_diacritics_stripped_seed_still_yields_number_and_date() -> None:
    doc = parse(strip_diacritics(seed("003")))
    assert doc.number == "5406/BTTTT-TTDN"
    assert "72/2015/ND-CP" in refs(doc)
