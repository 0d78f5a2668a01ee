"""Parse the text of a Vietnamese administrative document into its parts (pure Python, no Django).

Follows the form of Nghị định 30/2020/NĐ-CP: issuing body over the national
title, "Số: ...", place and date, type and subject ("V/v ..." for a công
văn), "Kính gửi", body, "Nơi nhận", signing block. Texts that lost their
header (copied from a news page) are read from their title lines. A field
that cannot be found is ``None``, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ttdn.core.text import fold, plain
from ttdn.documents.parsing import symbols, vndates
from ttdn.documents.parsing.clean import Cleaned, clean, is_motto
from ttdn.documents.parsing.normalise import letter_counts

_AUTHORITY_RE = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(.+)$")
_POSITIONS = (
    "thu tuong",
    "pho thu tuong",
    "bo truong",
    "thu truong",
    "chu tich",
    "pho chu tich",
    "giam doc",
    "pho giam doc",
    "cuc truong",
    "pho cuc truong",
    "chanh van phong",
    "pho chanh van phong",
    "tong bi thu",
    "truong ban",
    "pho truong ban",
    "vu truong",
    "pho vu truong",
    "tong cuc truong",
    "chu nhiem",
    "thu truong co quan",
    "truong phong",
    "bi thu",
    "tong giam doc",
    "pho tong giam doc",
    "chanh thanh tra",
    "thong doc",
    "pho thong doc",
    "tong thanh tra",
)
_ORG_STARTS = (
    "bo ",
    "so ",
    "cuc ",
    "uy ban",
    "ubnd",
    "ban ",
    "vu ",
    "van phong",
    "tong cuc",
    "chinh phu",
    "thu tuong",
    "dang uy",
    "tinh uy",
    "thanh uy",
    "hoi dong",
    "vien ",
    "trung tam",
    "dai ",
    "thong tan",
    "thanh tra",
    "ngan hang",
    "quoc hoi",
    "phong ",
    "chi cuc",
    "toa an",
    "vien kiem sat",
    "hoc vien",
    "truong ",
    "bao ",
    "tap doan",
    "cong ty",
)
# Patterns below are written without diacritics and matched on ``plain`` text; captures are read from the original.
_PLACE_DATE_RE = re.compile(
    r"^(?P<place>[^\d,;:]{2,40}?)\s*,\s*ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_NUMBER_LINE_RE = re.compile(rf"^So\s*(?:hieu)?\s*[:.]?\s*(?P<number>{symbols.NUMBER})", re.IGNORECASE)
_SUBJECT_RE = re.compile(r"^(?:V/v|V/V|Ve viec)\s*[:.]?\s*(?P<subject>.+)$")
_KINH_GUI_RE = re.compile(r"^Kinh gui\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_NOI_NHAN_RE = re.compile(r"^Noi nhan\s*:?", re.IGNORECASE)
_TYPE_NAMES = sorted((t.name for t in symbols.doc_types()), key=len, reverse=True)
_TYPE_ALT = "|".join(re.escape(plain(n)) for n in _TYPE_NAMES)
# "Quyết định số 79/2010/QĐ-TTg", "Kết luận số 16-KL/TW", "Thông tư liên tịch số 34/2011/TTLT-BTTTT-BNG"
_TYPE_BEFORE = re.compile(rf"(?P<type>{_TYPE_ALT})\s+(?:so\s+)?$", re.IGNORECASE)


_NAMED_BEFORE = re.compile(rf"\b(?P<type>{_TYPE_ALT})\s[^,.;:()\n]{{3,120}}?\sso\s+$")


@dataclass(frozen=True)
class _Cite:
    start: int  # where the citation begins (its type name, when written)
    end: int
    number_start: int
    type: str | None


def _citations(flat: str) -> list[_Cite]:
    """Citations in text without diacritics: a number and symbol, with the type name written before it.

    Numbers are found first (they start with a digit, which is fast to scan for); the
    type name is then looked for just before each.
    """
    found = []
    for match in symbols.NUMBER_RE.finditer(flat):
        window_start = max(0, match.start() - 40)
        typed = _TYPE_BEFORE.search(flat, window_start, match.start())
        if typed is None:
            # "Luật Tổ chức chính quyền địa phương số 72/2025/QH15": the type name, then the name, then "số".
            typed = _NAMED_BEFORE.search(flat, max(0, match.start() - 140), match.start())
        start = typed.start() if typed else match.start()
        found.append(_Cite(start, match.end(), match.start(), typed.group("type") if typed else None))
    return found


# Only a preamble line "Căn cứ ..." states the document's own basis; "căn cứ theo" in running text reports another's.
_BASED_ON = re.compile(r"\s*Can cu(?:\s+(?:theo|vao))?\s*")
_RELATION_CUES = {
    "replaces": re.compile(r"thay the(?:\s+cho)?\s*$", re.IGNORECASE),
    "amends": re.compile(r"sua doi,?\s*bo sung(?:\s+mot so dieu cua)?\s*$", re.IGNORECASE),
    "repeals": re.compile(r"bai bo\s*$", re.IGNORECASE),
}


@dataclass
class Signer:
    name: str | None = None
    position: str | None = None
    authority: str | None = None


@dataclass
class Reference:
    number: str
    doc_type: str | None
    issued_on: str | None
    as_written: str
    issuer: str | None = None
    cue: str | None = None  # relation suggested by the wording: based_on, replaces, amends, repeals
    says_expired: bool = False  # the citing text says it is no longer in force ("đã hết hiệu lực")


@dataclass
class ParsedDocument:
    number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issuer_parent: str | None = None
    place: str | None = None
    issued_on: str | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    references: list[Reference] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    distribution: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not with_text:
            data.pop("text")
        return data

    @property
    def recognised(self) -> bool:
        """Whether this looks like an administrative document at all."""
        return any((self.number, self.doc_type and self.issued_on, self.issuer and self.issued_on))


def _is_upper(line: str) -> bool:
    upper, lower = letter_counts(line)
    return upper + lower > 0 and upper / (upper + lower) > 0.8


@lru_cache(maxsize=2)
def _haystack(flat: str) -> str:
    """The text searched for a heading's words in normal case: one character for one, so offsets hold."""
    return flat.lower().replace("\n", " ")


