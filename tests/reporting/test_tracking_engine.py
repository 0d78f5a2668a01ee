"""The tracking-table engine on seed 000 and on damaged or arbitrary input."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.reporting import exports, tracking

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seed000() -> tracking.TrackingTable:
    path = next(SEEDS.glob("000_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not beside the repository")
    return tracking.read_file(path.name, path.read_bytes())


def test_seed_000_table(seed000: tracking.TrackingTable) -> None:
    assert len(seed000.rows) == 63
    assert seed000.items == ["quy_che", "ke_hoach", "tap_huan", "bao_cao_tong_ket", "de_an", "phoi_hop_bdbp"]
    assert seed000.years == [2011, 2012]
    assert seed000.rows[0].name == "An Giang" and seed000.rows[-1].name == "Phú Yên"
    marks = seed000.rows[0].marks  # An Giang: a plan in 2011, final reports in 2011 and 2012
    assert [k for k, v in marks.items() if v] == [
        ("ke_hoach", 2011),
        ("bao_cao_tong_ket", 2011),
        ("bao_cao_tong_ket", 2012),
    ]


def test_seed_000_names_its_letter(seed000: tracking.TrackingTable) -> None:
    assert seed000.document == "Công văn số 212/BTTTT-TTĐN ngày 18/01/2013"
    assert seed000.summary()["document"] == seed000.document


def test_a_table_names_the_letter_it_comes_with() -> None:
    letter = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 15/KH-UBND\nQuảng Trị, ngày 3 tháng 2 năm 2026\n\nKẾ HOẠCH\n"
    )
    assert tracking.letter_reference(letter) == "Văn bản số 15/KH-UBND ngày 03/02/2026"
    assert tracking.letter_reference("Số: 7/STTTT\nV/v báo cáo\n") == "Công văn số 7/STTTT"
    assert tracking.letter_reference("Stt\nTỉnh\nQuy chế\n2011\n") == ""


def test_seed_000_declared_total_is_wrong_once(seed000: tracking.TrackingTable) -> None:
    # The letter's table declares 6 regulations issued in 2012; its rows mark 7.
    assert seed000.discrepancies() == [{"item": "quy_che", "year": 2012, "declared": 6, "computed": 7}]
    assert seed000.declared_totals["de_an"][2011] is None  # an empty total cell is not a zero


def test_seed_000_counts_and_sentences(seed000: tracking.TrackingTable) -> None:
    ever = seed000.ever_counts()
    # The letter's first paragraph: 30 trained, 37 plans, 28 projects, 10 programmes (its 8 regulations
    # is the hand-counted 2 + 6; the rows give 9 provinces).
    assert (ever["tap_huan"], ever["ke_hoach"], ever["de_an"], ever["phoi_hop_bdbp"], ever["quy_che"]) == (
        30,
        37,
        28,
        10,
        9,
    )
    lines = tracking.sentences(ever, len(seed000.rows))
    assert lines[0] == "9/63 tỉnh, thành phố ban hành Quy chế quản lý nhà nước về thông tin đối ngoại"
    assert lines[2] == "37/63 tỉnh, thành phố xây dựng Kế hoạch công tác thông tin đối ngoại"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_exports_read_back_to_the_same_table(seed000: tracking.TrackingTable, fmt: str) -> None:
    if fmt == "xlsx":
        data = exports.to_xlsx(seed000, title="Bảng theo dõi", sentences=["x"])
    else:
        data = exports.to_docx(seed000, title="Bảng theo dõi", sentences=["x"], issuer="Cục", superior="Bộ")
    again = tracking.read_file(f"t.{fmt}", data)
    assert [r.name for r in again.rows] == [r.name for r in seed000.rows]
    assert [r.marks for r in again.rows] == [r.marks for r in seed000.rows]
    assert again.discrepancies() == []  # exports carry computed totals


def test_carry_counts_a_new_body_when_any_predecessor_had_it() -> None:
    cells = {
        ("T70", "quy_che", 2012): tracking.Cell(True, tracking.IMPORTED),
        ("T75", "quy_che", 2012): tracking.Cell(False, tracking.IMPORTED),
        ("T01", "quy_che", 2012): tracking.Cell(False, tracking.IMPORTED),
    }
    heirs = {"T70": ["T75-2025"], "T75": ["T75-2025"], "T01": ["T01"]}
    marks = {key: cell.mark for key, cell in tracking.carry(cells, lambda body, _y: heirs[body]).items()}
    assert marks == {("T75-2025", "quy_che", 2012): True, ("T01", "quy_che", 2012): False}


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ([["Tên", "x"]], "Stt"),
        ([["Stt", "Tỉnh", "Quy chế"], ["", "", "năm"]], "năm"),
        (
            [["Stt", "Tỉnh", "Thi đua khen thưởng"], ["", "", "2011"], ["1", "An Giang", "x"]],
            "không khớp hạng mục",
        ),
        ([["Stt", "Tỉnh", "Quy chế"], ["", "", "2011"], ["1", "An Giang", "có lẽ"]], "không phải dấu x"),
        (
            [["Stt", "Tỉnh", "Quy chế"], ["", "", "2011"], ["1", "An Giang", "x"], ["2", "an giang", ""]],
            "lặp lại",
        ),
        ([["Stt", "Tỉnh", "Quy chế"], ["", "", "2011"], ["", "Tổng", "ba"]], "không phải số"),
    ],
)
def test_bad_tables_say_where(grid: list[list[str]], message: str) -> None:
    with pytest.raises(tracking.TrackingError, match=message):
        tracking.read_grid(grid)


@given(st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=12))
@settings(max_examples=200, deadline=None)
def test_read_grid_never_crashes(grid: list[list[str]]) -> None:
    try:
        table = tracking.read_grid(grid)
    except tracking.TrackingError:
        return
    assert table.rows and all(len(r.marks) == len(table.items) * len(table.years) for r in table.rows)


@given(st.text(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_text_reader_never_crashes(text: str) -> None:
    with contextlib.suppress(tracking.TrackingError):
        tracking.read_grid(tracking.grid_from_text("Stt\n\n" + text))


def test_shifted_cells_are_refused(seed000: tracking.TrackingTable) -> None:
    path = next(SEEDS.glob("000_*.txt"))
    text = path.read_text(encoding="utf-8").replace(
        "\n\nAn Giang\n", "\n\nAn Giang\n\nx\n", 1
    )  # one extra cell
    with pytest.raises(tracking.TrackingError):
        tracking.read_grid(tracking.grid_from_text(text))


def test_seed_000_letter_against_its_own_table(seed000: tracking.TrackingTable) -> None:
    """The letter says "8/63 tỉnh, thành phố ban hành Quy chế"; its table has 9 provinces that did (2 in 2011, 7 in 2012)."""
    claims = {c.item: c.count for c in seed000.claims}
    assert claims == {"quy_che": 8, "tap_huan": 30, "ke_hoach": 37, "de_an": 28, "phoi_hop_bdbp": 10}
    wrong = seed000.claim_discrepancies()
    assert [(d["item"], d["claimed"], d["out_of"], d["computed"]) for d in wrong] == [("quy_che", 8, 63, 9)]
    assert seed000.summary()["claim_discrepancies"] == wrong


def test_letter_claims_in_any_letter() -> None:
    text = (
        "Đến nay, 12/34 tỉnh, thành phố đã tổ chức tập huấn cho cán bộ; 5/34 địa phương có đề án thông tin đối ngoại; "
        "20/34 tỉnh xây dựng kế hoạch năm 2026. Tỷ lệ 3/4 không phải câu đếm đơn vị."
    )
    assert [(c.item, c.count, c.out_of) for c in tracking.letter_claims(text)] == [
        ("tap_huan", 12, 34),
        ("de_an", 5, 34),
        ("ke_hoach", 20, 34),
    ]


def test_a_record_fills_an_empty_cell_and_never_overwrites_a_stored_value() -> None:
    proof = tracking.Proof("Báo cáo năm 2026, Cục tiếp nhận ngày 22/11/2026", "/reporting/x/")
    assert tracking.cell_of(None, []) is None
    derived = tracking.cell_of(None, [proof, proof])
    assert derived == tracking.Cell(True, tracking.DERIVED, (proof,)) and derived.derived
    kept = tracking.cell_of((True, tracking.IMPORTED), [proof])
    assert kept == tracking.Cell(True, tracking.IMPORTED, (proof,))  # the import stands, the record beside it
    conflict = tracking.cell_of((False, tracking.IMPORTED), [proof])
    assert conflict == tracking.Cell(False, tracking.IMPORTED, (proof,), conflict=True)  # shown, not counted
    assert tracking.cell_of((False, tracking.ENTERED)) == tracking.Cell(False, tracking.ENTERED)


def test_cells_carried_into_one_body_are_done_when_any_was() -> None:
    proof = tracking.Proof("Kế hoạch 44/KH-UBND")
    imported_no = tracking.Cell(False, tracking.IMPORTED)
    derived_yes = tracking.Cell(True, tracking.DERIVED, (proof,))
    contested = tracking.Cell(False, tracking.IMPORTED, (proof,), conflict=True)
    assert tracking.merge([]) is None
    assert tracking.merge([imported_no, derived_yes]) == tracking.Cell(True, tracking.DERIVED, (proof,))
    assert tracking.merge([derived_yes, tracking.Cell(True, tracking.IMPORTED)]).origin == tracking.IMPORTED
    assert tracking.merge([imported_no, contested]).conflict
    assert not tracking.merge([contested, derived_yes]).conflict  # the cell is done: nothing left to resolve
    cells = {("T45", "ke_hoach", 2025): derived_yes, ("T44-2025", "ke_hoach", 2025): imported_no}
    carried = tracking.carry(cells, lambda body, year: ["T44-2025"] if body in ("T45", "T44-2025") else [])
    assert carried == {("T44-2025", "ke_hoach", 2025): tracking.Cell(True, tracking.DERIVED, (proof,))}


def test_runs_split_the_years_where_the_bodies_change() -> None:
    old, new = frozenset({"T44", "T45"}), frozenset({"T44-2025"})
    bodies = {2011: old, 2012: old, 2025: new, 2026: new}
    assert tracking.runs([2026, 2011, 2012, 2025], bodies.__getitem__) == [[2011, 2012], [2025, 2026]]
    assert tracking.runs([], bodies.__getitem__) == []
