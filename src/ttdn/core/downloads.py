"""A file to download: the right content type and a file name the browser keeps (ASCII, no quotes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from ttdn.core import sheets

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def attachment(data: bytes, filename: str) -> HttpResponse:
    """``filename`` ends with its kind (".docx", ".xlsx", ".csv")."""
    kind = filename.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response


def sheet(
    fmt: str,
    name: str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] = (),
) -> HttpResponse:
    """A list exported as .xlsx (``fmt`` "xlsx", with its title above the header) or .csv."""
    if fmt == "csv":
        return attachment(sheets.to_csv(headers, rows), f"{name}.csv")
    return attachment(sheets.to_xlsx(title, headers, rows, widths=widths), f"{name}.xlsx")
