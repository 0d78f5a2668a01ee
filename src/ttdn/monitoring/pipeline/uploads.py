"""A story from an uploaded file (tin từ tệp): a saved web page (.html), a text (.txt), a Word file (.docx) or a
PDF (.pdf), read to a title, a text and, where the file says, the date it was published.

A file is refused with its reason (Vietnamese) when its kind is not one of these, it is empty or too large, its
bytes are not what its name says, a Word package would unpack to too much, or nothing readable is in it."""

from __future__ import annotations

import datetime as dt
import io
import re
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
            page = _document(suffix, data, today)
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


DATE_CHARS = 600  # a byline's date is in the first lines
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,]+(?:lúc\s+)?(\d{1,2})[:hg](\d{2}))?")
_WORDS_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def date_in_text(text: str, today: dt.date | None = None) -> dt.datetime | None:
    """The first real day written in ``text`` (dd/mm/yyyy [hh:mm], "ngày 5 tháng 11 năm 2026", yyyy-mm-dd),
    day first as Vietnamese writes it, not after ``today`` nor before 1990; noon, Vietnam's time, when no hour
    is written."""
    latest = today or dt.date.today()
    found: list[tuple[int, dt.datetime]] = []
    for pattern, order in ((_DMY, "dmy"), (_WORDS_DATE, "dmy"), (_ISO, "ymd")):
        for match in pattern.finditer(text or ""):
            parts = match.groups()
            day, month, year = (
                (parts[0], parts[1], parts[2]) if order == "dmy" else (parts[2], parts[1], parts[0])
            )
            hour = parts[3] if len(parts) > 3 and parts[3] else None
            minute = parts[4] if len(parts) > 4 and parts[4] else None
            try:
                when = dt.datetime(
                    int(year), int(month), int(day), int(hour or 12), int(minute or 0), tzinfo=VIETNAM
                )
            except ValueError:
                continue
            if dt.date(1990, 1, 1) <= when.date() <= latest:
                found.append((match.start(), when))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _document(suffix: str, data: bytes, today: dt.date | None = None) -> Page:
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
    # A byline's date beats the file's own: a story saved to Word today was published when its text says.
    return Page(title, body, date_in_text(text[:DATE_CHARS], today) or created)


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
