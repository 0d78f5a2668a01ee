"""Evidence files (tệp minh chứng): what may be attached to a report, a task or an activity.

Pure Python, no Django. A file is accepted when its name has an allowed suffix, it is not empty,
not larger than the limit, and its first bytes match its suffix (a renamed executable is refused).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

MAX_BYTES = 20 * 1024 * 1024
# An Office file is a zip package: what it unpacks to and how many parts it has are read from its directory
# before any part is opened (a 306 KB .docx can unpack to gigabytes). Real documents stay far below both.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ENTRIES = 5_000
PACKAGES = (".docx", ".xlsx", ".pptx", ".odt", ".ods")

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[tuple[bytes, ...], str]] = {
    ".pdf": ((b"%PDF",), "application/pdf"),
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": (_ZIP, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
    ".jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    ".zip": (_ZIP, "application/zip"),
    ".txt": ((), "text/plain; charset=utf-8"),
}


class FileRefused(ValueError):
    """The file cannot be kept; the message says why (Vietnamese)."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    suffix: str
    content_type: str
    size: int


def safe_name(filename: str) -> str:
    """A file name safe to store and to send back: no folders, no control characters, at most 120 characters."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[\"<>:|?*/]+", "_", name).strip(" .")
    if len(name) > 120:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:10]
        name = stem[: 120 - len(suffix)] + suffix
    return name or "tep"


def check_file(filename: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Accept an evidence file or raise :class:`FileRefused` with the reason."""
    name = safe_name(filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in SIGNATURES:
        allowed = ", ".join(sorted(SIGNATURES))
        raise FileRefused(f"Không nhận loại tệp này; chỉ nhận {allowed}.")
    if not data:
        raise FileRefused("Tệp rỗng, không có nội dung.")
    if len(data) > max_bytes:
        raise FileRefused(
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là {max_bytes // 1024 // 1024} MB."
        )
    signatures, content_type = SIGNATURES[suffix]
    if signatures and not data.startswith(signatures):
        raise FileRefused(f"Nội dung tệp không phải {suffix} như tên tệp.")
    if suffix in PACKAGES:
        check_package(data)
    if suffix == ".txt":
        if b"\x00" in data[:4096]:
            raise FileRefused("Tệp .txt có dữ liệu nhị phân.")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRefused("Tệp .txt phải ở bảng mã UTF-8.") from exc
    return CheckedFile(name=name, suffix=suffix, content_type=content_type, size=len(data))


def check_package(data: bytes, *, max_unpacked: int | None = None, max_entries: int | None = None) -> None:
    """Refuse (:class:`FileRefused`) an Office package that would unpack to more than ``max_unpacked`` bytes or has
    more than ``max_entries`` parts, from its directory alone. The sizes it declares are the ones read later: a part
    that unpacks to more than it declared fails its check instead of growing."""
    import zipfile  # only for packages: the engines' commands start without it

    limit = MAX_UNPACKED if max_unpacked is None else max_unpacked
    most = MAX_ENTRIES if max_entries is None else max_entries
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused("Tệp hỏng: không đọc được cấu trúc tệp Office.") from exc
    if len(parts) > most:
        raise FileRefused(f"Tệp có quá nhiều phần ({len(parts)}); giới hạn là {most}.")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise FileRefused(
            f"Tệp giải nén ra quá lớn ({unpacked / 1024 / 1024:.0f} MB); giới hạn là {limit // 1024 // 1024} MB."
        )
