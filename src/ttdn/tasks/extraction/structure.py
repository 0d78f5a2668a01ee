"""The outline of a document (bố cục): its paragraphs as a tree of parts, articles, numbered items and bullets.

Pure Python, no Django. Input is normalised text, one paragraph a line (``documents.parsing.normalise``).
Each paragraph opens with a marker or none:

* parts and chapters ("Phần I", "Chương II"), articles ("Điều 5."), Roman parts ("II."), numbers ("1.",
  "1)"), sub-numbers ("3.1."), letters ("a)", "đ)", "a."), bullets ("-", "–", "+", "•", "*");
* a row of a table ("1 | Tổ chức hội nghị | Sở Ngoại vụ | ... "), or a table laid out one cell a line;
* no marker: a paragraph that continues the item above it, the body of a heading, or free prose.

Nesting is learnt from the document itself: a marker of a kind already open closes back to it (a sibling);
a marker of a new kind opens inside the current item. Parts, chapters, articles and Roman parts always
close what is below them, so a numbering that restarts under each article nests where it belongs. An
appendix title in capitals ("QUY CHẾ", "PHỤ LỤC") and the signing block close everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ttdn.core.text import fold
from ttdn.core.text import plain as _plain_text
from ttdn.documents.parsing.normalise import TITLE_TYPES_ALT, letter_counts


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """``core.text.plain``, remembered within a text (cleared by ``duties.extract``)."""
    return _plain_text(text)


_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(r"^(?:Phan|Chuong)\s+([IVXLC]{1,6}|\d{1,2})\b\s*[.:\-–]?\s*", re.I)),
    ("section", re.compile(r"^Muc\s+(\d{1,2}|[IVXLC]{1,5})\b\s*[.:\-–]?\s*", re.I)),
    ("article", re.compile(r"^Dieu\s+(\d{1,3}[a-z]?)\s*[.:\-–]?\s*", re.I)),
    ("roman", re.compile(r"^([IVXLC]{1,7})\s?[.)\-–:]\s*(?=\S|$)")),
    ("sub3", re.compile(r"^(\d{1,3}\.\d{1,3}\.\d{1,3})\.?\s+")),
    ("sub2", re.compile(r"^(\d{1,3}\.\d{1,3})\.?\s+")),
    ("num.", re.compile(r"^(\d{1,3})\s?[.:](?=\s|$|[^\d\s])\s*")),
    ("num)", re.compile(r"^\(?(\d{1,3})\)\s*")),
    ("letter", re.compile(r"^\(?([a-zđ])\)\s*")),
    ("letter.", re.compile(r"^([a-zđ])\.\s+")),
    ("dash", re.compile(r"^[-–—]\s*(?=\S)")),
    ("plus", re.compile(r"^\+\s*(?=\S)")),
    ("dot", re.compile(r"^[•·▪◦►✓❖➢→]\s*(?=\S)")),
    ("star", re.compile(r"^\*\s+(?=\S)")),
]
# Kinds that close everything below them when they are not open already (their rank: lower is higher).
_RANK = {"part": 0, "section": 1, "article": 2, "roman": 3}
BULLETS = frozenset({"dash", "plus", "dot", "star"})
NUMBERED = frozenset({"num.", "num)", "sub2", "sub3", "letter", "letter."})
HEADINGS = frozenset({"part", "section", "article", "roman"}) | NUMBERED
_APPENDIX_TITLE = re.compile(
    r"^(?:QUY CHE|QUY DINH|PHU LUC|DANH SACH|DANH MUC|KE HOACH|CHUONG TRINH|DE AN|HUONG DAN|BANG|BIEU)\b"
)
_ANNEX_NOTE = re.compile(r"^\(?\s*(?:Ban hanh\s+)?kem\s+theo\b", re.I)
_FURNITURE = re.compile(
    r"^(?:Noi nhan\b|(?:KT|TM|TL|TUQ|Q)\s?\.\s?\S|Luu\s*:|Nhu tren\b|\(?(?:da ky|ky boi)\b)", re.I
)
_NAME = re.compile(r"^(?:[A-ZĐÂĂÊÔƠƯ][^\s\d]*\s){1,5}[A-ZĐÂĂÊÔƠƯ][^\s\d]*$")
_POSITION = re.compile(
    r"^(?:PHO )?(?:CHU TICH|BO TRUONG|THU TRUONG|GIAM DOC|CHANH VAN PHONG|CUC TRUONG|VU TRUONG|TRUONG BAN|CHU NHIEM|THU TUONG|"
    r"TONG GIAM DOC|CHANH THANH TRA|THONG DOC|BI THU|TRUONG PHONG|TONG CUC TRUONG|VIEN TRUONG)\b"
)
# Column headings of a plan's activity table (matched folded).
_COLUMNS = {
    "stt": "number",
    "tt": "number",
    "so tt": "number",
    "so thu tu": "number",
    "noi dung": "content",
    "noi dung cong viec": "content",
    "noi dung nhiem vu": "content",
    "nhiem vu": "content",
    "hoat dong": "content",
    "ten nhiem vu": "content",
    "noi dung hoat dong": "content",
    "cong viec": "content",
    "ten hoat dong": "content",
    "nhiem vu giai phap": "content",
    "don vi chu tri": "lead",
    "co quan chu tri": "lead",
    "chu tri": "lead",
    "don vi thuc hien": "lead",
    "co quan thuc hien": "lead",
    "co quan don vi chu tri": "lead",
    "don vi chu tri thuc hien": "lead",
    "don vi phoi hop": "partners",
    "co quan phoi hop": "partners",
    "phoi hop": "partners",
    "co quan don vi phoi hop": "partners",
    "thoi gian": "time",
    "thoi gian thuc hien": "time",
    "thoi gian hoan thanh": "time",
    "thoi han": "time",
    "thoi han hoan thanh": "time",
    "tien do": "time",
    "thoi gian trinh": "time",
    "san pham": "product",
    "san pham du kien": "product",
    "ket qua": "product",
    "hinh thuc van ban": "product",
    "kinh phi": "budget",
    "du toan kinh phi": "budget",
    "nguon kinh phi": "budget",
    "ghi chu": "note",
}


@dataclass
class Node:
    """A paragraph of the outline with the paragraphs that belong to it."""

    kind: str  # a marker kind, "plain", "row" (a table row) or "root"
    label: str
    text: str  # the paragraph without its marker, continuations joined with "\n"
    start: int
    end: int
    children: list[Node] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # for a table row: column -> cell
    part: str = ""  # the appendix it belongs to ("Quy chế"), "" for the document itself
    continued: bool = False  # a plain paragraph was appended to this node's text
    closing: bool = False  # a closing paragraph of the document (after its last section)

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]

    def all_end(self) -> int:
        return max([self.end] + [c.all_end() for c in self.children])


def marker(paragraph: str, flat: str | None = None) -> tuple[str, str, int]:
    """(kind, label, length of the marker) of a paragraph; ("plain", "", 0) when it has none."""
    flat = plain(paragraph) if flat is None else flat
    for kind, pattern in _MARKERS:
        match = pattern.match(flat)
        if not match:
            continue
        if kind == "roman" and not _plausible_roman(match.group(1), flat, match.end()):
            continue
        if kind in ("letter", "letter.") and flat[:1].isupper():
            continue
        label = paragraph[match.start(1) : match.end(1)] if match.groups() else ""
        return kind, label, match.end()
    return "plain", "", 0


def _plausible_roman(numeral: str, flat: str, end: int) -> bool:
    """ "II. NỘI DUNG" is a part; "C. Nguyễn" or "V. Hùng" (an initial) is not."""
    if numeral in ("C", "L", "D", "M"):
        return False
    rest = flat[end : end + 40]
    return not rest or rest[:1].isupper() or rest[:1].isdigit()


def _is_upper(line: str) -> bool:
    upper, lower = letter_counts(line)
    return upper + lower >= 4 and upper >= 0.85 * (upper + lower)


def is_furniture(paragraph: str, flat: str | None = None) -> bool:
    """ "Nơi nhận", its list's last line, the signing block's lines: the document's furniture, never a duty."""
    flat = (plain(paragraph) if flat is None else flat).strip()
    if _FURNITURE.match(flat):
        return True
    return _is_upper(paragraph) and bool(_POSITION.match(flat.upper())) and len(paragraph) < 60


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.split(" | ")]


