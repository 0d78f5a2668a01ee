"""Normalisation before reading (chuẩn hoá văn bản): one place, pure Python, linear in the input.

Documents arrive as a legal portal's page, a crawler's dump, text extracted from a PDF or pasted from an
e-mail. The same document then comes hard-wrapped at some width or one paragraph a line, with
Markdown or HTML emphasis (``**KT. CHỦ TỊCH**``), table pipes round its header cells, CRLF, non-breaking
and zero-width spaces, soft hyphens and decomposed diacritics. ``normalise`` gives one text for all of
them: NFC, one kind of space and line end, no markup, and **one paragraph a line**, the hard-wrapped
lines rejoined by the genre's own cues:

* a paragraph ends at a blank line or a table cell's edge;
* a new one starts at a numbering ("1.", "1.2.", "a)", "II.", "Điều 5.", "Chương II"), a bullet
  ("-", "–", "+", "•", "*"), a label ("Nơi nhận", "Kính gửi", "Căn cứ", "Số:", "V/v"), a signing
  prefix ("KT.", "TM.", ...), a line in capitals after one in normal case and the other way round;
* a line that ends mid-sentence continues on the next, as does a line that starts in lower case, an
  emphasis left open at the end of a line, a numbering alone on its line;
* in a hard-wrapped text a line after which the next word would still have fitted ends its paragraph.

Every character of the result knows where it came from: ``Normalised.to_raw`` maps offsets back to the
original text, so a clause found in the normalised text is highlighted in the text as it arrived.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from ttdn.core.text import plain

__all__ = ["Normalised", "normalise", "is_upper_line", "NUMBERING_RE", "BULLET_RE"]


_Replace = Callable[[re.Match[str]], str]


@dataclass
class _Map:
    """Offsets of a derived text back to its source: segments that copy, or that replaced a span."""

    new: list[int] = field(default_factory=lambda: [0])
    old: list[int] = field(default_factory=lambda: [0])
    copy: list[bool] = field(default_factory=lambda: [True])

    def add(self, new: int, old: int, copy: bool) -> None:
        if self.new[-1] == new:
            self.old[-1], self.copy[-1] = old, copy
        else:
            self.new.append(new)
            self.old.append(old)
            self.copy.append(copy)

    def back(self, offset: int) -> int:
        i = bisect_right(self.new, offset) - 1
        if i < 0:
            return 0
        return self.old[i] + (offset - self.new[i]) if self.copy[i] else self.old[i]


@dataclass
class Normalised:
    """The normalised text, one paragraph a line, and the way back to the raw text."""

    text: str
    raw: str
    maps: list[_Map] = field(default_factory=list, repr=False)
    flat: str = field(default="", repr=False)  # ``plain(text)``: the same offsets, no diacritics

    def to_raw(self, offset: int) -> int:
        for m in reversed(self.maps):
            offset = m.back(offset)
        return max(0, min(offset, len(self.raw)))

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """A span of the normalised text as a span of the raw text (covering what the span came from)."""
        if end <= start:
            at = self.to_raw(start)
            return at, at
        return self.to_raw(start), self.to_raw(end - 1) + 1

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.text else []


def _sub(
    pattern: re.Pattern[str], repl: str | None, text: str, *, func: _Replace | None = None
) -> tuple[str, _Map]:
    """``pattern.sub`` that also returns how the result maps back onto ``text``."""
    out: list[str] = []
    mapping = _Map()
    pos = npos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        if start > pos:
            out.append(text[pos:start])
            npos += start - pos
        value = func(match) if func is not None else (repl or "")
        if value:
            mapping.add(npos, start, len(value) == end - start)
            out.append(value)
            npos += len(value)
        mapping.add(npos, end, True)
        pos = end
    if not out:
        return text, mapping
    out.append(text[pos:])
    return "".join(out), mapping


# Stage 1: characters.
_COMBINING = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+", re.DOTALL)
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_BLOCK_TAG = re.compile(
    r"<\s*(?:br|/?p|/?div|/?tr|/?li|/?h[1-6]|/?table|/?ul|/?ol)\b[^<>\n]{0,200}>", re.IGNORECASE
)
_CELL_TAG = re.compile(r"<\s*/?t[dh]\b[^<>\n]{0,200}>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"<\s*/?(?:b|i|u|s|em|strong|span|font|sup|sub|a|small|big|mark|o:p|abbr)\b[^<>\n]{0,300}>", re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
# Stage 2: markup.
_STRONG = re.compile(r"\*{2,}|(?<![_\w])__(?=[^\s_])|(?<=[^\s_])__(?![_\w])")
_STAR = re.compile(r"\*")
# "_Hà Nội, ngày 03 tháng 11 năm 2026_": italics by underscores, at the edges of words only (never inside a
# name like "ke_hoach_2026", never a line of underscores left for a signature).
_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])|(?<=[^\s_])_(?![\w_])")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}(?=[ \t]|$)", re.MULTILINE)
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:https?://|/)[^)\s]{0,500}\)")
_TABLE_RULE_LINE = re.compile(
    r"^[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$|^[ \t]*(?:\|[ \t]*)+$", re.MULTILINE
)
_EDGE_PIPES = re.compile(
    r"^[ \t]*(?:\|[ \t]*)+|(?:[ \t]*\|)+[ \t]*$", re.MULTILINE
)  # with the empty cells at the edges
_INNER_PIPE = re.compile(r"[ \t]*\|[ \t]*")
_MULTI_SPACE = re.compile(r" {2,}")
_LINE_EDGE_SPACE = re.compile(r"^ +| +$", re.MULTILINE)

# Line cues, matched on the line without diacritics (``plain``).
NUMBERING_RE = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3}){0,3}\)"
    r"|\d{1,3}(?:\.\d{1,3}){0,3}\s?[.:)](?=\s|$|[^\d\s])"
    r"|\d{1,3}\.\d{1,3}(?:\.\d{1,3}){0,2}(?=\s)"
    r"|\(?[a-zđ]\)(?=\s|$)|[a-zđ]\.(?=\s)"
    r"|[IVXLC]{1,7}\s?[.)\-–:](?=\s|$)"
    r"|(?:Dieu|Chuong|Muc|Phan|Phu luc)\s+[0-9IVXLC]{1,5}[a-z]?(?:\s?[.:\-–]|(?=\s|$))"
    r"|\[\d{1,3}\](?=\s))",
)
BULLET_RE = re.compile(r"^(?:[-–—•·▪◦►✓❖➢→]|\+|\*(?=\s))\s*(?=\S)")
_LABEL_RE = re.compile(
    r"^(?:Noi nhan|Kinh gui|Can cu\b|Xet\b|Theo de nghi|So\s*(?:hieu)?\s*:|V/[vV]\b|Ve viec\b|Dong kinh gui|Tran trong|"
    r"(?:KT|TM|TL|TUQ|Q)\s?\.\s?\S|Doc lap\s*-|CONG HOA XA HOI)",
    re.IGNORECASE,
)
_LABEL_ONLY_RE = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3}){0,3}\s?[.):]?|\(?[a-zđ]\)|[IVXLC]{1,7}\s?[.)]|(?:Dieu|Chuong|Muc|Phan|Phu luc)\s+[0-9IVXLC]{1,5}\.?"
    r"|So\s*(?:hieu)?\s*:?|[-–+•*]|Noi|Kinh gui\s*:?|V/[vV]|(?:KT|TM|TL|TUQ|Q)\s?\.)$",
    re.IGNORECASE,
)
_RULE_RE = re.compile(r"^[-_=.*~–—]{3,}$")
_SIGNING_RE = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\s?\.\s")
_BODY_WORDS = re.compile(
    r"^(?:BO|SO|CUC|VU|BAN|UY BAN|UBND|VAN PHONG|TRUNG TAM|CHI CUC|PHONG|DANG UY|TINH UY|THANH UY|HOI DONG|TONG CUC|VIEN|"
    r"TRUONG|BENH VIEN|BAO|DAI|CONG AN|BO CHI HUY|THANH TRA|KHO BAC|NGAN HANG|TOA AN|HOC VIEN|TONG CONG TY|CONG TY)\b"
)
_POSITION_WORDS = re.compile(
    r"^(?:PHO )?(?:CHU TICH|BO TRUONG|THU TRUONG|GIAM DOC|CHANH VAN PHONG|CUC TRUONG|VU TRUONG|TRUONG BAN|CHU NHIEM|"
    r"THU TUONG|TONG GIAM DOC|CHANH THANH TRA|THONG DOC|BI THU|TRUONG PHONG|TONG CUC TRUONG|VIEN TRUONG)\b"
)
_OPEN_END = re.compile(r"(?:\b(?:VA|CUA|VE|CHO|TAI|VOI|TREN|DUOI|THEO|CAC|NHAN|VIEC)|[,&\-–])$")
# Words a sentence or a heading never ends on: a line ending on one goes on (matched without diacritics).
_OPEN_WORD_END = re.compile(
    r"(?:^|\s)(?:cua|va|voi|ve|tai|theo|cho|cac|nhung|duoc|la|de|trong|tu|den|do|bang|hoac|nham|doi|tren|giua|khi|neu|"
    r"thi|ma|da|dang|se|phai|can|so|ngay|thang|nhu|cung|hay|bao gom|gom|thuoc|vao|ra|qua|tung|moi|mot)$",
    re.IGNORECASE,
)
_UNIT_END = re.compile(
    r"(?:^|\s)(?:nam|quy|khoan|dieu|diem|muc|lan|doan|chuong|phan|phu luc|tiet|bieu|mau|so)$", re.IGNORECASE
)
_TERMINAL = re.compile(r"(?:[.;!?…]|\./\.|\.\)|;\)|\./)[\"”’)]*$")
# The kinds of document whose name, in capitals, titles one (without diacritics): one list for every engine.
TITLE_TYPES = (
    "NGHI QUYET",
    "QUYET DINH",
    "CHI THI",
    "QUY CHE",
    "QUY DINH",
    "THONG CAO",
    "THONG BAO",
    "HUONG DAN",
    "CHUONG TRINH",
    "KE HOACH",
    "PHUONG AN",
    "DE AN",
    "DU AN",
    "BAO CAO",
    "BIEN BAN",
    "TO TRINH",
    "HOP DONG",
    "CONG DIEN",
    "GIAY MOI",
    "NGHI DINH",
    "THONG TU",
    "KET LUAN",
    "CONG VAN",
    "LUAT",
)
TITLE_TYPES_ALT = "|".join(TITLE_TYPES)
_TYPE_TITLES = re.compile(
    r"^(?:"
    + TITLE_TYPES_ALT
    + r"|THONG TU LIEN TICH|PHAP LENH|PHU LUC|DANH SACH|THONG BAO KET LUAN)\s*(?:[IVXLC\d]{1,5})?\s*:?$"
)


_UPPER_CHARS = re.compile(
    "[" + re.escape("".join(ch for ch in map(chr, range(0x41, 0x2000)) if ch.isupper())) + "]"
)
_LOWER_CHARS = re.compile(
    "[" + re.escape("".join(ch for ch in map(chr, range(0x61, 0x2000)) if ch.islower())) + "]"
)


def letter_counts(text: str) -> tuple[int, int]:
    """(capitals, small letters) of a text, by the regular-expression engine. Small letters are counted only as
    far as matters: past a fifth of the capitals (and five) the text is plainly not in capitals (every caller
    asks whether capitals make 80-85% of the letters), the count stops and the small letters are given as
    everything that is not a capital, an upper bound, so that sums over several lines stay on the safe side."""
    upper = len(_UPPER_CHARS.findall(text))
    cap = upper // 5 + 5
    lower = 0
    for _ in _LOWER_CHARS.finditer(text):
        lower += 1
        if lower > cap:
            return upper, len(text) - upper
    return upper, lower


def is_upper_line(line: str) -> bool:
    """A line in capitals (a heading, a header cell): mostly upper-case letters, more than an acronym."""
    upper, lower = letter_counts(line)
    return (
        upper + lower >= 5 and upper >= 0.85 * (upper + lower) and (" " in line.strip() or upper + lower >= 8)
    )


def _all_capitals(upper: int, lower: int) -> bool:
    """Capitals only, however short ("KẾT" before "LUẬN CỦA ..."): for the paragraph being built."""
    return upper + lower >= 2 and upper >= 0.85 * (upper + lower)


def _is_lower_start(line: str) -> bool:
    for ch in line:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
        if ch not in " \"'“‘(«[":
            return False
    return False


@dataclass
class _Line:
    text: str
    start: int  # offset in the stage-2 text
    flat: str
    blank: bool
    emphasis_open: bool = False  # an emphasis opened on this line (or before) is still open at its end
    first: bool = False  # first line of its paragraph as laid out (after a blank line or a cell edge)
    capitals: int = 0
    small: int = 0

    @property
    def upper(self) -> bool:
        """``is_upper_line`` from the letters counted once."""
        n = self.capitals + self.small
        return n >= 5 and self.capitals >= 0.85 * n and (" " in self.text.strip() or n >= 8)


def _emphasis_state(text: str) -> list[bool]:
    """For each line, whether a ``**`` or ``*`` emphasis is still open at its end.

    State is reset at blank lines and table-cell lines, and never carried over more than six lines, so
    a stray marker cannot glue a whole document together.
    """
    states: list[bool] = []
    strong = single = False
    carried = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped.strip("|* _"):
            states.append(False)
            strong = single = False
            carried = 0
            continue
        runs = re.findall(
            r"\*+", line[2:] if stripped.startswith("* ") and line.lstrip().startswith("* ") else line
        )
        for run in runs:
            # "**" toggles bold, "*" italics, "***" both; "****" closes one bold and opens the next.
            if (len(run) // 2) % 2 == 1:
                strong = not strong
            if len(run) % 2 == 1:
                single = not single
        if BULLET_RE.match(stripped) and stripped.startswith("* "):
            single = False  # a "* " bullet, not an emphasis
        open_now = strong or single
        carried = carried + 1 if open_now else 0
        if carried > 6:
            strong = single = False
            open_now = False
            carried = 0
        states.append(open_now)
    return states


def _characters(raw: str) -> tuple[str, list[_Map]]:
    maps: list[_Map] = []
    text = raw

    def step(pattern: re.Pattern[str], repl: str | None = None, func: _Replace | None = None) -> None:
        nonlocal text
        text, mapping = _sub(pattern, repl, text, func=func)
        if len(mapping.new) > 1:
            maps.append(mapping)

    if not unicodedata.is_normalized("NFC", text):
        step(_COMBINING, func=lambda m: unicodedata.normalize("NFC", m.group(0)))
        if not unicodedata.is_normalized("NFC", text):
            step(re.compile(r".+", re.DOTALL), func=lambda m: unicodedata.normalize("NFC", m.group(0)))
    step(_LINE_ENDS, "\n")
    step(_INVISIBLE, "")
    if ">" in text:
        quoted = len(_QUOTED.findall(text))
        if quoted >= 5 and quoted >= 0.3 * text.count("\n"):
            step(_QUOTE_MARKS, "")  # a document forwarded in an e-mail, "> " before each line
    if "    " in text or "\t" in text:
        text, mapping = _columns(text)
        if len(mapping.new) > 1:
            maps.append(mapping)
    step(_SPACES, " ")
    if "<" in text:
        step(_BLOCK_TAG, "\n")
        step(_CELL_TAG, " | ")
        step(_INLINE_TAG, "")
    if "&" in text:
        step(_ENTITY, func=lambda m: html.unescape(m.group(0)).replace("\u00a0", " "))
        step(_INVISIBLE, "")
    return text, maps


_QUOTED = re.compile(r"^[ \t]*>", re.MULTILINE)
_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+ ?", re.MULTILINE)

# Two columns side by side, as a PDF's text laid out keeps them or a table pasted with tabs: the issuer beside
# the national title, the number beside the place and date, "Nơi nhận" beside the signing block. A gutter is
# a tab, or four spaces or more with the right column from the 20th on, with a cell of words on its left.
_GUTTER = re.compile(r"(?<=\S)(?:[ ]*\t[ \t]*| {4,}[ \t]*)(?=\S)")
_RIGHT_FROM = 20


def _gutter(line: str) -> tuple[int, int] | None:
    """(end of the left cell, start of the right one) when the line is two cells, else None."""
    gaps = _GUTTER.findall(line, 0, 400) if len(line) < 400 else []
    if len(gaps) != 1:
        return None  # one column, or three and more (a table, read as it is)
    match = _GUTTER.search(line)
    assert match is not None
    left = line[: match.start()].strip()
    if len(left) < 6 or NUMBERING_RE.fullmatch(plain(left)):
        return None  # "1.<tab>Sở Nội vụ": a numbering and its item, not two columns
    if "\t" not in match.group(0) and len(line[: match.end()]) < _RIGHT_FROM:
        return None  # spaces: the right column stands well to the right (a tab between words says it itself)
    return match.start(), match.end()


def _columns(text: str) -> tuple[str, _Map]:
    """Each block of two-column lines as its left column, a blank line, then its right column: every line
    copied, in order within its column, so the map back to the raw text holds."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    gutters = [_gutter(line) for line in lines]
    mapping = _Map()
    out: list[str] = []
    npos = 0

    def emit(piece: str, old: int) -> None:
        nonlocal npos
        mapping.add(npos, old, True)
        out.append(piece)
        npos += len(piece)

    def newline(old: int) -> None:
        nonlocal npos
        mapping.add(npos, old, False)
        out.append("\n")
        npos += 1

    i, changed = 0, False
    while i < len(lines):
        if gutters[i] is None:
            emit(lines[i], starts[i])
            newline(starts[i + 1] - 1)
            i += 1
            continue
        first = gutters[i]
        assert first is not None
        right_from = len(lines[i][: first[1]].expandtabs(8))
        last, j, alone = i, i + 1, 0
        # The block: two-cell lines, with a few one-cell and blank lines among them.
        while j < len(lines) and alone <= 2:
            line, gutter = lines[j], gutters[j]
            if gutter is not None:
                right_from = min(right_from, len(line[: gutter[1]].expandtabs(8)))
                last, alone = j, 0
            elif (
                line.strip() and len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip()) >= right_from - 6
            ):
                last, alone = j, 0  # a line of the right column alone ("Đoàn Thu Hà" under the signing block)
            elif line.strip() and (line[:1] in " \t" or len(line) > 120):
                break
            elif line.strip():
                alone += 1
            j += 1
        # The left column's list may run on below the right one ("- Lưu: VT." under "Nơi nhận", the name signed).
        tail = last
        while (
            tail + 1 < len(lines)
            and gutters[tail + 1] is None
            and BULLET_RE.match(lines[tail + 1])
            and BULLET_RE.match(lines[tail].lstrip()) is not None
        ):
            tail += 1
        left: list[tuple[str, int]] = []
        right: list[tuple[str, int]] = []
        for k in range(i, tail + 1):
            line, gutter = lines[k], gutters[k]
            if gutter is not None:
                left.append((line[: gutter[0]], starts[k]))
                right.append((line[gutter[1] :], starts[k] + gutter[1]))
            elif not line.strip():
                right.append(("", starts[k]))
            elif line[:1] in " \t":
                right.append((line, starts[k]))
            else:
                left.append((line, starts[k]))
        for piece, old in left:
            emit(piece, old)
            newline(old + len(piece))
        newline(starts[i])
        for piece, old in right:
            emit(piece, old)
            newline(old + len(piece))
        changed = True
        i = tail + 1
    if not changed:
        return text, _Map()
    if out and out[-1] == "\n" and not text.endswith("\n"):
        out.pop()
    return "".join(out), mapping