def _mixed_case(
    upper: str, text: str, fallback: Callable[[str], str] | None = None, flat: str | None = None
) -> str:
    """The same words in their normal case, found elsewhere in the text, else a sentence-case guess.
    ``flat``: ``plain(text)`` when the caller has it."""
    needle = " ".join(plain(upper).lower().split())
    if not needle:
        return upper.strip()
    haystack = _haystack(plain(text) if flat is None else flat)
    at = haystack.find(needle)
    while at != -1:
        end = at + len(needle)
        bounded = (at == 0 or not haystack[at - 1].isalnum()) and (
            end == len(haystack) or not haystack[end].isalnum()
        )
        candidate = text[at:end]
        if bounded and not _is_upper(candidate):
            return " ".join(candidate.split())
        at = haystack.find(needle, at + 1)
    return (fallback or _sentence_case)(upper)


_ACRONYMS = {
    "UBND",
    "HĐND",
    "TW",
    "TTĐN",
    "TT&TT",
    "TTTT",
    "VHTTDL",
    "KHCN",
    "CHXHCN",
    "BĐBP",
    "QLNN",
    "CP",
    "TTG",
}


_NOT_PLACE_WORDS = frozenset(
    {
        "giai",
        "năm",
        "và",
        "về",
        "trong",
        "đến",
        "từ",
        "theo",
        "của",
        "cho",
        "trên",
        "tại",
        "với",
        "nhằm",
        "để",
        "các",
        "những",
        "thời",
        "kỳ",
        "đoạn",
        "lần",
        "thứ",
        "nhiệm",
        "sau",
        "trước",
        "đối",
        "hoặc",
        "giữa",
        "cùng",
        "mới",
        "nhân",
        "dịp",
    }
)


