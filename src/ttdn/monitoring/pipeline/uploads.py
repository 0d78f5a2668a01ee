"""A story from an uploaded file (tin từ tệp): a saved web page (.html), a text (.txt), a Word file (.docx) or a
PDF (.pdf), read to a title, a text and, where the file says, the date it was published.

A file is refused with its reason (Vietnamese) when its kind is not one of these, it is empty or too large, its
bytes are not what its name says, a Word package would unpack to too much, or nothing readable is in it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import PurePath

from ttdn.core.files import FileRefused, check_package, safe_name
from ttdn.documents.extract import ExtractError, extract_text
from ttdn.monitoring.pipeline.extract import one_line
from ttdn.monitoring.pipeline.pages import VIETNAM, Page, PageError, read_page

SUFFIXES = (".html", ".htm", ".txt", ".docx", ".pdf")
MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024  # a .docx of news unpacks to a few MB; a zip bomb to gigabytes
MAX_PDF_PAGES = 300
MAX_TEXT = 200_000  # characters kept of a file's text (the pipeline keeps no more of a story)


def read_upload(filename: str, data: bytes, *, today: dt.date | None = None) -> Page:
    """The story in an uploaded file, or :class:`FileRefused` with the reason."""
    name = safe_name(filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileRefused("Không nhận loại tệp này; chỉ nhận " + ", ".join(SUFFIXES) + ".")
    if not data:
        raise FileRefused("Tệp rỗng, không có nội dung.")
    if len(data) > MAX_BYTES:
        raise FileRefused(
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là {MAX_BYTES // 1024 // 1024} MB."
        )
    try:
        if suffix in (".html", ".htm"):
            page = read_page(data, today=today)
        else:
            page = _document(suffix, data)
    except PageError as exc:
        raise FileRefused(str(exc)) from exc
    if not page.title:
        raise FileRefused("Không đọc được nội dung nào trong tệp.")
    return Page(page.title, page.text[:MAX_TEXT], page.published, page.site)


def _split(text: str) -> tuple[str, str]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "", ""
    return one_line(lines[0], 500), "\n".join(lines[1:])


def _document(suffix: str, data: bytes) -> Page:
    """A text, Word file or PDF: its text as the registry of documents reads it (paragraphs and tables in their
    order, every page), its first line the title unless the file declares one, its creation date."""
    if suffix == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            raise FileRefused("Nội dung tệp không phải .docx như tên tệp.")
        check_package(data, max_unpacked=MAX_UNPACKED, max_entries=2_000)
    elif suffix == ".pdf" and not data.startswith(b"%PDF"):
        raise FileRefused("Nội dung tệp không phải .pdf như tên tệp.")
    declared, created = _declared(suffix, data)
    try:
        text = extract_text(f"tep{suffix}", data, max_bytes=MAX_BYTES)
    except ExtractError as exc:
        raise FileRefused(str(exc)) from exc
    title, body = _split(text[: MAX_TEXT * 2])
    if declared and declared != title and declared.lower() not in ("untitled", "microsoft word"):
        title, body = declared, "\n".join(x for x in (title, body) if x)
    return Page(title, body, created)


def _declared(suffix: str, data: bytes) -> tuple[str, dt.datetime | None]:
    """The title and creation time a Word file or PDF declares ("", None when it declares none or cannot be
    read: the text's reading then says what is wrong)."""
    try:
        if suffix == ".docx":
            import docx

            properties = docx.Document(io.BytesIO(data)).core_properties
            title, created = properties.title or "", properties.created
            zone = dt.UTC  # Word keeps its times in UTC
        elif suffix == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                return "", None
            if len(reader.pages) > MAX_PDF_PAGES:
                raise FileRefused(f"Tệp PDF có {len(reader.pages)} trang; giới hạn là {MAX_PDF_PAGES} trang.")
            info = reader.metadata
            title, created = (str(info.title or ""), info.creation_date) if info else ("", None)
            zone = VIETNAM
        else:
            return "", None
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 (a broken file's metadata: the text's reading reports the file)
        return "", None
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=zone)
    return one_line(title, 500), created
