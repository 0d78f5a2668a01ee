"""Generated .docx in the layout of Nghị định 30/2020/NĐ-CP (DESIGN 6.3), with python-docx.

A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman; the header is a borderless
two-column table: superior and issuing body with the number on the left, national title and motto
with place and date on the right; the body in 14 with a first-line indent; "Nơi nhận:" 12 bold italic
with its list in 11; the signer's position in bold capitals.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ttdn.core.text import without_controls

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
PORTRAIT_TEXT_MM = 210 - 30 - 15  # A4 less the left and right margins
LANDSCAPE_TEXT_MM = 297 - 30 - 15


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
    run = paragraph.add_run(without_controls(text, keep_lines=True))
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


# -- Tables laid out for the page -----------------------------------------------------------------
#
# Column widths come from the text they hold, measured with the advance widths of Times New Roman
# (the same as those of Liberation Serif, which LibreOffice puts in its place): a column is never
# narrower than its longest word, an amount or a mark never wraps, and what is left of the page goes
# to the text columns in proportion to the length of their text. The table's XML is written in one
# piece (python-docx's per-cell calls are quadratic in the size of the table).

PT_MM = 25.4 / 72
CELL_MARGIN_MM = 1.5  # left and right inside every cell
_TWIPS_PER_MM = 1440 / 25.4
_EMU_PER_MM = 36000
_SLACK = 1.03  # rounding and hinting differ between Word and LibreOffice: measure a little wide
_SLACK_MM = 0.6
_COMFORTABLE_MM = 70.0  # a text column this wide reads comfortably (some 35-45 characters a line)
_SHORT_MM = 45.0  # a line this short ("Quý III", "Ngân sách trung ương") stays whole if there is room

# Advance widths in thousandths of an em, by character.
_REGULAR_WIDTHS = {
    180: "'",
    250: " .,",
    278: "ijlt:;/",
    333: "frI-()[]!",
    389: "sJ",
    408: '"',
    444: "acez?",
    500: "bdghknopquvxy*_–0123456789",
    556: "FPS",
    564: "+=<>",
    611: "ELTZ",
    667: "BCR",
    722: "ADGHKNOQUVXYw",
    778: "m&",
    833: "%",
    889: "M",
    921: "@",
    944: "W",
    1000: "—…",
}
_BOLD_WIDTHS = {
    250: " .,",
    278: "il/'",
    333: "fjt-()[]!:;",
    389: "sI",
    444: "cerz",
    500: "agovxyJ?*_–0123456789",
    555: '"',
    556: "bdhknpquS",
    570: "+=<>",
    611: "FP",
    667: "BELTZ",
    722: "ACDNRUVXYw",
    778: "GHKOQ",
    833: "m&",
    930: "@",
    944: "M",
    1000: "W%—…",
}


def _width_map(groups: dict[int, str]) -> dict[str, int]:
    return {char: width for width, chars in groups.items() for char in chars}


_WIDTHS = {False: _width_map(_REGULAR_WIDTHS), True: _width_map(_BOLD_WIDTHS)}


@functools.lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> int:
    """A character's advance width in thousandths of an em (Vietnamese letters: the base letter's
    width, a horn (ơ, ư) a little more; a character outside the table is taken wide)."""
    table = _WIDTHS[bold]
    if char in table:
        return table[char]
    if char in "đĐ":
        return table["d" if char == "đ" else "D"]
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if base in table:
        horn = "\u031b" in decomposed
        return table[base] + ((80 if base.isupper() else 60) if horn else 0)
    if unicodedata.combining(char):
        return 0
    if unicodedata.east_asian_width(char) in "WF":
        return 1000
    return 600


def text_width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """The width of one line of ``text`` at ``size`` points in Times New Roman."""
    return sum(_char_width(c, bold) for c in text) / 1000 * size * PT_MM


def longest_word_mm(text: str, size: float, *, bold: bool = False) -> float:
    """The widest run of text without a space: a line cannot be broken inside it."""
    return max((text_width_mm(word, size, bold=bold) for word in text.split()), default=0.0)


def widest_line_mm(text: str, size: float, *, bold: bool = False) -> float:
    return max((text_width_mm(part, size, bold=bold) for part in text.split("\n")), default=0.0)


def cell_width_for(text_mm: float) -> float:
    """The cell width that holds ``text_mm`` of text on one line (cell margins and a safety margin)."""
    return text_mm * _SLACK + _SLACK_MM + 2 * CELL_MARGIN_MM


@dataclass(frozen=True)
class Column:
    """A column of a laid-out table: ``fixed`` columns (amounts, numbers, marks, dates) are as wide as
    their widest value so it never wraps; ``text`` columns share the rest and wrap between words."""

    kind: Literal["text", "fixed"] = "text"
    align: Literal["left", "center", "right", "justify"] = "left"


@dataclass(frozen=True)
class Cell:
    """A cell covering ``span`` columns and ``rows`` rows (the positions a cell from above covers are
    left out of the rows below it)."""

    text: str
    span: int = 1
    rows: int = 1
    bold: bool | None = None
    align: Literal["left", "center", "right", "justify"] | None = None


@dataclass
class TableLayout:
    """What the layout decided: widths (mm), font size, orientation, and each column's minimum."""

    widths_mm: list[float]
    minimum_mm: list[float]
    size: float
    landscape: bool
    fits: bool
    available_mm: float
    table: Any = None