def _sentence_case(upper: str) -> str:
    """ "KT. BỘ TRƯỞNG" -> "Bộ trưởng"; place names after an administrative level keep capitals."""
    out: list[str] = []
    in_place = False
    for i, word in enumerate(upper.split()):
        lower = word.lower()
        if in_place and (lower.strip(",.;:") in _NOT_PLACE_WORDS or not lower[:1].isalpha()):
            in_place = False  # "trên địa bàn tỉnh giai đoạn 2026 - 2030": the place has no name here
        if word in _ACRONYMS or any(ch.isdigit() for ch in word):
            out.append(word)  # acronyms and numbers ("06/QĐ-TTg") as written
        elif i == 0 or in_place:
            out.append(lower[:1].upper() + lower[1:])
        else:
            out.append(lower)
        previous = upper.split()[i - 1].lower() if i else ""
        if (
            lower in {"tỉnh", "huyện", "quận", "phường"}
            or (lower == "phố" and previous == "thành")
            or lower == "xã"
            and previous in {"", "thị", "dân", "ubnd"}
        ):
            in_place = True
    return " ".join(out)


def _org_case(upper: str) -> str:
    """An organisation's name in upper case -> its usual spelling.

    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" -> "Sở Văn hóa, Thể thao và Du lịch"; each part after a comma,
    "và" or a dash starts with a capital, as in official names.
    """
    words = _sentence_case(upper).split()
    out: list[str] = []
    capital = True
    for index, word in enumerate(words):
        if index == 1 and words[0].lower() in {"bộ", "sở", "cục", "ban", "vụ", "tổng", "viện", "văn"}:
            capital = True
        if capital and word.lower() not in {"và", "-"}:
            word = word[:1].upper() + word[1:]
            capital = False
        out.append(word)
        if word.endswith(",") or word.lower() in {"và", "-"}:
            capital = True
    return " ".join(out)


def _split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """Header lines above the national title -> (issuer, superior body)."""
    levels: list[list[str]] = []
    for line in lines:
        if set(line) <= set("-_=*. ") or is_motto(line):
            continue
        key = fold(line)
        if not levels or key.startswith(_ORG_STARTS):
            levels.append([line])
        else:
            levels[-1].append(line)
    names = [" ".join(level).strip() for level in levels if level]
    if not names:
        return None, None
    return names[-1], (names[-2] if len(names) > 1 else None)


@lru_cache(maxsize=8192)
def _plain_line(line: str) -> str:
    return plain(line)


def _find(
    lines: list[str], pattern: re.Pattern[str], limit: int = 60, flats: list[str] | None = None
) -> tuple[int, re.Match[str]] | None:
    """First line matching ``pattern`` on its plain form; read captures from ``lines[i]`` by span."""
    for i, line in enumerate(lines[:limit]):
        match = pattern.search(flats[i] if flats is not None else _plain_line(line))
        if match:
            return i, match
    return None


def _title_facts(title: str, text: str) -> dict[str, Any]:
    """Facts from a headline such as "Chỉ thị 21/CT-TTg của Thủ tướng Chính phủ về việc ..."."""
    facts: dict[str, Any] = {}
    match = re.search(
        rf"^(?P<type>{_TYPE_ALT})\s+(?:so\s+)?(?P<number>{symbols.NUMBER})(?P<rest>.*)$",
        plain(title),
        re.IGNORECASE,
    )
    if not match:
        return facts
    facts["doc_type"] = symbols.type_by_name(match.group("type")).name  # type: ignore[union-attr]
    facts["number"] = symbols.tidy(title[match.start("number") : match.end("number")])
    rest = title[match.start("rest") :].strip()
    issuer = re.match(
        r"^(?:của|do)\s+(?P<issuer>.+?)(?=\s+(?:về|v/v|ngày|năm|ban hành|hướng dẫn|triển khai)\b|[,.;]|$)",
        rest,
        re.IGNORECASE,
    )
    if issuer:
        facts["issuer"] = issuer.group("issuer").strip()
        rest = rest[issuer.end() :].strip()
    subject = re.match(r"^(?:v/v\s+)?(?P<subject>(?:về|v/v).+)$", rest, re.IGNORECASE)
    if subject:
        facts["subject"] = _capitalise(subject.group("subject"))
    return facts


