"""Tracking table as .xlsx (the appendix's layout) and as a .docx appendix in Nghị định 30/2020 layout."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ttdn.core.docx_layout import Cell, Column
from ttdn.core.sheets import safe
from ttdn.reporting import tracking


def to_xlsx(table: tracking.TrackingTable, *, title: str, sentences: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    grid = tracking.grid_of(table)
    wb = Workbook()
    ws = wb.active
    ws.title = "Bang theo doi"
    width = len(grid[0])
    ws.cell(row=1, column=1, value=safe(title)).font = Font(name="Times New Roman", bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, row in enumerate(grid, start=3):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(
                row=r, column=c, value=int(value) if value.isdigit() and (r > 4 or c <= 2) else safe(value)
            )
            cell.font = Font(name="Times New Roman", size=11, bold=r <= 4 or row[1] == "Tổng")
            cell.border = border
            cell.alignment = Alignment(
                horizontal="left" if c == 2 and r > 4 else "center", vertical="center", wrap_text=True
            )
    # Item headings span their year columns, as in the letter's appendix.
    per_item = len(table.years)
    for k, _item in enumerate(table.items):
        start = 3 + k * per_item
        if per_item > 1:
            ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=start + per_item - 1)
    ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    ws.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 24
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 9
    ws.row_dimensions[3].height = 60
    last = 3 + len(grid) + 1
    for n, sentence in enumerate(sentences):
        ws.cell(row=last + n, column=1, value=safe(f"- {sentence}.")).font = Font(
            name="Times New Roman", size=11
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_docx(
    table: tracking.TrackingTable, *, title: str, sentences: list[str], issuer: str, superior: str
) -> bytes:
    """A4 appendix: issuing body over its superior, title in capitals, the table, the summary. The table
    is laid out for the page (landscape when its columns need it): names wrap between words only, the
    two header rows repeat on every page, a row never splits across pages. A table too wide for a
    landscape page (many years) is set as several tables of whole items, each with the bodies' column,
    which ``tracking.grid_from_docx`` joins again."""
    from docx.shared import Mm

    from ttdn.core.docx_layout import add_table, line, new_document, to_bytes

    document = new_document()
    line(document, superior.upper(), size=12)
    line(document, issuer.upper(), bold=True, size=12)
    line(document, "")
    line(document, title.upper(), bold=True, size=13, align="center")
    line(document, "")
    parts = _parts(table)
    for n, items in enumerate(parts):
        if n:
            line(document, "")
            line(document, _("(tiếp theo)"), italic=True, size=12, align="center")
        rows, columns, bold_rows = _docx_rows(table, items)
        add_table(document, rows, columns, size=11, header_rows=2, bold_rows=bold_rows)
    line(document, "")
    for sentence in sentences:
        paragraph = document.add_paragraph(f"- {sentence}.")
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return to_bytes(document)


def _docx_rows(
    table: tracking.TrackingTable, items: list[str]
) -> tuple[list[list[str | Cell]], list[Column], list[int]]:
    """The appendix's rows for some of the items: "Stt" and the bodies merged down over the year row,
    each item's heading over its years, the total row in bold."""
    part = tracking.TrackingTable(items=items, years=table.years, rows=table.rows)
    grid = tracking.grid_of(part)
    per_item = len(table.years)
    heading: list[str | Cell] = [Cell(grid[0][0], rows=2), Cell(grid[0][1], rows=2)]
    heading += [Cell(grid[0][2 + k * per_item], span=per_item) for k in range(len(items))]
    rows: list[list[str | Cell]] = [heading, list(grid[1][2:])]
    rows += [list(row) for row in grid[2:]]
    columns = [Column("fixed", "center"), Column("text", "left")]
    columns += [Column("fixed", "center")] * (len(grid[0]) - 2)
    total_rows = [r for r, row in enumerate(grid) if r > 1 and row[1] == "Tổng"]
    return rows, columns, total_rows


def _parts(table: tracking.TrackingTable) -> list[list[str]]:
    """The items in groups that each fit a landscape A4 page (all of them together, most often)."""
    from ttdn.core.docx_layout import LANDSCAPE_TEXT_MM, PORTRAIT_TEXT_MM, layout_table

    def fits(items: list[str]) -> bool:
        rows, columns, bold_rows = _docx_rows(table, items)
        return layout_table(
            rows,
            columns,
            portrait_mm=PORTRAIT_TEXT_MM,
            landscape_mm=LANDSCAPE_TEXT_MM,
            size=11,
            header_rows=2,
            bold_rows=bold_rows,
        ).fits

    if not table.items or fits(table.items):
        return [list(table.items)]
    parts: list[list[str]] = []
    current: list[str] = []
    for item in table.items:
        if current and not fits([*current, item]):
            parts.append(current)
            current = []
        current.append(item)
    parts.append(current)
    return parts
