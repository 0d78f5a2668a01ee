"""Evidence-file checks (core/files.py): suffix, emptiness, size, content matching the name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.core.files import FileRefused, check_file, safe_name


def _package() -> bytes:
    """The smallest zip package, as a .docx is."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("a.pdf", b"%PDF-1.4", "application/pdf"),
        (
            "b.DOCX",
            _package(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("ảnh.jpg", b"\xff\xd8\xff\xe0", "image/jpeg"),
        ("ghi chú.txt", "Nội dung".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_accepts(name: str, data: bytes, content_type: str) -> None:
    assert check_file(name, data).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.exe", b"MZ", "Không nhận loại tệp"),
        ("a.pdf", b"", "rỗng"),
        ("a.pdf", b"MZ\x90", "không phải .pdf"),
        ("a.txt", b"\x00\x01", "nhị phân"),
        ("a.txt", b"ch\xe0o", "UTF-8"),
        ("a.pdf", b"%PDF" + b"x" * 30, "quá lớn"),
    ],
)
def test_refuses(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(FileRefused, match=reason):
        check_file(name, data, max_bytes=20)


def test_safe_name() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\a\\Báo cáo.pdf") == "Báo cáo.pdf"
    assert safe_name('x<>:"|?*.pdf') == "x_.pdf"
    assert len(safe_name("a" * 300 + ".pdf")) == 120 and safe_name("a" * 300 + ".pdf").endswith(".pdf")
    assert safe_name("") == "tep"


@given(st.text(max_size=200))
def test_safe_name_never_leaves_a_folder_or_control_character(name: str) -> None:
    cleaned = safe_name(name)
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and len(cleaned) <= 120
    assert all(ord(ch) >= 32 for ch in cleaned) and cleaned not in (".", "..")


@given(st.text(max_size=40), st.binary(max_size=64))
def test_check_file_accepts_or_explains(name: str, data: bytes) -> None:
    try:
        checked = check_file(name, data)
    except FileRefused as exc:
        assert str(exc)
        return
    assert checked.size == len(data) > 0


def test_a_broken_office_package_is_refused() -> None:
    with pytest.raises(FileRefused, match="Tệp hỏng"):
        check_file("b.docx", b"PK\x03\x04rest")
