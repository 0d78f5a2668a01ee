"""Task extraction engine: seed 001 (Chỉ thị 21/CT-TTg) and a provincial directive in the genre."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import needs_seeds
from ttdn.documents.parsing.parser import parse
from ttdn.site.demo import seeds_dir
from ttdn.tasks.extraction.duties import addressees, extract

ALL = "các Bộ, ngành, địa phương"
MIC = "Bộ Thông tin và Truyền thông"
PROVINCES = "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
D = dt.date

# section: (assignee, coordinators, due, recurrence)
SEED_001 = {
    "1.a": (ALL, ["các cơ quan chức năng của Đảng"], D(2012, 12, 31), None),
    "1.b": (ALL, [], None, None),
    "1.c": (ALL, [MIC], None, None),
    "1.d": (ALL, [], None, "yearly"),
    "1.đ": (ALL, [], None, None),
    "2.a": (MIC, [], None, None),
    "2.b": (MIC, ["các Bộ, Ban, ngành, địa phương", "một số cơ quan báo chí"], D(2012, 12, 31), None),
    "2.c": (MIC, [ALL], None, "periodic"),
    "2.d": (MIC, ["Bộ Nội vụ", "Bộ Ngoại giao", ALL], D(2015, 12, 31), None),
    "2.đ": (MIC, ["Bộ Tài chính", "các Bộ, ngành liên quan"], D(2013, 12, 31), None),
    "3.a": ("Bộ Ngoại giao", [MIC, ALL], None, None),
    "3.b": ("Bộ Ngoại giao", [], None, "continuous"),
    "3.c": ("Bộ Ngoại giao", [], None, None),
    "4": ("Bộ Văn hoá, Thể thao và Du lịch", ["Bộ Ngoại giao", ALL], None, None),
    "5": ("Bộ Tài chính", [], None, None),
    "6.a": (PROVINCES, [], None, None),
    "6.b": (PROVINCES, [], None, None),
    "6.c": (PROVINCES, [], None, "periodic"),
    "6.d": (PROVINCES, [], None, None),
}


@pytest.fixture(scope="module")
def seed_001() -> list:
    text = parse((seeds_dir() / "001_f37f077bdbee1332.txt").read_text(encoding="utf-8")).text
    return text, extract(text)


@needs_seeds
def test_seed_001_every_duty_of_sections_1_to_6(seed_001) -> None:  # noqa: ANN001
    text, duties = seed_001
    found = {
        d.section: (d.assignee, d.coordinators, d.due, d.recurrence)
        for d in duties
        if d.section[0] in "123456"
    }
    assert found == SEED_001
    assert addressees(text) == ALL


@needs_seeds
def test_seed_001_texts_spans_and_section_7(seed_001) -> None:  # noqa: ANN001
    text, duties = seed_001
    by_section = {d.section: d for d in duties}
    assert by_section["2.b"].due_as_written == "trong quý IV năm 2012"
    assert by_section["1.a"].due_as_written == "hoàn thành trước ngày 31 tháng 12 năm 2012"
    assert by_section["2.d"].due_as_written == "đến năm 2015"
    for duty in duties:
        start, end = duty.span
        assert " ".join(text[start:end].split()).startswith(
            duty.text[:40]
        )  # the span is the clause in the text
    assert by_section["4"].text.startswith("Phối hợp với Bộ Ngoại giao")
    assert by_section["7.b"].assignee == MIC and by_section["7.b"].recurrence == "periodic"
    assert by_section["7.a"].assignee_general
    assert "Tin Liên Quan" not in " ".join(d.text for d in duties)  # the portal's related news are not duties


PROVINCIAL = Path(__file__).parent / "data" / "chi_thi_tinh.txt"


def test_provincial_directive_ten_departments() -> None:
    text = parse(PROVINCIAL.read_text(encoding="utf-8")).text
    duties = extract(text)
    heads = {d.section.split(".")[0]: d.assignee for d in duties}
    assert heads == {
        "1": "Sở Thông tin và Truyền thông",
        "2": "Sở Ngoại vụ",
        "3": "Sở Nội vụ",
        "4": "Sở Văn hóa, Thể thao và Du lịch",
        "5": "Sở Tài chính",
        "6": "Sở Công Thương",
        "7": "Sở Kế hoạch và Đầu tư",
        "8": "Công an tỉnh",
        "9": "Văn phòng Ủy ban nhân dân tỉnh",
        "10": "Ủy ban nhân dân các huyện, thị xã, thành phố",
    }  # the closing paragraph restates the lead sentence: no duty of its own
    s = {d.section: d for d in duties}
    assert (s["1.(2)"].recurrence, s["1.(2)"].recurrence_month, s["1.(2)"].recurrence_day) == ("yearly", 7, 1)
    assert (s["1.(3)"].recurrence, s["1.(3)"].recurrence_periods, s["1.(3)"].coordinators) == (
        "semiannual",
        ["half_year", "year"],
        ["Sở Ngoại vụ", "Sở Tài chính"],
    )
    assert s["1.(4)"].due == D(2024, 9, 30)  # "trong quý III năm 2024"
    assert s["3"].due == D(2024, 6, 30)  # "hoàn thành trong tháng 6/2024"
    assert (s["4.(1)"].recurrence, s["4.(1)"].recurrence_month) == ("yearly", 5)  # "hàng năm (tháng 5)"
    assert s["7.(1)"].due == D(2024, 9, 30)
    assert s["8.(1)"].recurrence == "continuous"
    assert (s["10.(1)"].recurrence_month, s["10.(1)"].recurrence_day) == (5, 31)
    assert s["10.(2)"].recurrence_periods == ["half_year", "year"]
    assert s["2.(1)"].coordinators == ["Công an tỉnh"]
    assert not any("Nơi nhận" in d.text or "Lưu" in d.text for d in duties)  # stops at the signing block


def test_general_duties_with_no_addressees_are_kept_with_a_doubt() -> None:
    """ "Nhiệm vụ chung" with no "yêu cầu các ..." to say whom: the duties stay, their assignee empty and doubted
    (nothing is invented), and a time word before the verb does not hide the task."""
    text = (
        "CHỈ THỊ\nVề công tác thông tin đối ngoại\n\nChủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\nI. NHIỆM VỤ CHUNG\n\n"
        "- Quán triệt quan điểm của Đảng về thông tin đối ngoại.\n\n"
        "- Hằng năm xây dựng kế hoạch thông tin đối ngoại, gửi Sở Văn hóa, Thể thao và Du lịch trước ngày 15/01.\n\n"
        "II. PHÂN CÔNG NHIỆM VỤ\n\n1. Sở Ngoại vụ\n\n- Cung cấp thông tin cho phóng viên nước ngoài.\n"
    )
    duties = {d.section: d for d in extract(parse(text).text)}
    assert set(duties) == {"I.(1)", "I.(2)", "II.1.(1)"}
    general = duties["I.(2)"]
    assert general.assignee is None and general.assignee_general and general.confidence < 0.5
    assert any("giao cho ai" in doubt for doubt in general.doubts)
    assert (general.recurrence, general.recurrence_month, general.recurrence_day) == ("yearly", 1, 15)
    assert duties["II.1.(1)"].assignee == "Sở Ngoại vụ" and duties["II.1.(1)"].confidence == 1.0


def test_nothing_to_extract_and_doubtful_items() -> None:
    assert extract("") == []
    assert extract("Thông báo lịch họp giao ban tuần.") == []
    duties = extract(
        "Ủy ban nhân dân tỉnh yêu cầu các Sở thực hiện:\n\n1. Sở Nội vụ\n- Báo cáo trước ngày 35/13/2024 về biên chế.\n- "
        + "rất dài " * 200
    )
    assert (
        duties[0].due is None
        and duties[0].confidence < 1
        and any("không đọc được ngày" in d for d in duties[0].doubts)
    )
    assert duties[1].confidence < 1


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LINES = st.sampled_from(
    [
        "1. Sở Nội vụ",
        "a) Chủ trì, phối hợp với Bộ Tài chính xây dựng đề án trong năm 2013.",
        "- Thường xuyên theo dõi.",
        "",
        "II. NHIỆM VỤ",
        "Nơi nhận:",
        "yêu cầu các Sở thực hiện:",
        "10. Ủy ban nhân dân các huyện",
        "b) ",
        "-",
        "đ) x",
    ]
)


@settings(max_examples=200)
@given(st.lists(st.one_of(_LINES, st.text(max_size=80)), max_size=30))
def test_extract_never_crashes_and_spans_hold(lines: list[str]) -> None:
    text = "\n".join(lines)
    for duty in extract(text):
        start, end = duty.span
        assert 0 <= start <= end <= len(text)
        assert 0 < duty.confidence <= 1


@pytest.mark.parametrize(
    ("item", "assignee"),
    [
        (
            "Sở Văn hóa, Thể thao và Du lịch xuất bản ấn phẩm giới thiệu tỉnh bằng tiếng Anh.",
            "Sở Văn hóa, Thể thao và Du lịch",
        ),
        ("Báo Quảng Trị phát hành đặc san tiếng Lào dịp Tết.", "Báo Quảng Trị"),
        ("Sở Ngoại vụ biên soạn tài liệu hỏi đáp về biển, đảo.", "Sở Ngoại vụ"),
        (
            "Đài Phát thanh và Truyền hình tỉnh sản xuất phóng sự về cửa khẩu.",
            "Đài Phát thanh và Truyền hình tỉnh",
        ),
    ],
)
def test_the_work_of_information_is_a_verb_of_action(item: str, assignee: str) -> None:
    """Publishing, issuing, compiling and producing end a body's name like any verb of the genre."""
    duties = extract(f"Ủy ban nhân dân tỉnh yêu cầu:\n\n1. {item}")
    assert [d.assignee for d in duties] == [assignee]
