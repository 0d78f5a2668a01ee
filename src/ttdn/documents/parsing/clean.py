"""Portal clutter: what legal-document websites wrap round a document's text.

Texts copied from portals carry menus, login prompts, an attribute table
("Thuộc tính": Số hiệu, Loại văn bản, Ngày ban hành...), related-news lists
and ads. ``clean`` keeps the document (header, body, signature, recipients,
appendices and the distribution list) and drops the rest; ``portal_attributes``
reads the attribute table, which is a useful fallback for a document whose
own header is missing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ttdn.core.text import fold, fold_lines

# Lines that are never part of a document (compared folded, whole line).
_NOISE_EXACT = {
    fold(s)
    for s in (
        "Bộ lọc tìm kiếm", "Tải văn bản", "Lưu trữ Góp ý", "Lưu trữ", "Góp ý", "Thuộc tính", "Nội dung", "Tiếng anh",
        "Lược đồ", "Đăng nhập", "Đang tải văn bản...", "Loading…", "Loading...", "Bạn Chưa Đăng Nhập Thành Viên!",
        "Hãy để chúng tôi hỗ trợ bạn!", "DMCA.com Protection Status", "Xem file đính kèm", "Đã xem:", "Đánh giá:",
        "Văn bản đang xem", "Yêu cầu cập nhật văn bản này", "Văn bản này chưa cập nhật nội dung Tiếng Anh",
        "Nội dung văn bản đang được cập nhật", "In", "Chia sẻ", "Theo dõi văn bản", "Tải về",
    )
}
_NOISE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^vi chua dang nhap\b",
        r"^ban chua xem duoc\b",
        r"^neu chua la thanh vien\b",
        r"^hay dang nhap hoac dang ky\b",
        r"^tu khoa so hieu\b",
        r"^ip \d+ \d+ \d+ \d+$",
        r"^van ban (duoc |bi )?(huong dan|hop nhat|sua doi bo sung|dinh chinh|thay the|dan chieu|can cu|lien quan ngon ngu|lien quan cung noi dung|goc|tieng anh)( \d+)?$",
        r"^(quang cao|advertisement)\b",
    )
]
# Where the portal's part begins after the document: everything from here on is dropped.
_TRAILERS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^tin lien quan$",
        r"^da xem$",
        r"^thuoc tinh (cong van|chi thi|quyet dinh|nghi dinh|nghi quyet|thong tu|ke hoach|van ban)\b",
        r"^luoc do\b",
        r"^van ban duoc huong dan \d+$",
        r"^noi dung van ban dang duoc cap nhat$",
        r"^ban chua dang nhap thanh vien$",
        r"^van ban nay chua cap nhat noi dung tieng anh$",
        r"^xem file dinh kem$",
    )
]
_ATTRIBUTE_LABELS = {
    "so hieu": "number",
    "loai van ban": "doc_type",
    "noi ban hanh": "issuer",
    "co quan ban hanh": "issuer",
    "nguoi ky": "signer",
    "ngay ban hanh": "issued_on",
    "ngay hieu luc": "effective_on",
}
_ATTRIBUTE_RE = re.compile(
    r"(Số hiệu|Loại văn bản|Nơi ban hành|Cơ quan ban hành|Người ký|Ngày ban hành|Ngày hiệu lực|Tình trạng(?: hiệu lực)?|Ngày công báo|Số công báo|Lĩnh vực|Cập nhật)\s*:?\s*",
)
_MOTTO = "cong hoa xa hoi chu nghia viet nam"
_SPACES = re.compile(" {2,}")
_LINE_EDGES = re.compile(" *\n *")
_NOISE_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _NOISE_PATTERNS), re.IGNORECASE)
_TRAILER_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _TRAILERS), re.IGNORECASE)
# Control and format characters, and lone surrogates (which cannot be stored as UTF-8).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb\ud800-\udfff]")


def normalise(text: str) -> str:
    """NFC, unified line ends and spaces, no control characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\t", " ")
    text = _CONTROL.sub("", text)
    return _LINE_EDGES.sub("\n", _SPACES.sub(" ", text)).strip(" ")


def is_noise(line: str, key: str | None = None) -> bool:
    key = fold(line) if key is None else key
    if not key:
        return False
    if key in _NOISE_EXACT:
        return True
    if line.lstrip().startswith(("•", "·")) and len(key) < 20:
        return True
    return _NOISE_ANY.search(key) is not None


def is_trailer(line: str, key: str | None = None) -> bool:
    key = fold(line) if key is None else key
    return bool(key) and _TRAILER_ANY.search(key) is not None


def is_motto(line: str, key: str | None = None) -> bool:
    return _MOTTO in (fold(line) if key is None else key)


@dataclass
class Cleaned:
    lines: list[str]
    start: int  # index in the original lines where the document begins
    has_header: bool
    attributes: dict[str, str] = field(default_factory=dict)
    title_lines: list[str] = field(default_factory=list)  # the portal's page title, before the document

    @property
    def text(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip()


def portal_attributes(lines: list[str]) -> dict[str, str]:
    """Read "Số hiệu: ... Loại văn bản: ..." pairs, with or without colons, in any line."""
    found: dict[str, str] = {}
    for line in lines:
        matches = list(_ATTRIBUTE_RE.finditer(line))
        if not matches or matches[0].start() != 0:
            continue
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = line[match.end():end].strip()
            label = _ATTRIBUTE_LABELS.get(fold(match.group(1)))
            if label and value and label not in found and not fold(value).startswith("da biet"):
                found[label] = value
    return found


def _header_start(lines: list[str], motto: int) -> int:
    """Walk back from the motto over the issuer's lines (upper case, or rules of dashes)."""
    start = motto
    i = motto - 1
    taken = 0
    while i >= 0 and taken < 6:
        line = lines[i]
        if not line:
            i -= 1
            continue
        letters = [c for c in line if c.isalpha()]
        dashes = set(line) <= set("-_=*. ")
        if dashes or (letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(line) < 90):
            start = i
            taken += 1
            i -= 1
            continue
        break
    return start


def clean(raw: str) -> Cleaned:
    normalised = normalise(raw)
    lines = normalised.split("\n")
    keys = fold_lines(normalised)
    attributes = portal_attributes(lines)
    motto = next((i for i, key in enumerate(keys) if _MOTTO in key), None)
    if motto is not None:
        start = _header_start(lines, motto)
        # The motto may share a line with the issuer (text extracted from a PDF).
        if start == motto and fold(lines[motto]).find(_MOTTO) > 0:
            start = motto
    else:
        start = next((i for i, line in enumerate(lines) if line and not is_noise(line, keys[i]) and not _ATTRIBUTE_RE.match(line)), len(lines))
    title_lines = [line for i, line in enumerate(lines[:start]) if line and not is_noise(line, keys[i]) and not _ATTRIBUTE_RE.match(line)]
    kept: list[str] = []
    for i in range(start, len(lines)):
        line, key = lines[i], keys[i]
        if not line:
            kept.append(line)
            continue
        if kept and is_trailer(line, key):
            break
        if is_noise(line, key) or (motto is None and _ATTRIBUTE_RE.match(line) and ":" in line[:20]):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return Cleaned(kept, start, motto is not None, attributes, title_lines)
