"""Where the document itself begins and ends in what arrived (tách văn bản khỏi trang web). Pure Python.

A portal wraps a document in menus, login prompts, an attribute table ("Số hiệu", "Loại văn bản",
"Ngày ban hành" ...), a news summary, related documents and adverts; a crawler keeps all of it. The
document is found by its own structure, not by a list of known menus:

* it **begins** at the issuing body's lines above the national title ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
  NAM"), or, for a text without that header, at its title line in capitals ("CHỈ THỊ", "KẾ HOẠCH ...")
  or its "Số: ..." line; what comes before is kept apart as the page's title lines, which still name
  the document when its header is lost;
* it **ends** after its closing: the signing block, "Nơi nhận" and its list, footnotes, and any
  appendix that follows (a heading in capitals, "Phụ lục", "(Kèm theo ...)"), which ends in turn at
  its own signing block or at the first line that is plainly not the document's: one that names the
  document itself by its number (a portal's page title or summary), an attribute-table label, or a
  stretch of lines that has none of the genre's shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ttdn.core.text import fold, plain
from ttdn.documents.parsing.normalise import (
    BULLET_RE,
    TITLE_TYPES_ALT,
    Normalised,
    _Map,
    is_upper_line,
    normalise,
)

_MOTTO = "cong hoa xa hoi chu nghia viet nam"
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
    r"(Số hiệu|Loại văn bản|Nơi ban hành|Cơ quan ban hành|Người ký|Ngày ban hành|Ngày hiệu lực|Tình trạng(?: hiệu lực)?|"
    r"Ngày công báo|Số công báo|Lĩnh vực|Cập nhật|Ban hành|Hiệu lực)\s*:?\s*",
)
_ATTRIBUTE_LINE = re.compile(
    r"^(?:so hieu|loai van ban|noi ban hanh|co quan ban hanh|nguoi ky|ngay ban hanh|ngay hieu luc|tinh trang(?: hieu luc)?|"
    r"ngay cong bao|so cong bao|linh vuc|cap nhat|ban hanh|hieu luc|tu khoa)\s*(?::|$)",
    re.IGNORECASE,
)
# Lines that are never part of a document, whatever the portal (compared folded, whole line): the common
# furniture of web pages. The document's own boundaries do the real work; these only keep a stray menu
# item inside the document's span out of its text.
_NOISE_EXACT = {
    fold(s)
    for s in (
        "Bộ lọc tìm kiếm",
        "Tải văn bản",
        "Lưu trữ Góp ý",
        "Lưu trữ",
        "Góp ý",
        "Thuộc tính",
        "Tiếng anh",
        "Lược đồ",
        "Đăng nhập",
        "Đang tải văn bản...",
        "Loading…",
        "Loading...",
        "Xem file đính kèm",
        "In",
        "Chia sẻ",
        "Tải về",
    )
}
# The web's own furniture after a document (any site): once the document has closed, one of these ends it.
_WEB_FURNITURE = re.compile(
    r"^(?:da xem|danh gia|luot xem|binh luan|chia se|in van ban|tai ve|tu khoa|tags?|tin lien quan|van ban lien quan|"
    r"bai viet lien quan|xem them|tin khac|cac tin khac|thuoc tinh|luoc do|noi dung van ban|van ban goc|van ban tieng anh)\b"
    r"\s*(?::|$|\s+(?:cong van|chi thi|quyet dinh|nghi dinh|ke hoach|thong tu|van ban)\b)",
    re.IGNORECASE,
)
# Words of a web page's interface, never of a document's appendix (matched folded).
_WEB_UI = re.compile(
    r"\b(?:dang nhap|dang xuat|tai khoan|click|bam vao day|xem chi tiet tai|tai ve|ban quyen|copyright|van ban nay chua|"
    r"noi dung tieng anh|quy khach|website|trang web|hotline|lien he quang cao|protection status|chia se len)\b"
)
_AUTHORITY = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\s?\.\s?\S")
_NOI_NHAN = re.compile(r"^\s*Noi nhan\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*(?:\[\d{1,3}\]|\(\d{1,3}\)\s|\d{1,3}\)\s)")
_RULE = re.compile(r"^[-_=.*~–—]{3,}$")
_CLOSING = re.compile(r"(?:\./\.|\./|/\.)\s*[\"”)]*$")
_APPENDIX = re.compile(
    r"^(?:PHU LUC|DANH SACH|BANG|BIEU|MAU|QUY CHE|QUY DINH|HUONG DAN|KE HOACH|CHUONG TRINH|DE AN|DIEU LE|NOI QUY|"
    r"PHUONG AN|DANH MUC|TONG HOP)\b"
)
_ANNEX_NOTE = re.compile(r"^\(?\s*(?:Ban hanh\s+)?(?:kem|km)\s+theo\b", re.IGNORECASE)
_SIGNED = re.compile(r"^\(?\s*(?:da ky|ky boi|ky ten|da ky va dong dau)\b", re.IGNORECASE)
_TITLE_TYPES = re.compile(r"^(?:" + TITLE_TYPES_ALT + r")\b", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^So\s*(?:hieu)?\s*:?\s*\d", re.IGNORECASE)


@dataclass
class Cleaned:
    """The document's paragraphs, where they came from, and what the page said round it."""

    lines: list[str]
    start: int  # index of the first paragraph of the document among the normalised paragraphs
    has_header: bool
    page_lines: list[str] = field(
        default_factory=list, repr=False
    )  # every paragraph of the page, for its attribute table
    title_lines: list[str] = field(default_factory=list)  # the page's title lines, before the document
    source: Normalised | None = None
    region: _Map | None = None  # the document's text back onto the normalised text
    flats: list[str] = field(default_factory=list, repr=False)  # ``plain`` of each of ``lines``
    _attributes: dict[str, str] | None = field(default=None, repr=False)

    @property
    def attributes(self) -> dict[str, str]:
        """The portal's attribute table (read on demand: only a document missing its own header needs it)."""
        if self._attributes is None:
            self._attributes = portal_attributes(self.page_lines)
        return self._attributes

    @property
    def flat(self) -> str:
        return "\n".join(self.flats)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def to_raw(self, offset: int) -> int:
        """An offset of ``text`` as an offset of the text as it arrived."""
        if self.source is None or self.region is None:
            return offset
        return self.source.to_raw(self.region.back(offset))

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            at = self.to_raw(start)
            return at, at
        return self.to_raw(start), self.to_raw(end - 1) + 1