def _is_star_bullet(text: str, at: int) -> bool:
    """A "*" that opens a line and is followed by a space and words: a bullet, kept."""
    if at and text[at - 1] != "\n":
        return False
    end = text.find("\n", at)
    rest = text[at + 1 : end if end != -1 else len(text)]
    return rest[:1] == " " and bool(rest.strip(" *"))


def _markup(text: str, maps: list[_Map]) -> tuple[str, list[bool]]:
    states = _emphasis_state(text) if "*" in text else []

    def step(pattern: re.Pattern[str], repl: str | None = None, func: _Replace | None = None) -> None:
        nonlocal text
        text, mapping = _sub(pattern, repl, text, func=func)
        if len(mapping.new) > 1:
            maps.append(mapping)

    if "*" in text or "_" in text:
        step(_STRONG, "")
        # A single "*" is emphasis unless it opens a line as a bullet ("* Nội dung").
        source = text
        step(_STAR, func=lambda m: "*" if _is_star_bullet(source, m.start()) else "")
        if "_" in text:
            step(_UNDERSCORE, "")
    if "#" in text:
        step(_MD_HEADING, "")
    if "](" in text:
        step(_MD_LINK, func=lambda m: m.group(1))
    if "|" in text:
        step(_TABLE_RULE_LINE, "")
        step(_EDGE_PIPES, "")
        step(_INNER_PIPE, " | ")
    if "  " in text:
        step(_MULTI_SPACE, " ")
    if " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        step(_LINE_EDGE_SPACE, "")
    return text, states