@dataclass
class _Placed:
    row: int
    col: int
    span: int
    rows: int
    text: str
    bold: bool
    align: str
    header: bool


def _place(
    rows: Sequence[Sequence[str | Cell]],
    columns: Sequence[Column],
    header_rows: int,
    bold_rows: Collection[int],
) -> list[list[_Placed | None]]:
    """Cells at their grid positions; ``None`` where a cell from above continues down."""
    width = len(columns)
    below: list[int] = [0] * width  # rows still covered by a cell from above, per column
    spans: list[int] = [1] * width
    grid: list[list[_Placed | None]] = []
    for r, row in enumerate(rows):
        placed: list[_Placed | None] = []
        cells = iter(row)
        c = 0
        while c < width:
            if below[c]:
                below[c] -= 1
                placed.append(None)
                c += spans[c]
                continue
            item = next(cells, "")
            cell = item if isinstance(item, Cell) else Cell(str(item))
            span = max(1, min(cell.span, width - c))
            header = r < header_rows
            placed.append(
                _Placed(
                    row=r,
                    col=c,
                    span=span,
                    rows=cell.rows,
                    text=cell.text,
                    bold=cell.bold if cell.bold is not None else (header or r in bold_rows),
                    align=cell.align or ("center" if header else columns[c].align),
                    header=header,
                )
            )
            if cell.rows > 1:
                below[c], spans[c] = cell.rows - 1, span
            c += span
        grid.append(placed)
    return grid