def portal_attributes(lines: list[str]) -> dict[str, str]:
    """The portal's attribute table: "Số hiệu: ... Loại văn bản: ..." on one line, or a label and its value
    on two lines ("Số hiệu:" then "11299/VPCP-KGVX")."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines[:400]):
        matches = list(_ATTRIBUTE_RE.finditer(line))
        if not matches or matches[0].start() != 0:
            continue
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip()
            if (
                not value
                and i + 1 == len(matches)
                and index + 1 < len(lines)
                and not _ATTRIBUTE_RE.match(lines[index + 1])
            ):
                value = lines[index + 1].strip()
            label = _ATTRIBUTE_LABELS.get(fold(match.group(1)))
            if label and value and label not in found and not fold(value).startswith("da biet"):
                found[label] = value
    return found


def is_motto(line: str, key: str | None = None) -> bool:
    return _MOTTO in (fold(line) if key is None else key)


def is_noise(line: str, key: str | None = None) -> bool:
    key = fold(line) if key is None else key
    return bool(key) and key in _NOISE_EXACT


def _header_start(lines: list[str], motto: int) -> int:
    """Walk back from the national title over the issuer's lines (capitals, or rules of dashes)."""
    start = motto
    i = motto - 1
    taken = 0
    while i >= 0 and taken < 5:
        line = lines[i]
        if _RULE.match(line) or (
            is_upper_line(line) and len(line) < 120 and not _ATTRIBUTE_LINE.match(plain(line))
        ):
            start = i
            taken += 1
            i -= 1
            continue
        break
    return start


def _title_start(lines: list[str], flats: list[str]) -> int | None:
    """A text without the national title: its title line in capitals, or its "Số:" line."""
    for i, (line, flat) in enumerate(zip(lines[:200], flats[:200])):
        if _NUMBER_LINE.match(flat):
            return _header_start(lines, i)
        if is_upper_line(line) and _TITLE_TYPES.match(flat) and len(line) < 300:
            return _header_start(lines, i)
    return None


_SEPARATOR_SPACES = re.compile(r"\s*([/-])\s*")


class _OwnNumber:
    """Finds the document's own number in a line, spaces and diacritics aside (no pattern compiled per document)."""

    def __init__(self, number: str) -> None:
        self.key = re.sub(r"\s+", "", plain(number)).lower()

    def search(self, flat: str) -> bool:
        if not any(ch.isdigit() for ch in flat):
            return False
        compact = _SEPARATOR_SPACES.sub(r"\1", flat.lower())
        at = compact.find(self.key)
        while at != -1:
            before = compact[at - 1 : at]
            after = compact[at + len(self.key) : at + len(self.key) + 1]
            if not (before.isdigit() or before == "/") and not (after.isalnum() or after == "/"):
                return True
            at = compact.find(self.key, at + 1)
        return False


def _own_number_re(number: str | None) -> _OwnNumber | None:
    if not number or not number[:1].isdigit() or not re.search(r"[/-]", number):
        return None
    return _OwnNumber(number)