def _lines(text: str, states: list[bool], cell_edges: set[int]) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    flat_text = plain(text)
    previous_ends = True  # the previous line ended a paragraph for sure (blank, cell edge, full stop)
    for index, line in enumerate(text.split("\n")):
        flat = flat_text[offset : offset + len(line)]
        blank = not line.strip()
        first = previous_ends or bool(NUMBERING_RE.match(flat) or BULLET_RE.match(line))
        capitals, small = letter_counts(line) if not blank else (0, 0)
        item = _Line(
            line,
            offset,
            flat,
            blank,
            states[index] if index < len(states) else False,
            first and not blank,
            capitals,
            small,
        )
        lines.append(item)
        previous_ends = blank or index in cell_edges or bool(_TERMINAL.search(line)) or line.endswith(":")
        offset += len(line) + 1
    return lines


def _densest_band(lengths: list[int]) -> tuple[int, int]:
    """(how many, top) of the densest 10-character band of sorted line lengths (the highest on a tie)."""
    best, top = 0, 0
    j = 0
    for i, n in enumerate(lengths):
        while lengths[j] < n - 9:
            j += 1
        if i - j + 1 >= best:
            best, top = i - j + 1, n
    return best, top


def _layout(lines: list[_Line]) -> tuple[int, bool, bool]:
    """(wrap width, hard-wrapped?, first lines short?) of the text as laid out.

    A hard-wrapped text has a crowd of lines of nearly the same length (the full lines); the width is
    the top of the densest 10-character band of line lengths, if that band holds a third of the lines.
    """
    lengths = sorted(len(line.text) for line in lines if not line.blank and 40 <= len(line.text) <= 200)
    if len(lengths) < 6:
        return 10_000, False, False
    best, top = _densest_band(lengths)
    wrapped = best >= 0.3 * len(lengths) and top <= 160
    # The lines a paragraph plainly goes on from (the next opens in lower case) are full lines: where most of
    # them crowd in a band above the densest one (a short text of short items, a few wrapped paragraphs), the
    # wrapping is theirs.
    going_on = sorted(
        len(a.text)
        for a, b in zip(lines, lines[1:])
        if not a.blank and not b.blank and 40 <= len(a.text) <= 200 and _is_lower_start(b.text)
    )
    if len(going_on) >= 3:
        crowd, edge = _densest_band(going_on)
        if crowd >= 0.6 * len(going_on) and edge <= 160 and (not wrapped or edge > top):
            wrapped, top = True, edge
    if not wrapped:
        return 10_000, False, False
    # Some crawlers keep a paragraph's indent as a short first line: then the "next word would have fitted"
    # cue says nothing about the first line of a paragraph.
    firsts: list[int] = []
    middles: list[int] = []
    run: list[_Line] = []
    for line in lines + [_Line("", 0, "", True)]:
        if line.blank or line.first:
            # Only where the paragraph plainly goes on (its second line opens in lower case): a heading over a
            # paragraph is short for another reason.
            if len(run) >= 3 and _is_lower_start(run[1].text):
                firsts.append(len(run[0].text))
                middles.extend(len(r.text) for r in run[1:-1])
            run = []
        if not line.blank:
            run.append(line)
    short_firsts = False
    if len(firsts) >= 3 and middles:
        firsts.sort()
        middles.sort()
        short_firsts = firsts[len(firsts) // 2] < 0.75 * middles[len(middles) // 2]
    return top, True, short_firsts


def _starts_block(line: _Line, previous: _Line) -> bool:
    flat = line.flat
    if " | " in line.text or " | " in previous.text:
        return True
    if (
        NUMBERING_RE.match(flat)
        and flat[:1].isdigit()
        and (
            _OPEN_WORD_END.search(previous.flat)
            or _UNIT_END.search(previous.flat)
            or previous.text.count("(") > previous.text.count(")")
        )
    ):
        return False  # "hàng năm (tháng" / "5)": a number that goes on with the sentence, not a numbered item
    if NUMBERING_RE.match(flat) or _LABEL_RE.match(flat) or _RULE_RE.match(flat):
        return True
    bullet = BULLET_RE.match(line.text)
    if bullet:
        rest = line.text[bullet.end() :]
        # "kinh tế\n- xã hội": a dash that continues a sentence, not a bullet.
        # "giai đoạn 2021\n- 2030": a dash before a number, after a line that does not end a sentence, goes on too.
        return not (
            (_is_lower_start(rest) or rest[:1].isdigit())
            and not _TERMINAL.search(previous.text)
            and not previous.text.endswith(":")
            and line.text[:1] in "-–"
        )
    return False


def _ends_block(line: _Line) -> bool:
    flat = line.flat
    return bool(
        _RULE_RE.match(flat)
        or _SIGNING_RE.match(flat)
        or _TYPE_TITLES.match(flat.upper())
        or "CONG HOA XA HOI CHU NGHIA VIET NAM" in flat.upper()
        or flat.lower().startswith("doc lap - tu do")
        or " | " in line.text
    )


def _joins(
    cur: _Line, nxt: _Line, width: int, wrapped: bool, short_firsts: bool, paragraph_upper: bool
) -> bool:
    """Whether ``nxt`` continues the paragraph that ``cur`` (its last line so far) is part of."""
    if _LABEL_ONLY_RE.match(cur.flat.strip()):
        return not (_RULE_RE.match(nxt.flat) or _starts_block(nxt, cur) and not BULLET_RE.match(cur.text))
    if cur.emphasis_open and _SIGNING_RE.match(cur.flat) and nxt.upper:
        return (
            False  # "**KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG**": one emphasis over the signing block, two lines of it
        )
    if cur.emphasis_open and not _RULE_RE.match(nxt.flat) and not _SIGNING_RE.match(nxt.flat):
        # An emphasis left open goes on to the next line, unless that line plainly opens a part of its own.
        strong = NUMBERING_RE.match(nxt.flat) or _LABEL_RE.match(nxt.flat)
        return not strong
    if _starts_block(nxt, cur) or _ends_block(cur):
        return False
    if wrapped and (len(nxt.text) > width + 12 or len(cur.text) > width + 12):
        return False  # a line longer than the wrapping is not part of the wrapped flow (a page's own line)
    cur_upper, nxt_upper = paragraph_upper, nxt.upper
    if _is_lower_start(nxt.text):
        return True
    if _OPEN_WORD_END.search(cur.flat) and not nxt_upper:
        return True  # "Xét Tờ trình số" / "226/TTr-BKHCN ...": a sentence does not end on "số"
    if cur_upper and nxt_upper:
        flat_next = nxt.flat.upper()
        if (_BODY_WORDS.match(flat_next) or _POSITION_WORDS.match(flat_next)) and not _OPEN_END.search(
            cur.flat.upper()
        ):
            return False
        return not _TERMINAL.search(cur.text)
    if cur_upper and not any(ch.isalpha() for ch in nxt.text):
        return not _TERMINAL.search(cur.text)  # "... GIAI ĐOẠN" / "2026 - 2030"
    if cur_upper != nxt_upper:
        return False
    if cur.text.endswith(":"):
        return False
    if _TERMINAL.search(cur.text):
        # A full line that ends a sentence may go on; where paragraphs open with a short line, a short line after it opens one.
        return wrapped and len(cur.text) >= width - 12 and (not short_firsts or len(nxt.text) >= width - 12)
    if cur.text.endswith(","):
        return True
    if not wrapped:
        return False
    if cur.first and short_firsts:
        return True
    first_word = nxt.text.split(" ", 1)[0]
    return len(cur.text) + 1 + len(first_word) > width - 8


def normalise(raw: str) -> Normalised:
    """The text, normalised, one paragraph a line (see the module's docstring)."""
    if not isinstance(raw, str):
        raise TypeError("normalise() takes text")
    text, maps = _characters(raw)
    # Lines that were only table pipes separate cells, as blank lines do.
    cell_edges = {
        i for i, line in enumerate(text.split("\n")) if line.strip() and not line.strip().strip("|").strip()
    }
    text, states = _markup(text, maps)
    lines = _lines(text, states, cell_edges)
    width, wrapped, short_firsts = _layout(lines)
    out: list[str] = []
    flat_out: list[str] = []
    mapping = _Map()
    npos = 0
    previous: _Line | None = None
    capitals = small = 0  # letters of the paragraph being built
    for index, line in enumerate(lines):
        if line.blank or index in cell_edges:
            previous = None
            continue
        upper, lower = line.capitals, line.small
        if previous is not None and _joins(
            previous, line, width, wrapped, short_firsts, _all_capitals(capitals, small)
        ):
            mapping.add(npos, line.start - 1, False)
            out.append(" ")
            flat_out.append(" ")
            npos += 1
            capitals, small = capitals + upper, small + lower
        elif out:
            mapping.add(npos, line.start - 1, False)
            out.append("\n")
            flat_out.append("\n")
            npos += 1
            capitals, small = upper, lower
        else:
            capitals, small = upper, lower
        mapping.add(npos, line.start, True)
        out.append(line.text)
        flat_out.append(line.flat)
        npos += len(line.text)
        previous = line
    maps.append(mapping)
    return Normalised("".join(out), raw, maps, "".join(flat_out))
