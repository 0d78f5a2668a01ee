"""The tracking table's .docx appendix can be sent: names wrap between words only, totals on one line,
both header rows repeat on every page, landscape when the columns need it, and it reads back."""

from __future__ import annotations

import io

import docx

from tests.docx_checks import cells, flagged_rows, grid_mm, on_one_line, words_broken
from ttdn.core.docx_layout import text_width_mm
from ttdn.reporting import exports, tracking

PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Thừa Thiên Huế",
    "TP. Hồ Chí Minh",
    "Quảng Nam",
    "Kiên Giang",
    "Thái Nguyên",
]


def table_of(rows: int, years: list[int], items: list[str] | None = None) -> tracking.TrackingTable:
    codes = items or [d.code for d in tracking.item_defs()]
    return tracking.TrackingTable(
        items=codes,
        years=years,
        rows=[
            tracking.Row(
                name=PROVINCES[n % len(PROVINCES)] + ("" if n < len(PROVINCES) else f" {n}"),
                marks={(i, y): (n + k + y) % 3 == 0 for k, i in enumerate(codes) for y in years},
            )
            for n in range(rows)
        ],
    )


def export(table: tracking.TrackingTable):  # noqa: ANN201
    data = exports.to_docx(table, title="Bảng theo dõi", sentences=["x"], issuer="Cục", superior="Bộ")
    return data, docx.Document(io.BytesIO(data))


def test_63_provinces_six_items_two_years() -> None:
    table = table_of(63, [2011, 2012])
    data, document = export(table)
    grid = document.tables[0]
    assert len(grid.rows) == 2 + 63 + 1
    assert flagged_rows(grid, "tblHeader") == [0, 1]  # the item and year rows repeat on every page
    assert flagged_rows(grid, "cantSplit") == list(range(66))
    assert words_broken(grid) == []  # "An Giang", never "An Gian g"
    names = [c for c in cells(grid) if c["col"] == 1 and c["row"] > 1]
    assert all(c["room"] >= text_width_mm("Nguyên", c["size"]) for c in names)
    widths = grid_mm(grid)
    assert (
        widths[1] > widths[2] and len(set(round(w, 1) for w in widths[2:])) == 1
    )  # years alike, names wider
    totals = [c for c in cells(grid) if c["row"] == 65 and c["col"] >= 2]
    assert totals and all(c["bold"] and on_one_line(grid, c["text"]) for c in totals)
    section = document.sections[0]
    assert section.page_width > section.page_height  # 14 columns: landscape
    again = tracking.read_file("t.docx", data)
    assert [r.name for r in again.rows] == [r.name for r in table.rows]
    assert [r.marks for r in again.rows] == [r.marks for r in table.rows]
    assert again.discrepancies() == []


def test_three_years_twenty_columns_still_fit() -> None:
    _data, document = export(table_of(63, [2011, 2012, 2013]))
    grid = document.tables[0]
    assert len(grid_mm(grid)) == 20 and words_broken(grid) == []
    assert document.sections[0].page_width > document.sections[0].page_height


def test_few_columns_stay_portrait() -> None:
    _data, document = export(table_of(34, [2025], items=["quy_che", "ke_hoach"]))
    section = document.sections[0]
    assert section.page_width < section.page_height
    assert words_broken(document.tables[0]) == []


def test_a_table_too_wide_for_one_page_is_set_in_parts_that_read_back() -> None:
    years = list(range(2011, 2026))  # 6 items x 15 years: 92 columns, no page holds them
    table = table_of(63, years)
    data, document = export(table)
    parts = document.tables
    assert len(parts) > 1
    for part in parts:
        assert flagged_rows(part, "tblHeader") == [0, 1] and words_broken(part) == []
        assert [r.cells[1].text for r in part.rows[2:]] == [r.name for r in table.rows] + ["Tổng"]
    assert any(p.text == "(tiếp theo)" for p in document.paragraphs)
    again = tracking.read_file("t.docx", data)
    assert again.items == table.items and again.years == years
    assert [r.marks for r in again.rows] == [r.marks for r in table.rows]
    assert again.discrepancies() == []
