"""Generated .docx in the layout of Nghị định 30/2020/NĐ-CP (DESIGN 6.3), with python-docx.

A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman; the header is a borderless
two-column table: superior and issuing body with the number on the left, national title and motto
with place and date on the right; the body in 14 with a first-line indent; "Nơi nhận:" 12 bold italic
with its list in 11; the signer's position in bold capitals.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"


def new_document(*, landscape: bool = False) -> Any:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    return document


def line(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 14,
    align: str = "left",
    indent: bool = False,
) -> Any:
    """One paragraph of one run (``container``: the document or a table cell)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    paragraph.paragraph_format.space_after = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    return paragraph


def set_widths(table: Any, widths_mm: list[float]) -> None:
    """Fixed column widths (Word and LibreOffice both honour cell widths, not column widths)."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)  # the table grid, which LibreOffice reads
    for row in table.rows:
        cells = row.cells
        if len({id(c._tc) for c in cells}) != len(cells):
            continue  # a merged row (a group heading) spans the columns already sized
        for cell, width in zip(cells, widths_mm):
            cell.width = Mm(width)


def body_name_lines(name: str) -> str:
    """An issuing body in capitals over two lines where the form has them: "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ"."""
    upper = name.upper()
    for head in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "):
        if upper.startswith(head):
            return head.strip() + "\n" + upper[len(head) :]
    return upper


def place_date(place: str, on: dt.date) -> str:
    return f"{place}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"


def letter_header(
    document: Any, *, superior: str, issuer: str, number: str, place: str, on: dt.date, subject: str = ""
) -> None:
    """The two-column header of an official letter (công văn), with its "V/v" subject under the number."""
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [70, 95])
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    if superior:
        line(left, body_name_lines(superior), size=13, align="center")
    line(left, body_name_lines(issuer), bold=True, size=13, align="center")
    line(left, f"Số: {number}", size=13, align="center")
    if subject:
        line(left, f"V/v {subject}", size=12, align="center")
    line(right, NATIONAL_TITLE, bold=True, size=12, align="center")
    line(right, MOTTO, bold=True, size=13, align="center")
    line(right, place_date(place, on), italic=True, size=13, align="center")
    line(document, "")


def recipients_and_signature(
    document: Any, *, recipients: list[str], authority: str, position: str, signer: str
) -> None:
    """ "Nơi nhận:" on the left, the signing block on the right."""
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [85, 80])
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    line(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for item in recipients:
        line(left, f"- {item};", size=11)
    line(left, "- Lưu: VT.", size=11)
    if authority:
        line(right, authority.upper(), bold=True, size=13, align="center")
    line(right, position.upper(), bold=True, size=13, align="center")
    for _n in range(3):
        line(right, "", size=13)
    line(right, signer, bold=True, size=14, align="center")


def to_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