def _column(cell: str) -> str | None:
    key = fold(cell).replace(" ", " ")
    key = re.sub(r"\b(?:du kien|cu the)\b", "", key).strip()
    return _COLUMNS.get(key) or _COLUMNS.get(re.sub(r"\s*/.*$", "", key))


def _table_columns(cells: list[str]) -> list[str | None] | None:
    columns = [_column(c) for c in cells]
    known = [c for c in columns if c]
    return columns if len(known) >= 2 and ("content" in known or "lead" in known) else None


_RULE = re.compile(r"^[-_=.*~–—]{3,}$")
_HEADER_CUES = re.compile(
    r"^(?:CONG HOA XA HOI|Doc lap\s*-|So\s*(?:hieu)?\s*:|V/[vV]\b|Kinh gui\b|[^:]{3,60}\sdien\s*:\s*$|[^\d,;:]{2,40},\s*ngay\s+\d{1,2}\s+thang|"
    r"[^\d,;:]{2,40},\s*ngay\s+\d{1,2}/\d{1,2}/\d{4})",
    re.I,
)
_TYPE_TITLE = re.compile(r"^(?:" + TITLE_TYPES_ALT + r")\b")


def body_start(paragraphs: list[str], flats: list[str]) -> int:
    """Index of the first paragraph of the body: after the header (issuer, national title, number, place and
    date, type and title, "Kính gửi" and its list)."""
    last = -1
    in_title = False
    for i, (paragraph, flat) in enumerate(zip(paragraphs[:60], flats[:60])):
        stripped = paragraph.strip()
        if not stripped:
            continue
        if _RULE.match(flat) or _HEADER_CUES.match(flat):
            last = i
            in_title = bool(re.match(r"^(?:Kinh gui|[^:]{3,60}\sdien\s*:)", flat, re.I))
            continue
        numbered = marker(stripped, flat)[0] != "plain"
        if in_title and i == last + 1 and (stripped[:1] in "-–+•" or _is_upper(stripped) and not numbered):
            last = i
            continue
        if (
            _is_upper(stripped)
            and not numbered
            and (_TYPE_TITLE.match(flat.upper()) or i == last + 1 or last == -1 and i < 6)
        ):
            last = i
            in_title = True
            continue
        in_title = False
        if i > last + 2 and last >= 0:
            break
    return last + 1


