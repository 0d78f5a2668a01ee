"""Tracking table as .xlsx (the appendix's layout) and as a .docx appendix in Nghị định 30/2020 layout."""

from __future__ import annotations

import io

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
    ws.cell(row=1, column=1, value=title).font = Font(name="Times New Roman", bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, row in enumerate(grid, start=3):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(
                row=r, column=c, value=int(value) if value.isdigit() and (r > 4 or c <= 2) else value
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
        ws.cell(row=last + n, column=1, value=f"- {sentence}.").font = Font(name="Times New Roman", size=11)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_docx(
    table: tracking.TrackingTable, *, title: str, sentences: list[str], issuer: str, superior: str
) -> bytes:
    """A4 landscape appendix: issuing body over its superior, title in capitals, the table, the summary."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from ttdn.core.docx_layout import line, new_document, to_bytes

    document = new_document(landscape=True)
    line(document, superior.upper(), size=12)
    line(document, issuer.upper(), bold=True, size=12)
    line(document, "")
    line(document, title.upper(), bold=True, size=13, align="center")
    line(document, "")
    grid = tracking.grid_of(table)
    doc_table = document.add_table(rows=len(grid), cols=len(grid[0]))
    doc_table.style = "Table Grid"
    doc_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    per_item = len(table.years)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            cell = doc_table.cell(r, c)
            cell.text = value
            for paragraph in cell.paragraphs:
                paragraph.alignment = (
                    WD_ALIGN_PARAGRAPH.LEFT if c == 1 and r > 1 else WD_ALIGN_PARAGRAPH.CENTER
                )
                for run in paragraph.runs:
                    run.font.size = Pt(11)
                    run.font.name = "Times New Roman"
                    run.bold = r <= 1 or row[1] == "Tổng"
    for k in range(len(table.items)):
        if per_item > 1:
            start = 2 + k * per_item
            merged = doc_table.cell(0, start).merge(doc_table.cell(0, start + per_item - 1))
            merged.text = grid[0][start]
    doc_table.cell(0, 0).merge(doc_table.cell(1, 0)).text = "Stt"
    doc_table.cell(0, 1).merge(doc_table.cell(1, 1)).text = grid[0][1]
    line(document, "")
    for sentence in sentences:
        paragraph = document.add_paragraph(f"- {sentence}.")
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return to_bytes(document)