def _capitalise(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def _clean_item(item: str) -> str:
    return re.sub(r"^[-–•+*]\s*", "", item).strip().rstrip(";.,").strip()


def _recipients(lines: list[str], flats: list[str] | None = None) -> list[str]:
    found = _find(lines, _KINH_GUI_RE, limit=80, flats=flats)
    if not found:
        return []
    index, match = found
    items: list[str] = []
    rest = lines[index][match.start("rest") :]
    if rest.strip():
        items.append(_clean_item(rest))
    for line in lines[index + 1 :]:
        if not line:
            if items:
                break
            continue
        if line.startswith(("-", "–", "+", "•")):
            items.append(_clean_item(line))
        else:
            break
    return [i for i in items if i]


def _signing(lines: list[str]) -> tuple[Signer, int | None]:
    """The signing block: authority prefix, position, name. Returns it and the line where it starts."""
    for i in range(len(lines) - 1, -1, -1):
        match = _AUTHORITY_RE.match(lines[i])
        if match and _is_upper(lines[i]):
            authority = f"{match.group(1)}. {_sentence_case(match.group(2))}"
            rest = [line for line in lines[i + 1 : i + 12] if line]
            position = _sentence_case(rest[0]) if rest and _is_upper(rest[0]) else None
            name_lines = rest[1:] if position else rest
            name = next((line for line in name_lines if _looks_like_name(line)), None)
            return Signer(name, position, authority), i
    for i in range(len(lines) - 1, -1, -1):
        if len(lines[i]) < 40 and _is_upper(lines[i]) and fold(lines[i]) in _POSITIONS:
            rest = [line for line in lines[i + 1 : i + 10] if line]
            name = next((line for line in rest if _looks_like_name(line)), None)
            if name:
                return Signer(name, _sentence_case(lines[i]), None), i
    return Signer(), None


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 6
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not any(c.isdigit() for c in line)
    )


def _cc(lines: list[str]) -> tuple[list[str], int | None]:
    found = next(
        (i for i, line in enumerate(lines) if line[:1] in "NnN" and _NOI_NHAN_RE.match(_plain_line(line))),
        None,
    )
    if found is None:
        return [], None
    items: list[str] = []
    for line in lines[found + 1 :]:
        if not line:
            if items:
                break
            continue
        if _AUTHORITY_RE.match(line) and _is_upper(line):
            break
        if line.startswith(("-", "–", "+", "•")):
            items.append(line)
        elif items and not _is_upper(line):
            # A line broken inside an item ("- Thứ trư" / "ng Phạm Anh Tuấn;").
            glue = "" if line[:1].islower() and not items[-1].endswith((";", ",")) else " "
            items[-1] = items[-1] + glue + line
        else:
            break
    return [c for c in (_clean_item(i) for i in items) if c], found


def _distribution(lines: list[str]) -> list[dict[str, Any]]:
    """An appended distribution list ("Danh sách gửi ..."): groups headed I., II., items numbered 1., 2."""
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if line[:4].lower() == "danh" and fold(line).startswith("danh sach gui")
        ),
        None,
    )
    if start is None:
        return []
    groups: list[dict[str, Any]] = []
    for line in lines[start + 1 :]:
        if not line:
            continue
        group = re.match(r"^([IVXLC]+)\.\s+(.+)$", line)
        item = re.match(r"^(\d{1,3})\.\s+(.+)$", line)
        if group:
            groups.append({"group": group.group(2).strip(), "items": []})
        elif item and groups:
            groups[-1]["items"].append(item.group(2).strip())
        else:
            break
    return groups


def _references(
    body: str, own_number: str | None, skip: list[tuple[int, int]], flat: str | None = None
) -> list[Reference]:
    """Every citation in the text (footnotes included, the recipients and signing block left out), once per
    number, with the date written next to it."""
    own_key = symbols.number_key(own_number) if own_number else None
    refs: dict[str, Reference] = {}
    flat = plain(body) if flat is None else flat
    for start, end in skip:
        body = body[:start] + " " * (min(end, len(body)) - start) + body[end:]
        flat = flat[:start] + " " * (min(end, len(flat)) - start) + flat[end:]
    dates = vndates.find_dates(flat, is_plain=True)
    matches = _citations(flat)
    for index, match in enumerate(matches):
        number = symbols.tidy(body[match.number_start : match.end])
        symbol = symbols.parse_symbol(number)
        if symbol is None or symbol.key == own_key:
            continue
        next_start = matches[index + 1].start if index + 1 < len(matches) else len(body)
        sentence_end = _sentence_end(body, match.end)
        issued = _date_after(dates, match.end, min(next_start, sentence_end)) or _date_before(
            dates, flat, match.start
        )
        type_name = symbols.type_by_name(match.type).name if match.type else symbol.doc_type.name  # type: ignore[union-attr]
        cue = _cue(flat, match.start)
        flat_tail = flat[match.end : sentence_end]
        says_expired = bool(
            re.search(r"het hieu luc", flat_tail, re.IGNORECASE)
        ) and not symbols.NUMBER_RE.search(flat_tail)
        as_written = body[match.start : match.end]
        if issued:
            as_written = body[
                match.start : _date_end(dates, issued, match.end, min(next_start, sentence_end)) or match.end
            ]
        existing = refs.get(symbol.key)
        reference = Reference(
            number=number,
            doc_type=type_name,
            issued_on=issued.isoformat() if issued else None,
            as_written=re.sub(r"\s+", " ", as_written).strip(),
            issuer=symbol.issuer_name,
            cue=cue,
            says_expired=says_expired,
        )
        if existing is None:
            refs[symbol.key] = reference
        else:
            if not existing.issued_on and reference.issued_on:
                existing.issued_on, existing.as_written = reference.issued_on, reference.as_written
            existing.cue = existing.cue or reference.cue
            existing.says_expired = existing.says_expired or reference.says_expired
    return _merge_year_less(list(refs.values()))


