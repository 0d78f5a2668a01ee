"""A story from an uploaded file (tin từ tệp): a saved web page (.html), a text (.txt), a Word file (.docx) or a
PDF (.pdf), read to a title, a text and, where the file says, the date it was published.

A file is refused with its reason (Vietnamese) when its kind is not one of these, it is empty or too large, its
bytes are not what its name says, a Word package would unpack to too much, or nothing readable is in it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import PurePath

from ttdn.core.files import FileRefused, check_package, safe_name
from ttdn.monitoring.pipeline.extract import one_line
from ttdn.monitoring.pipeline.pages import VIETNAM, Page, PageError, decode_html, read_page

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
        elif suffix == ".txt":
            page = _text(data)
        elif suffix == ".docx":
            page = _docx(data)
        else:
            page = _pdf(data)
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


def _text(data: bytes) -> Page:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:4096]:
            raise FileRefused("Tệp .txt có dữ liệu nhị phân.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = decode_html(data)  # the bytes' likeliest encoding (Windows-1258, TCVN3 are rare now)
    title, body = _split(text)
    return Page(title, body, None)


def _docx(data: bytes) -> Page:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK\x03\x04"):
        raise FileRefused("Nội dung tệp không phải .docx như tên tệp.")
    check_package(data, max_unpacked=MAX_UNPACKED, max_entries=2_000)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise FileRefused("Tệp hỏng: không đọc được tệp Word.") from exc
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text for cell in row.cells))
    declared = one_line(document.core_properties.title or "", 500)
    title, body = _split("\n".join(paragraphs))
    if declared and declared != title:
        title, body = declared, "\n".join(x for x in (title, body) if x)
    created = document.core_properties.created
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)  # Word keeps its times in UTC
    return Page(title, body, created)


def _pdf(data: bytes) -> Page:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise FileRefused("Nội dung tệp không phải .pdf như tên tệp.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise FileRefused("Tệp PDF có mật khẩu; hãy gửi bản không khoá.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise FileRefused(f"Tệp PDF có {len(reader.pages)} trang; giới hạn là {MAX_PDF_PAGES} trang.")
        texts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            texts.append(text)
            size += len(text)
            if size > MAX_TEXT:
                break
        info = reader.metadata
        declared = one_line(str(info.title or ""), 500) if info else ""
        created = info.creation_date if info else None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FileRefused("Tệp hỏng: không đọc được tệp PDF.") from exc
    title, body = _split("\n".join(texts))
    if declared and declared.lower() not in ("untitled", "microsoft word") and declared != title:
        title, body = declared, "\n".join(x for x in (title, body) if x)
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=VIETNAM)
    return Page(title, body, created)