def _measure(
    grid: list[list[_Placed | None]], columns: Sequence[Column], size: float
) -> tuple[list[float], list[float], list[float], list[float]]:
    """(minimum, preferred, typical, widest) width of each column at ``size``, cell margins included.

    The minimum holds the longest word (a fixed column: its widest value); the preferred width also
    keeps a short text on one line (a timeline, "Quý III") and a heading on at most two."""
    width = len(columns)
    minimum = [2 * CELL_MARGIN_MM] * width
    preferred = [2 * CELL_MARGIN_MM] * width
    widest = [2 * CELL_MARGIN_MM] * width
    samples: list[list[float]] = [[] for _ in range(width)]
    spanning: list[tuple[int, int, float]] = []
    for row in grid:
        for cell in row:
            if cell is None or not cell.text:
                continue
            word = cell_width_for(longest_word_mm(cell.text, size, bold=cell.bold))
            line = cell_width_for(widest_line_mm(cell.text, size, bold=cell.bold))
            if cell.span > 1:
                spanning.append((cell.col, cell.span, word))
                continue
            fixed = columns[cell.col].kind == "fixed" and not cell.header
            minimum[cell.col] = max(minimum[cell.col], line if fixed else word)
            widest[cell.col] = max(widest[cell.col], line)
            if cell.header:
                preferred[cell.col] = max(
                    preferred[cell.col], word, cell_width_for(0) + (line - cell_width_for(0)) / 2
                )
            else:
                samples[cell.col].append(line)
                preferred[cell.col] = max(preferred[cell.col], min(line, _SHORT_MM))
    for col, span, need in spanning:  # a heading over several columns: its longest word fits the span
        for bound in (minimum, preferred):
            short = need - sum(bound[col : col + span])
            if short > 0:
                for c in range(col, col + span):
                    bound[c] += short / span
    preferred = [max(p, m) for p, m in zip(preferred, minimum)]
    typical = []
    for c in range(width):
        values = sorted(samples[c]) or [widest[c]]
        upper = values[(len(values) * 3) // 4]  # the length most of the column's text stays under
        typical.append(max(preferred[c], min(upper, widest[c])))
    widest = [max(w, p) for w, p in zip(widest, preferred)]
    return minimum, preferred, typical, widest


def _distribute(
    columns: Sequence[Column],
    minimum: list[float],
    typical: list[float],
    widest: list[float],
    available: float,
) -> list[float]:
    """Fixed columns at their width; text columns share the rest in proportion to their typical text,
    never below their minimum nor wider than their widest line; what is still left widens every column."""
    widths = list(minimum)
    text = [c for c, column in enumerate(columns) if column.kind == "text"]
    free = set(text)
    while free:
        room = available - sum(widths[c] for c in range(len(columns)) if c not in free)
        weight = sum(typical[c] for c in free) or 1.0
        share = {c: room * typical[c] / weight for c in free}
        low = [c for c in free if share[c] < minimum[c]]
        high = [c for c in free if share[c] > widest[c]]
        if not low and not high:
            for c in free:
                widths[c] = share[c]
            break
        for c in low or high:  # settle the columns held by a bound, then share again
            widths[c] = minimum[c] if low else widest[c]
            free.discard(c)
    left = available - sum(widths)
    total = sum(widths)
    if left > 0 and total > 0:
        widths = [w + left * w / total for w in widths]
    return widths


def _landscape_mm(section: Any) -> float:
    """The text width of ``section``'s page turned to landscape."""
    long_side = max(section.page_width, section.page_height)
    return (long_side - section.left_margin - section.right_margin) / _EMU_PER_MM


def _turn(section: Any) -> None:
    """A portrait section turned to landscape, its margins kept."""
    from docx.enum.section import WD_ORIENT

    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def layout_table(
    rows: Sequence[Sequence[str | Cell]],
    columns: Sequence[Column],
    *,
    portrait_mm: float,
    landscape_mm: float | None,
    size: float = 11,
    smallest: float = 9,
    header_rows: int = 1,
    bold_rows: Collection[int] = (),
) -> TableLayout:
    """Widths, size and orientation for a table, without writing it. ``landscape_mm`` None: the page
    stays as it is. Landscape when the table's comfortable width is more than portrait gives; a smaller
    font (down to ``smallest``) only when even the longest words do not fit."""
    grid = _place(rows, columns, header_rows, bold_rows)
    step = size
    while True:
        minimum, preferred, typical, widest = _measure(grid, columns, step)
        comfortable = sum(
            min(t, max(_COMFORTABLE_MM, preferred[c])) if columns[c].kind == "text" else t
            for c, t in enumerate(typical)
        )
        landscape = landscape_mm is not None and (comfortable > portrait_mm or sum(minimum) > portrait_mm)
        available = landscape_mm if landscape and landscape_mm is not None else portrait_mm
        fits = sum(minimum) <= available + 1e-6
        if fits or step - 1 < smallest:
            break
        step -= 1
    if fits:
        floor = preferred if sum(preferred) <= available else minimum
        # A long text weighs at most as two comfortable columns: one column of prose does not starve the rest.
        weights = [min(t, max(2 * _COMFORTABLE_MM, p)) for t, p in zip(typical, preferred)]
        widths = _distribute(columns, floor, weights, widest, available)
    else:  # nothing fits: the minimums shrunk to the page (words will break; the caller may split)
        widths = [m * available / sum(minimum) for m in minimum]
    return TableLayout(
        widths_mm=widths,
        minimum_mm=minimum,
        size=step,
        landscape=landscape,
        fits=fits,
        available_mm=available,
    )


def add_table(
    document: Any,
    rows: Sequence[Sequence[str | Cell]],
    columns: Sequence[Column],
    *,
    size: float = 11,
    smallest: float = 9,
    header_rows: int = 1,
    bold_rows: Collection[int] = (),
    allow_landscape: bool = True,
) -> TableLayout:
    """A bordered table at the end of ``document`` laid out for the page: widths fitted to the text,
    header rows repeated on every page (``w:tblHeader``), rows kept whole across pages (``w:cantSplit``)
    unless a row is too tall for that, and the last section turned to landscape when the table needs
    the width (a section already landscape stays so: the tables before this one were laid out for it).
    Returns the layout, with the python-docx table as ``table``."""
    section = document.sections[-1]
    turn = allow_landscape and section.page_width < section.page_height
    layout = layout_table(
        rows,
        columns,
        portrait_mm=(section.page_width - section.left_margin - section.right_margin) / _EMU_PER_MM,
        landscape_mm=_landscape_mm(section) if turn else None,
        size=size,
        smallest=smallest,
        header_rows=header_rows,
        bold_rows=bold_rows,
    )
    if turn and layout.landscape:
        _turn(section)
    layout.landscape = section.page_width > section.page_height
    grid = _place(rows, columns, header_rows, bold_rows)
    page_height_mm = (section.page_height - section.top_margin - section.bottom_margin) / _EMU_PER_MM
    document.element.body._insert_tbl(_table_xml(grid, layout, header_rows, page_height_mm))
    layout.table = document.tables[-1]
    return layout


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _table_xml(
    grid: list[list[_Placed | None]], layout: TableLayout, header_rows: int, page_height_mm: float
) -> Any:
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    twips = [round(w * _TWIPS_PER_MM) for w in layout.widths_mm]
    half_points = round(layout.size * 2)
    font = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    size_xml = f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    spacing = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    run_props = {
        bold: f"<w:rPr>{font}{'<w:b/><w:bCs/>' if bold else ''}{size_xml}</w:rPr>" for bold in (False, True)
    }
    line_mm = layout.size * 1.15 * PT_MM
    margin = 2 * CELL_MARGIN_MM
    border = '{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    borders = "".join(
        border.format(side=f"<w:{side}") for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    cell_margin = round(CELL_MARGIN_MM * _TWIPS_PER_MM)
    out = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/><w:right w:w="{cell_margin}" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{t}"/>' for t in twips),
        "</w:tblGrid>",
    ]
    # A continuing cell of a vertical merge takes the width and span of the cell it continues.
    above: dict[int, _Placed] = {}
    for r, row in enumerate(grid):
        tall = 0.0
        cells: list[str] = []
        c = 0
        for cell in row:
            if cell is None:
                origin = above[c]
                width = sum(twips[c : c + origin.span])
                span = f'<w:gridSpan w:val="{origin.span}"/>' if origin.span > 1 else ""
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vMerge/>'
                    f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>{spacing}</w:pPr></w:p></w:tc>'
                )
                c += origin.span
                continue
            if cell.rows > 1:
                above[c] = cell
            width = sum(twips[c : c + cell.span])
            span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
            merge = '<w:vMerge w:val="restart"/>' if cell.rows > 1 else ""
            text = _CONTROL.sub("", cell.text)
            inner = "<w:br/>".join(
                f'<w:t xml:space="preserve">{escape(without_controls(part))}</w:t>'
                for part in text.split("\n")
            )
            run = f"<w:r>{run_props[cell.bold]}{inner}</w:r>" if text else ""
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/>'
                f'</w:tcPr><w:p><w:pPr>{spacing}<w:jc w:val="{_JC[cell.align]}"/></w:pPr>{run}</w:p></w:tc>'
            )
            room = max(sum(layout.widths_mm[c : c + cell.span]) - margin, 1.0)
            lines = sum(
                max(1, math.ceil(text_width_mm(part, layout.size, bold=cell.bold) * _SLACK / room))
                for part in text.split("\n")
            )
            tall = max(tall, lines * line_mm)
            c += cell.span
        keep = "<w:cantSplit/>" if tall < page_height_mm / 3 else ""  # a very tall row may break
        head = "<w:tblHeader/>" if r < header_rows else ""
        out.append(f"<w:tr><w:trPr>{keep}{head}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return parse_xml("".join(out))