def _merge_year_less(refs: list[Reference]) -> list[Reference]:
    """ "79/QĐ-TTg ngày 30/11/2010" and "79/2010/QĐ-TTg" in one text are one document: keep the full number."""
    by_base: dict[str, list[Reference]] = {}
    for ref in refs:
        symbol = symbols.parse_symbol(ref.number)
        by_base.setdefault(symbol.base_key if symbol else ref.number, []).append(ref)
    merged: list[Reference] = []
    for ref in refs:
        symbol = symbols.parse_symbol(ref.number)
        group = by_base[symbol.base_key if symbol else ref.number]
        if len(group) == 1:
            merged.append(ref)
            continue
        with_year = [r for r in group if (s := symbols.parse_symbol(r.number)) and s.year]
        years = {symbols.parse_symbol(r.number).year for r in with_year}  # type: ignore[union-attr]
        dates = {r.issued_on for r in group if r.issued_on}
        if len(years) != 1 or len(dates) > 1 or (dates and str(next(iter(years))) != next(iter(dates))[:4]):
            merged.append(ref)  # different documents after all
            continue
        if ref is not with_year[0]:
            continue
        dated = next((r for r in group if r.issued_on), None)
        if dated is not None:
            ref.issued_on = dated.issued_on
            ref.as_written = dated.as_written
        ref.cue = next((r.cue for r in group if r.cue), None)
        ref.says_expired = any(r.says_expired for r in group)
        merged.append(ref)
    return merged


def _cue(body: str, start: int) -> str | None:
    """The relation the wording just before a citation suggests."""
    line_start = body.rfind("\n", 0, start) + 1
    if _BASED_ON.fullmatch(body[line_start:start]):
        return "based_on"
    before = body[max(line_start, start - 40) : start]
    return next((kind for kind, pattern in _RELATION_CUES.items() if pattern.search(before)), None)


def _sentence_end(body: str, start: int) -> int:
    match = re.compile(r"[.;:](?:\s|$)|\n").search(body, start)
    return match.start() if match else len(body)


def _date_after(dates: list[tuple[int, int, dt.date]], start: int, stop: int) -> dt.date | None:
    """A date written right after the number ("... ngày 30/11/2010", "... của Thủ tướng Chính phủ ngày 26/10/2021")."""
    for d_start, _, value in dates:
        if start <= d_start < stop and d_start - start <= 70:
            return value
    return None


def _date_end(dates: list[tuple[int, int, dt.date]], value: dt.date, start: int, stop: int) -> int | None:
    for d_start, d_end, v in dates:
        if v == value and start <= d_start < stop:
            return d_end
    return None


def _date_before(dates: list[tuple[int, int, dt.date]], body: str, start: int) -> dt.date | None:
    """A date opening the same sentence ("Ngày 22 tháng 4 năm 2011, Bộ ... đã có Công văn số 1171/...")."""
    for d_start, d_end, value in dates:
        if d_end <= start and start - d_start <= 160:
            between = body[d_end:start]
            prefix = body[max(0, d_start - 8) : d_start]
            if not re.search(r"[.;:\n]", between) and re.search(
                r"(^|[\n.;:]\s*|(?:^|\n)\s*(?:[-–+•*]|\d{1,3}[.)]|[a-zđ]\))\s*)$", prefix
            ):
                if symbols.NUMBER_RE.search(between) is None:
                    return value
    return None


