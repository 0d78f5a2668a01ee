"""A list as a spreadsheet (.xlsx) or CSV for export: a title, a header row and rows of plain values. Text that a
spreadsheet would run as a formula is written as text, never as a formula (OWASP's CSV-injection rule: in a CSV a
cell starting with =, +, -, @, tab or carriage return; in an .xlsx written by openpyxl, one starting with =)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from ttdn.core.text import without_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any, *, csv: bool = False) -> Any:
    """A cell's value: numbers and dates as they are, text without control characters and never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float, dt.date)):
        return value
    text = without_controls(str(value), keep_lines=True)
    return "'" + text if text.startswith(FORMULA_START if csv else "=") else text


def to_xlsx(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, widths: Sequence[int] = ()
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = (safe(title) or "Danh sach")[:31].replace("/", "-").replace(":", " ")
    sheet.append([safe(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([safe(h) for h in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append([safe(v) for v in row])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
    for index, width in enumerate(widths or [8] + [30] * (len(headers) - 1), start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that a spreadsheet opens the Vietnamese letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe(h, csv=True) for h in headers])
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else safe(v, csv=True) for v in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
