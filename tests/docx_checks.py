"""Checks of a generated .docx table read back with python-docx: widths from its grid, cell margins,
the header rows' flags, and whether a text fits its cell on one line at the size it is set in."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from ttdn.core.docx_layout import longest_word_mm, widest_line_mm

TWIPS_PER_MM = 1440 / 25.4


def grid_mm(table: Any) -> list[float]:
    return [int(col.get(qn("w:w"))) / TWIPS_PER_MM for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def margins_mm(table: Any) -> float:
    """Left plus right margin inside a cell (the table's own setting; Word's 0.08 inch when unset)."""
    mar = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if mar is None:
        return 2 * 0.08 * 25.4
    return sum(int(mar.find(qn(f"w:{side}")).get(qn("w:w"))) / TWIPS_PER_MM for side in ("left", "right"))


def flagged_rows(table: Any, flag: str) -> list[int]:
    """Rows whose properties carry ``flag`` ("tblHeader", "cantSplit")."""
    found = []
    for index, tr in enumerate(table._tbl.tr_lst):
        trPr = tr.find(qn("w:trPr"))
        if trPr is not None and trPr.find(qn(f"w:{flag}")) is not None:
            found.append(index)
    return found


def cells(table: Any) -> list[dict[str, Any]]:
    """Every cell with content: its row, first column, span, text, boldness, size (pt) and room (mm)."""
    widths, margin = grid_mm(table), margins_mm(table)
    out = []
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            text = "\n".join(p.text for p in _paragraphs(tc))
            runs = tc.findall(".//" + qn("w:r"))
            if text and runs:
                rpr = runs[0].find(qn("w:rPr"))
                size = rpr.find(qn("w:sz")) if rpr is not None else None
                out.append(
                    {
                        "row": r,
                        "col": col,
                        "span": span,
                        "text": text,
                        "bold": rpr is not None and rpr.find(qn("w:b")) is not None,
                        "size": int(size.get(qn("w:val"))) / 2 if size is not None else 14.0,
                        "room": sum(widths[col : col + span]) - margin,
                    }
                )
            col += span
    return out


def _paragraphs(tc: Any) -> list[Any]:
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, None) for p in tc.p_lst]


def words_broken(table: Any) -> list[str]:
    """The cells whose longest word is wider than the cell (a word the line must break inside)."""
    broken = []
    for c in cells(table):
        word = longest_word_mm(c["text"], c["size"], bold=c["bold"])
        if word > c["room"]:
            broken.append(f"{c['text']!r} ({word:.1f} mm in {c['room']:.1f} mm)")
    return broken


def on_one_line(table: Any, text: str) -> bool:
    """Every cell holding ``text`` is wide enough for it on one line (and there is one)."""
    found = [c for c in cells(table) if c["text"] == text]
    return bool(found) and all(widest_line_mm(text, c["size"], bold=c["bold"]) <= c["room"] for c in found)