_TITLE_LINE_RE = re.compile(rf"^(?P<type>{_TYPE_ALT})\b\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_SUBJECT_OPENERS = re.compile(
    r"^(?:ve|v/v|ban hanh|trien khai|thuc hien|tang cuong|huong dan|quy dinh|phe duyet|ket luan|to chuc|de nghi)\b",
    re.IGNORECASE,
)
_BODY_OPENERS = re.compile(
    r"^(?:can cu|xet|theo de nghi|thuc hien|kinh gui|thi hanh|nham|de|trong|thoi gian|sau khi|ngay)\b",
    re.IGNORECASE,
)
# The issuing body as the body names itself: "Ủy ban nhân dân tỉnh yêu cầu ...", "Chủ tịch UBND tỉnh yêu cầu ...".
_SELF_NAMING = re.compile(
    r"(?:^|[,;.]\s+|\s)(?:(?:chu tich|giam doc|bo truong|thu truong)\s+)?(?P<body>(?:uy ban nhan dan|ubnd|bo|so|van phong|ban|cuc|thu tuong)"
    r"\b[^,;.:()]{0,80}?)\s+(?:yeu cau|chi thi|quyet dinh|ban hanh|de nghi|giao|thong bao)\b",
    re.IGNORECASE,
)


def _date_in(line: str, flat: str | None = None) -> tuple[re.Match[str], dt.date] | None:
    flat = _plain_line(line) if flat is None else flat
    match = _PLACE_DATE_RE.search(flat)
    if match:
        value = vndates.make_date(match.group("d"), match.group("m"), match.group("y"))
        if value:
            return match, value
    return None


def _issuer_lines(lines: list[str], motto: int) -> list[str]:
    """The header's lines above the national title that name the issuer (and the line's part before the motto)."""
    # Never the number's line, which a left column read first puts above the national title.
    header = [
        line
        for line in lines[:motto]
        if not set(line) <= set("-_=*. ") and not _NUMBER_LINE_RE.match(_plain_line(line))
    ]
    shared = re.search(r"C[ỘO]NG\s+H[ÒOÓ]A\s+X[ÃA]\s+H[ỘO]I", lines[motto], re.IGNORECASE)
    prefix = (
        lines[motto][: shared.start()].strip(" |") if shared else ""
    )  # "BỘ ... | CỘNG HÒA ...": cells joined by a pipe
    if prefix:
        header.append(prefix)
    # Two columns run together (text from a PDF): "TỈNH QUẢNG TRỊ Độc lập - Tự do - Hạnh phúc".
    if motto + 1 < len(lines):
        split = re.search(r"Đ[ộo]c\s+l[ậa]p\s*-", lines[motto + 1])
        left = lines[motto + 1][: split.start()].strip(" |") if split else ""
        if left and len(left) > 2 and _is_upper(left) and not _NUMBER_LINE_RE.match(_plain_line(left)):
            header.append(left)  # not the number's cell ("Số: 45/BVHTTDL-VP | Độc lập - ...")
    return [line for line in header if _is_upper(line)]


def _title(
    lines: list[str], text: str, limit: int, flats: list[str], flat: str | None = None
) -> tuple[str | None, str | None, int | None]:
    """(type, subject, index of the title line) from the title in capitals: "CHỈ THỊ" then "VỀ ..." (or "Về ..."),
    or "CHỈ THỊ VỀ ..." on one line."""
    for i, line in enumerate(lines[:limit]):
        if not _is_upper(line) or len(line) > 400:
            continue
        match = _TITLE_LINE_RE.match(flats[i])
        if not match:
            continue
        named = symbols.type_by_name(line[match.start("type") : match.end("type")])
        if named is None:
            continue
        rest = line[match.start("rest") :].strip()
        if rest and (symbols.NUMBER_RE.match(_plain_line(rest)) or fold(rest).startswith("so ")):
            rest = ""  # "QUYẾT ĐỊNH SỐ 26/2025/QĐ-UBND": the number, not the subject
        title = [rest] if rest and _is_upper(rest) else []
        for nxt in lines[i + 1 : i + 4]:
            if _is_upper(nxt) and not is_motto(nxt) and not symbols.type_by_name(nxt) and len(nxt) < 400:
                title.append(nxt)
                continue
            if not title and _looks_like_subject(nxt):
                return named.name, _capitalise(nxt.strip().rstrip(";")), i
            break
        subject = " ".join(title).strip()
        return named.name, (_capitalise(_mixed_case(subject, text, flat=flat)) if subject else None), i
    return None, None, None