def outline(text: str) -> Node:
    """The text's outline (see the module's docstring)."""
    root = Node("root", "", "", 0, len(text))
    stack: list[Node] = [root]
    offset = 0
    paragraphs = text.split("\n")
    flats = plain(text).split("\n")
    skip_to = body_start(paragraphs, flats)
    columns: list[str | None] | None = None
    pending_cells: list[str | None] | None = None  # columns of a table laid out one cell a line
    cell_row: Node | None = None
    cell_index = 0
    in_furniture = False
    part = ""
    for index, (paragraph, flat) in enumerate(zip(paragraphs, flats)):
        start, end = offset, offset + len(paragraph)
        offset = end + 1
        stripped = paragraph.strip()
        if not stripped or index < skip_to or _RULE.match(flat):
            continue
        # The signing block and "Nơi nhận" close the body; an appendix after them opens a new one.
        if is_furniture(stripped, flat) or (
            in_furniture
            and (_NAME.match(stripped) or stripped[:1] in "-–+•" or len(stripped) < 40)
            and not _APPENDIX_TITLE.match(flat.upper())
        ):
            in_furniture = True
            del stack[1:]
            columns = pending_cells = None
            cell_row = None
            continue
        if (
            _is_upper(stripped)
            and (_APPENDIX_TITLE.match(flat.upper().strip()) or in_furniture)
            or _ANNEX_NOTE.match(flat.strip("( "))
        ):
            if _is_upper(stripped):
                words = stripped.split()[:2]
                part = " ".join(words)[:1] + " ".join(words)[1:].lower() if words else ""
            in_furniture = False
            del stack[1:]
            columns = pending_cells = None
            cell_row = None
            continue
        in_furniture = False
        # Tables: a header row names the columns; each later row is an activity.
        if " | " in stripped:
            cells = _cells(stripped)
            found = _table_columns(cells)
            if found:
                columns = found
                continue
            if columns:
                row = Node("row", cells[0] if cells and cells[0].isdigit() else "", stripped, start, end)
                row.cells = {col: cell for col, cell in zip(columns, cells) if col and cell}
                (stack[-1] if stack[-1].kind != "row" else stack[-2]).children.append(row)
                continue
        else:
            columns = None
        # A table laid out one cell a line: its header cells first, then rows that each open with a number.
        column = _column(stripped) if len(stripped) < 50 else None
        if pending_cells is not None and cell_row is None and len(stripped) < 60 and not stripped.isdigit():
            pending_cells.append(
                column
            )  # a header cell (one the table vocabulary does not know is kept as None)
            continue
        if (
            column
            and pending_cells is None
            and index + 1 < len(paragraphs)
            and (column == "number" or _column(paragraphs[index + 1].strip() or "x"))
        ):
            pending_cells = [column]
            cell_row = None
            continue
        if pending_cells:
            if stripped.isdigit() and len(stripped) <= 3:
                cell_row = Node("row", stripped, stripped, start, end)
                cell_index = 1 if pending_cells[0] == "number" else 0
                parent = next(n for n in reversed(stack) if n.kind != "row")
                parent.children.append(cell_row)
                continue
            if cell_row is not None and cell_index < len(pending_cells):
                col = pending_cells[cell_index]
                cell_index += 1
                if col:
                    cell_row.cells[col] = stripped
                cell_row.text += "\n" + stripped
                cell_row.end = end
                continue
            pending_cells = None
            cell_row = None
        kind, label, length = marker(stripped, flat)
        body = stripped[length:].strip()
        node = Node(
            kind, label, body, start + (len(paragraph) - len(paragraph.lstrip())) + length, end, part=part
        )
        if kind == "plain":
            _attach_plain(stack, node)
            continue
        open_kinds = [n.kind for n in stack]
        if kind in open_kinds:
            while stack[-1].kind != kind:
                stack.pop()
            stack.pop()
        elif kind in _RANK:
            while len(stack) > 1 and (stack[-1].kind not in _RANK or _RANK[stack[-1].kind] >= _RANK[kind]):
                stack.pop()
        elif stack[-1].kind == "plain" and stack[-1].closing:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root