def _own_number(lines: list[str], flats: list[str], start: int) -> str | None:
    """The document's number as its "Số:" line (or its title) gives it, for spotting the portal's restatements."""
    for line, flat in zip(lines[start : start + 40], flats[start : start + 40]):
        match = re.match(r"^So\s*(?:hieu)?\s*:?\s*(\d{1,6}(?:/\d{4})?[/-]\S+)", flat, re.IGNORECASE)
        if match:
            return line[match.start(1) : match.end(1)].rstrip(".,;")
    return None


class _Keys:
    """The folded form of each paragraph, made when first asked for (most paragraphs never need one)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cache: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        if i not in self.cache:
            self.cache[i] = fold(self.lines[i])
        return self.cache[i]


def _noise(lines: list[str], keys: _Keys, i: int) -> bool:
    """``is_noise`` without folding a long paragraph (the web's furniture is short)."""
    return len(lines[i]) < 60 and is_noise(lines[i], keys[i])


class _Walker:
    """Reads paragraphs after the document's start and says where it ends."""

    def __init__(
        self, lines: list[str], flats: list[str], keys: _Keys, start: int, own: _OwnNumber | None
    ) -> None:
        self.lines, self.flats, self.keys, self.start, self.own = lines, flats, keys, start, own
        self._upper: dict[int, bool] = {}

    def upper(self, i: int) -> bool:
        if i not in self._upper:
            self._upper[i] = is_upper_line(self.lines[i])
        return self._upper[i]

    def _restates_itself(self, i: int) -> bool:
        flat = self.flats[i]
        if self.own is None or not self.own.search(flat):
            return False
        # "(Kèm theo Công văn số 212/BTTTT-TTĐN ngày ...)" heads an appendix; a page title does not say "kèm theo".
        return not _ANNEX_NOTE.match(flat.strip("* "))

    def _is_trailer(self, i: int, closed: bool, once_closed: bool) -> bool:
        flat = self.flats[i]
        if _noise(self.lines, self.keys, i):
            return True
        if once_closed and (
            self._restates_itself(i) or _WEB_FURNITURE.match(flat) or _WEB_UI.search(self.keys[i])
        ):
            return True
        if closed:
            return self._restates_itself(i) or bool(_ATTRIBUTE_LINE.match(flat))
        # Inside the body a page title that names the document ("Công văn 4240/UBND-VX năm 2025 ..."), or an
        # attribute table (two labels within a few lines), still ends it.
        if (
            self.own is not None
            and _TITLE_TYPES.match(flat)
            and self.own.search(flat[:80])
            and not self.upper(i)
        ):
            return True
        if _ATTRIBUTE_LINE.match(flat):
            return any(
                _ATTRIBUTE_LINE.match(self.flats[j]) for j in range(i + 1, min(i + 4, len(self.flats)))
            )
        return False

    def _is_signing(self, i: int) -> bool:
        line, flat = self.lines[i], self.flats[i]
        return bool(
            _AUTHORITY.match(flat)
            or _SIGNED.match(flat)
            or (self.upper(i) and len(line) < 60 and _is_position(flat))
        )

    def _enacts(self, i: int) -> bool:
        """ "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CAO BẰNG" under a decision's title, then "Căn cứ ...": the authority
        that decides, not the signing block."""
        for j in range(i + 1, min(i + 4, len(self.flats))):
            if self.flats[j].strip():
                return bool(_GROUNDS.match(self.flats[j].strip("* ")))
        return False

    def _is_appendix(self, i: int) -> bool:
        line, flat = self.lines[i], self.flats[i].upper()
        if self.upper(i) and (_APPENDIX.match(flat) or _TITLE_TYPES.match(flat)) and len(line) < 400:
            return True
        if flat.startswith("PHU LUC") or _ANNEX_NOTE.match(self.flats[i].strip("* ")):
            return True
        if (
            re.match(r"^(?:DANH SACH|PHU LUC|BANG|BIEU MAU|DANH MUC)\b", flat)
            and len(line) < 150
            and not line.endswith((".", ";"))
        ):
            return True  # "Danh sách gửi công văn"
        # An appendix that repeats the issuing body's header above its own title.
        if self.upper(i) and len(line) < 120:
            for j in range(i + 1, min(i + 4, len(self.lines))):
                if self._is_appendix_title(j):
                    return True
        return False

    def _is_appendix_title(self, j: int) -> bool:
        flat = self.flats[j].upper()
        return self.upper(j) and bool(_APPENDIX.match(flat) or _TITLE_TYPES.match(flat))

    def end(self) -> int:
        """Index one past the document's last paragraph."""
        lines, n = self.lines, len(self.lines)
        closed = False  # the body has closed ("./.", the signing block or "Nơi nhận")
        once_closed = False  # the main body has closed (an appendix may be open again)
        in_cc = False
        in_notes = False
        last = self.start
        i = self.start
        while i < n:
            line, flat = lines[i], self.flats[i]
            if (
                i > self.start
                and self._is_trailer(i, closed, once_closed)
                and not (in_cc and BULLET_RE.match(line))
            ):
                if not closed and _noise(self.lines, self.keys, i):
                    i += 1
                    continue  # a stray menu item inside the body: dropped from the text later
                break
            if not closed:
                if _NOI_NHAN.match(flat):
                    closed, in_cc = True, True
                elif (
                    self._is_signing(i)
                    and i > self.start + 3
                    and not self._enacts(i)
                    or _CLOSING.search(line)
                ):
                    closed = True
                once_closed = once_closed or closed
                last = i + 1
                i += 1
                continue
            # After the closing: only the furniture of the genre, footnotes and appendices.
            if _NOI_NHAN.match(flat):
                in_cc, in_notes = True, False
            elif in_cc and (
                BULLET_RE.match(line)
                or not self.upper(i)
                and not self._is_signing(i)
                and len(line) < 200
                and not _FOOTNOTE.match(line)
                and not self._is_appendix(i)
            ):
                pass
            elif self._is_signing(i) or _looks_like_name(line) or _RULE.match(line):
                in_cc = False
            elif _FOOTNOTE.match(line):
                in_cc, in_notes = False, True
            elif in_notes and not self.upper(i):
                pass
            elif self._is_appendix(i):
                in_cc = in_notes = False
                closed = False  # the appendix is a body of its own, read to its own closing
            elif self._furniture_ahead(i):
                pass  # a typist's mark between "Nơi nhận" and the signing block
            else:
                break
            last = i + 1
            i += 1
        return last

    def _furniture_ahead(self, i: int) -> bool:
        line = self.lines[i]
        if len(line) > 60:
            return False
        for j in range(i + 1, min(i + 3, len(self.lines))):
            if self._is_signing(j) or _NOI_NHAN.match(self.flats[j]):
                return True
        return False


_GROUNDS = re.compile(r"^(?:Can cu|Theo de nghi|Xet|Thuc hien|Tren co so)\b", re.IGNORECASE)
_POSITIONS = re.compile(
    r"^(?:PHO )?(?:CHU TICH|BO TRUONG|THU TRUONG|GIAM DOC|CHANH VAN PHONG|CUC TRUONG|VU TRUONG|TRUONG BAN|CHU NHIEM|THU TUONG|"
    r"TONG GIAM DOC|CHANH THANH TRA|THONG DOC|BI THU|TRUONG PHONG|TONG CUC TRUONG|VIEN TRUONG|TONG THANH TRA|TONG BI THU|"
    r"CHI CUC TRUONG|HIEU TRUONG|GIAM DOC SO)\b"
)


def _is_position(flat: str) -> bool:
    return bool(_POSITIONS.match(flat.upper().strip(" ,.")))


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 6
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not any(c.isdigit() for c in line)
    )