def _looks_like_subject(line: str) -> bool:
    """A title in normal case under the type ("Về tăng cường ..."), not the body's first paragraph."""
    flat = _plain_line(line).strip()
    if not flat or len(line) > 400 or _BODY_OPENERS.match(flat):
        return False
    if line.rstrip().endswith((".", ":", "./.")) and not _SUBJECT_OPENERS.match(flat):
        return False
    return bool(_SUBJECT_OPENERS.match(flat)) or (len(line) < 200 and not re.search(r"[.;:]\s", line))


# Words of a sentence, never of a body's name ("Bộ Xây dựng hoàn thành việc sắp xếp ... giao ...").
_SENTENCE_WORDS = re.compile(
    r" (?:hoan thanh|thuc hien|da|se|dang|viec|cac|nhung|duoc|bi|trien khai|to chuc|co|la) "
)


def _issuer_from_text(lines: list[str], signing_at: int | None, text: str, flats: list[str]) -> str | None:
    """A header-less text: the body that signs ("TM. ỦY BAN NHÂN DÂN" and its place) or that names itself
    as the one who directs ("Ủy ban nhân dân tỉnh yêu cầu ...")."""
    for line, flat in zip(lines[:80], flats):
        match = _SELF_NAMING.search(flat)
        if match:
            body = line[match.start("body") : match.end("body")].strip()
            key = fold(body)
            words = body.split()
            # A body's name: "Ủy ban nhân dân ...", or "Bộ", "Sở", "Ban" ... followed by a capitalised name
            # ("Bộ Ngoại giao"); "bộ gây ra tai nạn" or "Số chứng chỉ ..." is a sentence, not a body.
            named = key.startswith(("uy ban nhan dan", "ubnd")) or (
                len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper()
            )
            named = named and not _SENTENCE_WORDS.search(f" {key} ")
            if named and len(words) <= 12 and not key.startswith(("bo phan", "ban hanh", "ban chi dao")):
                return _capitalise(body) if body[:1].islower() else body
    if signing_at is not None:
        match = _AUTHORITY_RE.match(lines[signing_at])
        if match and fold(match.group(1)) == "tm":
            return _org_case(match.group(2).strip().rstrip(","))
    return None


