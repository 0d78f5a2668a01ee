"""Tables laid out for the page (core.docx_layout): widths from the measured text, header rows that
repeat, rows kept whole, landscape when the columns need it; read back with python-docx."""

from __future__ import annotations

import io

import docx
import pytest

from tests.docx_checks import cells, flagged_rows, grid_mm, on_one_line, words_broken
from ttdn.core import docx_layout
from ttdn.core.docx_layout import Cell, Column, add_table, layout_table, new_document, text_width_mm


def reopen(document):  # noqa: ANN001, ANN201
    return docx.Document(io.BytesIO(docx_layout.to_bytes(document)))


def test_widths_follow_times_new_roman() -> None:
    # Digits are half an em: "1.170.000.000" is 10 digits and 3 points, 5.75 em, at 12 pt 24.3 mm.
    assert text_width_mm("1.170.000.000", 12) == pytest.approx(5.75 * 12 * 25.4 / 72)
    assert text_width_mm("W", 11) > text_width_mm("i", 11)
    assert text_width_mm("Quảng", 11, bold=True) > text_width_mm("Quảng", 11)
    assert text_width_mm("ư", 12) > text_width_mm("u", 12)  # the horn makes it wider
    assert text_width_mm("Đ", 12) == text_width_mm("D", 12)
    assert docx_layout.longest_word_mm("An Giang", 11) == text_width_mm("Giang", 11)


def tracking_like(years: int, items: int = 6) -> tuple[list[list[str | Cell]], list[Column]]:
    names = ["An Giang", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế", "Thành phố Hồ Chí Minh", "Khánh Hòa"] * 13
    heading: list[str | Cell] = [Cell("Stt", rows=2), Cell("Tỉnh, thành phố", rows=2)]
    heading += [Cell("Chương trình phối hợp với BĐBP", span=years) for _ in range(items)]
    rows: list[list[str | Cell]] = [heading, [str(2011 + y) for _ in range(items) for y in range(years)]]
    rows += [[str(n), name] + ["x"] * (items * years) for n, name in enumerate(names, 1)]
    columns = [Column("fixed", "center"), Column("text")] + [Column("fixed", "center")] * (items * years)
    return rows, columns


def test_header_rows_repeat_and_rows_stay_whole() -> None:
    document = new_document()
    rows, columns = tracking_like(2)
    add_table(document, rows, columns, header_rows=2)
    table = reopen(document).tables[0]
    assert flagged_rows(table, "tblHeader") == [0, 1]
    assert flagged_rows(table, "cantSplit") == list(range(len(rows)))
    assert table.rows[1].cells[0].text == "Stt"  # merged down over the year row
    assert table.rows[0].cells[2].text == table.rows[0].cells[3].text  # an item over its two years


def test_no_column_narrower_than_its_longest_word() -> None:
    document = new_document()
    rows, columns = tracking_like(3)  # 20 columns, as in the officials' finding
    layout = add_table(document, rows, columns, header_rows=2)
    table = reopen(document).tables[0]
    assert layout.fits and words_broken(table) == []
    assert all(w >= m - 1e-6 for w, m in zip(layout.widths_mm, layout.minimum_mm))
    names = [c for c in cells(table) if c["col"] == 1 and c["row"] > 1]
    assert all(c["room"] >= text_width_mm("Giang", c["size"]) for c in names)  # never "An Gian g"
    # The widths are not equal: the names' column is wider than a year's.
    widths = grid_mm(table)
    assert widths[1] > 1.5 * widths[2]


def test_equal_columns_would_fail_the_check() -> None:
    """The check itself can fail: the old layout (20 equal columns, Word's margins) breaks names."""
    document = new_document(landscape=True)
    rows, _columns = tracking_like(3)
    flat = [[c.text if isinstance(c, Cell) else c for c in row] for row in rows[2:]]
    table = document.add_table(rows=len(flat), cols=20)
    for r, row in enumerate(flat):
        for c, value in enumerate(row):
            table.rows[r].cells[c].text = value
    docx_layout.set_widths(table, [252 / 20] * 20)
    assert words_broken(reopen(document).tables[0]) != []


def test_an_amount_never_wraps() -> None:
    document = new_document()
    rows: list[list[str | Cell]] = [
        ["Stt", "Hoạt động", "Kinh phí (đồng)"],
        ["1", "Tổ chức Tuần Văn hóa – Du lịch tại Lào " * 6, "1.170.000.000"],
        ["", "Tổng cộng", "1.170.000.000"],
    ]
    columns = [Column("fixed", "center"), Column("text"), Column("fixed", "right")]
    add_table(document, rows, columns, size=12, bold_rows=[2])
    table = reopen(document).tables[0]
    assert on_one_line(table, "1.170.000.000")
    total = next(c for c in cells(table) if c["row"] == 2 and c["col"] == 2)
    assert total["bold"] and total["room"] >= text_width_mm("1.170.000.000", 12, bold=True)


def test_landscape_only_when_the_columns_need_it() -> None:
    few = new_document()
    add_table(few, [["Stt", "Tên"], ["1", "Quảng Trị"]], [Column("fixed"), Column("text")])
    assert few.sections[-1].page_width < few.sections[-1].page_height
    many = new_document()
    rows, columns = tracking_like(2)
    layout = add_table(many, rows, columns, header_rows=2)
    assert layout.landscape and many.sections[-1].page_width > many.sections[-1].page_height
    assert sum(layout.widths_mm) == pytest.approx(layout.available_mm)
    kept = new_document()
    layout = add_table(kept, rows, columns, header_rows=2, allow_landscape=False)
    assert not layout.landscape and kept.sections[-1].page_width < kept.sections[-1].page_height
    assert layout.fits and sum(layout.widths_mm) == pytest.approx(210 - 30 - 15, abs=0.1)


def test_a_table_too_wide_for_any_page_says_so() -> None:
    rows, columns = tracking_like(15)  # 92 columns
    layout = layout_table(
        rows, columns, portrait_mm=165, landscape_mm=252, size=11, smallest=9, header_rows=2
    )
    assert not layout.fits and layout.size == 9 and layout.landscape
    assert sum(layout.widths_mm) == pytest.approx(252)


def test_a_heading_over_several_columns_fits_their_sum() -> None:
    rows: list[list[str | Cell]] = [
        [Cell("Stt", rows=2), Cell("Thông tin đối ngoại", span=2)],
        ["2011", "2012"],
        ["1", "x", ""],
    ]
    columns = [Column("fixed"), Column("fixed"), Column("fixed")]
    layout = layout_table(rows, columns, portrait_mm=165, landscape_mm=None, header_rows=2)
    need = docx_layout.cell_width_for(text_width_mm("Thông", 11, bold=True))
    assert sum(layout.minimum_mm[1:]) >= need


def test_text_is_escaped_and_lines_kept() -> None:
    document = new_document()
    add_table(document, [["A & B <c>"], ["dòng một\ndòng hai\x07"]], [Column("text")])
    table = reopen(document).tables[0]
    assert table.rows[0].cells[0].text == "A & B <c>"
    assert table.rows[1].cells[0].text == "dòng một\ndòng hai"


def test_a_landscape_section_stays_landscape_for_the_next_table() -> None:
    document = new_document()
    rows, columns = tracking_like(2)
    add_table(document, rows, columns, header_rows=2)
    small = add_table(document, [["Stt", "Tên"], ["1", "Quảng Trị"]], [Column("fixed"), Column("text")])
    section = document.sections[-1]
    assert small.landscape and section.page_width > section.page_height  # the first table keeps its page
    assert sum(small.widths_mm) == pytest.approx(297 - 30 - 15, abs=0.1)
