"""Text out of an uploaded file: .txt, .docx (python-docx), .pdf (pypdf). Pure Python, no Django.

Refuses, with a message for the user, what is empty, binary, too large, of
another type than its name says, or without text.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from ttdn.core.files import FileRefused, check_package

MAX_BYTES = 10 * 1024 * 1024
SUFFIXES = (".txt", ".docx", ".pdf")


class ExtractError(ValueError):
    """The file cannot be read as a document; the message says why (Vietnamese)."""


def extract_text(filename: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if not data:
        raise ExtractError("Tệp rỗng, không có nội dung.")
    if len(data) > max_bytes:
        raise ExtractError(
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là {max_bytes // 1024 // 1024} MB."
        )
    if suffix not in SUFFIXES:
        raise ExtractError("Chỉ nhận tệp .txt, .docx hoặc .pdf.")
    if suffix == ".txt":
        text = _text(data)
    elif suffix == ".docx":
        text = _docx(data)
    else:
        text = _pdf(data)
    if not text.strip():
        raise ExtractError("Tệp không có chữ để đọc (có thể là bản chụp; hãy dùng bản có lớp chữ).")
    return text


def _text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExtractError("Tệp văn bản hỏng (UTF-16 không hợp lệ).") from exc
    if b"\x00" in data[:4096] or data.startswith(
        (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")
    ):
        raise ExtractError("Tệp không phải văn bản thuần (có dữ liệu nhị phân).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise ExtractError("Không đọc được bảng mã của tệp; hãy lưu lại dưới dạng UTF-8.") from exc


def _docx(data: bytes) -> str:
    if not data.startswith(b"PK\x03\x04"):
        raise ExtractError("Tệp .docx không hợp lệ (không phải tệp Word).")
    try:
        check_package(data)
    except FileRefused as exc:
        raise ExtractError(str(exc)) from exc
    import zipfile  # here, not at the top: a text file's parse does without it (``ttdn docs parse``'s start)

    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractError("Tệp .docx hỏng hoặc không phải tệp Word.") from exc
    except Exception as exc:  # python-docx raises its own errors for broken packages
        raise ExtractError("Tệp .docx hỏng hoặc không phải tệp Word.") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(node.text or "" for node in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for cell in child.iter(qn("w:tc")):
                for paragraph in cell.iter(qn("w:p")):
                    lines.append("".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
    return "\n".join(lines)


def _pdf(data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise ExtractError("Tệp .pdf không hợp lệ.")
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractError("Tệp .pdf có mật khẩu; hãy gỡ mật khẩu trước khi nhập.")
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except ExtractError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractError("Tệp .pdf hỏng, không đọc được.") from exc
    except Exception as exc:  # malformed PDFs raise many kinds of errors
        raise ExtractError("Tệp .pdf hỏng, không đọc được.") from exc