def parse(raw: str) -> ParsedDocument:
    """Parse a document's text. Never raises on text input; unknown fields stay ``None``."""
    if not isinstance(raw, str):
        raise TypeError("parse() takes text")
    cleaned: Cleaned = clean(raw)
    lines = cleaned.lines
    text = cleaned.text
    flats = cleaned.flats
    flat_text = cleaned.flat
    doc = ParsedDocument(text=text)
    doc._cleaned = cleaned  # type: ignore[attr-defined]  # the way back to the raw text, not serialised

    motto = next((i for i, line in enumerate(lines[:40]) if is_motto(line)), None)
    if motto is not None:
        issuer, parent = _split_issuer(_issuer_lines(lines, motto))
        if issuer:
            doc.issuer = _mixed_case(issuer, text, fallback=_org_case, flat=flat_text)
        if parent:
            doc.issuer_parent = _mixed_case(parent, text, fallback=_org_case, flat=flat_text)
    header_limit = min(len(lines), 60)

    found = _find(lines, _NUMBER_LINE_RE, limit=header_limit, flats=flats)
    if found:
        index, match = found
        doc.number = symbols.tidy(lines[index][match.start("number") : match.end("number")])
    for line, flat in zip(lines[:header_limit], flats):
        dated = _date_in(line, flat)
        if dated:
            match, value = dated
            place = line[match.start("place") : match.end("place")].strip(" *-|")
            # "Số: 15/QĐ-UBND Quảng Trị, ngày ..." (two columns run together): the place is after the number.
            place = (
                re.sub(rf"^.*?(?:{symbols.NUMBER})\s*", "", place)
                if symbols.NUMBER_RE.search(_plain_line(place))
                else place
            )
            doc.place = place or None
            doc.issued_on = value.isoformat()
            break

    # Type and subject: "V/v ..." for a công văn; otherwise the title in capitals.
    found = _find(lines, _SUBJECT_RE, limit=header_limit, flats=flats)
    title_text = "\n".join([*cleaned.title_lines, text])
    title_flat = "\n".join([*map(plain, cleaned.title_lines), flat_text])
    type_name, subject, title_at = _title(lines, title_text, header_limit, flats, title_flat)
    if found and (title_at is None or found[0] < title_at):
        index, match = found
        doc.doc_type = "Công văn"
        doc.subject = lines[index][match.start("subject") :].strip().rstrip(".").strip() or None
    elif type_name:
        doc.doc_type, doc.subject = type_name, subject

    # A text without its header: read the title lines (the document's first lines or the page's title).
    for title in (lines[:3] + cleaned.title_lines)[:10]:
        facts = _title_facts(title, text)
        if not facts:
            continue
        doc.number = doc.number or facts.get("number")
        doc.doc_type = doc.doc_type or facts.get("doc_type")
        doc.issuer = doc.issuer or facts.get("issuer")
        doc.subject = doc.subject or facts.get("subject")
        if doc.number:
            break
    if not doc.issued_on:
        # The page's title lines ("Ngày 06 tháng 8 năm 2012 của Thủ tướng ..."), or a date standing alone near the top.
        for line in cleaned.title_lines + [line for line in lines[:6] if len(line) < 60]:
            found_date = vndates.first_date(line)
            if found_date:
                doc.issued_on = found_date.isoformat()
                break

    symbol = symbols.parse_symbol(doc.number) if doc.number else None
    if symbol is not None:
        doc.doc_type = doc.doc_type or symbol.doc_type.name
        doc.issuer = doc.issuer or symbol.issuer_name
    # The portal's attribute table, when the document itself is silent.
    attrs = cleaned.attributes if not (doc.number and doc.doc_type and doc.issued_on) else {}
    if attrs.get("number") and not doc.number and symbols.NUMBER_RE.fullmatch(symbols.tidy(attrs["number"])):
        doc.number = symbols.tidy(attrs["number"])
    if attrs.get("doc_type") and not doc.doc_type and symbols.type_by_name(attrs["doc_type"]):
        doc.doc_type = symbols.type_by_name(attrs["doc_type"]).name  # type: ignore[union-attr]
    if attrs.get("issued_on") and not doc.issued_on:
        table_date = vndates.first_date(attrs["issued_on"])
        doc.issued_on = table_date.isoformat() if table_date else None

    doc.recipients = _recipients(lines, flats)
    doc.signer, signing_index = _signing(lines)
    if (
        doc.signer.name is None
        and cleaned.attributes.get("signer")
        and _looks_like_name(cleaned.attributes["signer"])
    ):
        doc.signer.name = cleaned.attributes["signer"]
    if not doc.issuer:
        doc.issuer = _issuer_from_text(lines, signing_index, text, flats)
    if not doc.issuer and cleaned.attributes.get("issuer"):
        doc.issuer = cleaned.attributes["issuer"]
    doc.cc, cc_index = _cc(lines)
    doc.distribution = _distribution(lines)
    doc.references = _references(
        text, doc.number, _furniture_spans(lines, cc_index, signing_index), flat_text
    )
    return doc


def _furniture_spans(
    lines: list[str], cc_index: int | None, signing_index: int | None
) -> list[tuple[int, int]]:
    """Character spans of the text that cite nothing: the "Nơi nhận" list and the signing block."""
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    spans = []
    if cc_index is not None:
        end = cc_index + 1
        while end < len(lines) and (
            lines[end][:1] in "-–+•"
            or not _is_upper(lines[end])
            and len(lines[end]) < 120
            and not _AUTHORITY_RE.match(lines[end])
        ):
            end += 1
        spans.append((offsets[cc_index], offsets[end]))
    if signing_index is not None:
        spans.append((offsets[signing_index], offsets[min(len(lines), signing_index + 4)]))
    return spans