_CLOSING = re.compile(
    r"^(?:[^.]{0,80}\bthong bao (?:de|cho)\b.{0,250}\bbiet\b|tren day la|trong qua trinh (?:trien khai )?(?:to chuc )?thuc hien|qua trinh thuc hien|de nghi cac\b.{0,120}\b"
    r"(?:khan truong|nghiem tuc)|(?:chu tich |uy ban nhan dan |ubnd |bo |so |van phong )?[^.]{0,60}\byeu cau\b.{0,200}"
    r"(?:nghiem tuc|thuc hien tot|trien khai thuc hien)\b.{0,80}(?:chi thi|ke hoach|quyet dinh|cong van|van ban) nay)",
    re.I,
)
_ASKS = re.compile(r"\b(?:tran trong de nghi|rat mong|kinh de nghi)\b", re.I)
_CONTINUES = re.compile(
    r"^(?:dong thoi|trong do|ngoai ra|ben canh do|rieng|doi voi|sau khi|truong hop)\b", re.I
)


def _attach_plain(stack: list[Node], node: Node) -> None:
    """A paragraph without a marker: the body of a heading, the continuation of an item, or free prose."""
    top = stack[-1]
    flat = plain(node.text)
    if top.kind == "root":
        top.children.append(node)
        stack.append(node)
        return
    if (
        _ASKS.search(flat)
        and top.kind not in ("root", "plain")
        and not (top.kind in HEADINGS and _heads(top))
    ):
        del stack[1:]  # "Bộ Nội vụ ... rất mong Quý cơ quan phối hợp ...": back to the letter's own voice
        stack[0].children.append(node)
        stack.append(node)
        return
    if (
        _CLOSING.match(flat)
        and top.kind != "article"
        and not (top.kind in HEADINGS and not top.children and not top.continued)
    ):
        node.closing = True
        del stack[1:]
        stack[0].children.append(node)
        stack.append(node)
        return
    if top.kind == "plain":
        if top.closing or (
            not _CONTINUES.match(flat)
            and not flat[:1].islower()
            and len(stack) > 2
            and stack[-2].kind != "root"
        ):
            stack.pop()
            stack[-1].children.append(node)
            stack.append(node)
            return
        if len(stack) == 2:  # free prose at the top: one paragraph each
            stack.pop()
            stack[0].children.append(node)
            stack.append(node)
            return
    if top.kind in HEADINGS and _heads(top) and not _CONTINUES.match(flat) and not flat[:1].islower():
        top.children.append(node)
        stack.append(node)
        return
    top.text += "\n" + node.text
    top.end = node.end
    top.continued = True


def _heads(node: Node) -> bool:
    """Whether a numbered paragraph reads as a heading over what follows (not an item that goes on)."""
    text = node.text.strip()
    if node.children and all(c.kind == "plain" for c in node.children):
        return True
    if node.children or node.continued:
        return False
    if text.endswith(":"):
        return True
    words = text.split()
    return len(words) <= 25 and not text.endswith((".", ";", "./.", ".)"))