def clean(raw: str) -> Cleaned:
    """The document's own paragraphs out of a page (see the module's docstring)."""
    source = normalise(raw)
    lines = source.paragraphs
    flats = source.flat.split("\n") if source.text else []
    keys = _Keys(lines)
    motto = next((i for i, flat in enumerate(flats) if _MOTTO in flat.lower()), None)
    if motto is not None:
        start = _header_start(lines, motto)
    else:
        found = _title_start(lines, flats)
        start = (
            found
            if found is not None
            else next(
                (
                    i
                    for i, line in enumerate(lines)
                    if line and not _noise(lines, keys, i) and not _ATTRIBUTE_LINE.match(flats[i])
                ),
                len(lines),
            )
        )
    title_lines = [
        line
        for i, line in enumerate(lines[:start])
        if not _noise(lines, keys, i) and not _ATTRIBUTE_LINE.match(flats[i])
    ][-8:]
    own_number = _own_number(lines, flats, start)
    own = _own_number_re(own_number or portal_attributes(lines).get("number"))
    end = _Walker(lines, flats, keys, start, own).end() if start < len(lines) else start
    kept: list[str] = []
    kept_flats: list[str] = []
    region = _Map()
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    npos = 0
    for i in range(start, end):
        line = lines[i]
        if _noise(lines, keys, i) or (
            motto is None and _ATTRIBUTE_LINE.match(flats[i]) and ":" in line[:20] and i < start + 3
        ):
            continue
        if kept:
            region.add(npos, offsets[i] - 1, False)
            npos += 1
        region.add(npos, offsets[i], True)
        kept.append(line)
        kept_flats.append(flats[i])
        npos += len(line)
    return Cleaned(kept, start, motto is not None, lines, title_lines, source, region, kept_flats)
