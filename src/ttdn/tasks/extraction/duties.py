"""Duties (nhiệm vụ) out of a directive, programme, plan or guidance letter. Pure Python, no Django.

The assignment structure of the genre: sections numbered "1.", "2." (optionally under Roman parts
"I.", "II."), lettered items "a)", "b)", "đ)", and "-" bullets. A numbered heading that names a body
("3. Bộ Ngoại giao", "1. Sở Thông tin và Truyền thông:", "10. Ủy ban nhân dân các huyện, thành phố")
addresses the items under it to that body; "Những nhiệm vụ chung" addresses them to everyone the
document addresses ("yêu cầu các Bộ, ... (sau đây gọi tắt là các Bộ, ngành, địa phương)"); under
"Tổ chức thực hiện" each item names its own body ("Bộ Thông tin và Truyền thông chủ trì, ...").
A heading without items is one duty (section "4").

For each duty: the assignee as written, the coordinating bodies ("chủ trì, phối hợp với ...",
"phối hợp với ..."), the deadline and recurrence (``deadlines``), the text, where it sits, its span
in the analysed text (for highlighting) and a confidence between 0 and 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ttdn.core.text import fold, plain
from ttdn.tasks.extraction.deadlines import Deadline, Recurrence, find_deadline, find_recurrence

GENERAL = "general"

_ROMAN_RE = re.compile(r"^\s*([IVX]{1,5})[.\-]\s+(.+)$")
_NUMBER_RE = re.compile(r"^\s*(\d{1,2})[.)]\s+(.+)$")
_SUBNUMBER_RE = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\.?\s+(.+)$")
_LETTER_RE = re.compile(r"^\s*([a-zđ])\)\s+(.+)$")
_BULLET_RE = re.compile(r"^\s*[-–—•+*]\s*(.+)$")

# Words that start the name of a body (folded).
_BODY_STARTS = (
    "bo ", "cac bo", "uy ban", "ubnd", "so ", "cac so", "ban ", "cong an", "bo chi huy", "van phong", "thanh tra", "dai ", "bao ",
    "thong tan xa", "toa an", "vien kiem sat", "mat tran", "hoi ", "truong ", "cuc ", "vu ", "co quan", "cac co quan", "chu tich",
    "giam doc", "cac bo truong", "thu truong", "bo truong", "lien doan", "tinh doan", "doan ", "hoc vien", "kho bac", "cang vu",
    "ngan hang", "trung tam", "tong cuc", "cac don vi", "don vi", "cac dia phuong", "dia phuong",
)
_GENERAL_HEADINGS = ("nhung nhiem vu chung", "nhiem vu chung", "cac nhiem vu chung", "nhiem vu chung cua")
_ORGANISING_HEADINGS = ("to chuc thuc hien", "trach nhiem thi hanh", "dieu khoan thi hanh", "phan cong nhiem vu", "phan cong thuc hien",
                        "nhiem vu cu the", "giao nhiem vu", "trach nhiem cua cac co quan", "trach nhiem cua cac don vi")
_HEAD_TITLES = ("cac bo truong", "bo truong", "thu truong", "chu tich", "giam doc", "cac giam doc", "cac chu tich", "thu truong cac")
_VERBS = (
    "chu tri", "co trach nhiem", "phoi hop", "xay dung", "trien khai", "to chuc", "nghien cuu", "thuc hien", "kiem tra", "theo doi",
    "huong dan", "bao cao", "trinh", "ban hanh", "tuyen truyen", "cung cap", "chi dao", "tham muu", "de xuat", "dinh ky", "thuong xuyen",
    "ra soat", "danh gia", "tong hop", "quan ly", "bo tri", "xu ly", "hoan thanh", "lap ", "soan thao", "tiep tuc", "day manh", "tang cuong",
    "nang cao", "phat trien", "quang ba", "gioi thieu", "thong bao", "gui ", "dam bao", "bao dam", "chuan bi", "cu ", "tiep nhan",
    "phat hien", "dinh huong", "khan truong", "chu dong", "phan cong", "huy dong", "ho tro", "duy tri", "cap nhat", "tham gia", "lam dau moi",
    "giup", "tong ket", "so ket", "phe duyet", "dau tu", "van dong", "dua ", "lua chon", "cap ", "moi ", "don doc", "thanh lap",
)
_COORD_RE = re.compile(r"\bphoi\s+hop\s+(?:chat\s+che\s+)?(?:voi\s+)?", re.I)
_STOP_RE = re.compile(r"[.;:()]|\s(?:de|nham|trong|theo|tai)\s")
_ALIAS_RE = re.compile(r"\(\s*sau\s+day\s+goi\s+(?:tat\s+)?la\s+([^)]+)\)", re.I)
_REQUEST_RE = re.compile(r"\byeu\s+cau\s+(.{5,400}?)(?:\(\s*sau\s+day|\s+(?:tap\s+trung|thuc\s+hien|trien\s+khai|khan\s+truong|quan\s+tam|nghiem\s+tuc|chu\s+dong|tiep\s+tuc)\b|:|\.\s)", re.I)


@dataclass
class Duty:
    section: str
    assignee: str | None
    coordinators: list[str]
    text: str
    due: dt.date | None
    due_as_written: str | None
    recurrence: str | None
    recurrence_periods: list[str] = field(default_factory=list)
    recurrence_month: int | None = None
    recurrence_day: int | None = None
    recurrence_as_written: str | None = None
    assignee_general: bool = False
    span: tuple[int, int] = (0, 0)
    confidence: float = 1.0
    doubts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        data["span"] = list(self.span)
        return data


@dataclass
class _Block:
    """A numbered or lettered unit of the text with its lines' span."""

    level: int  # 0 roman, 1 number, 2 sub-number, 3 letter, 4 bullet, 5 paragraph
    label: str
    text: str
    start: int
    end: int
    children: list[_Block] = field(default_factory=list)


_END_RE = re.compile(r"^\s*(?:noi\s+nhan|(?:tm|kt|tl|tuq|q)\s*\.\s+\S|xem\s+file\s+dinh\s+kem|tin\s+lien\s+quan)", re.I)


def _blocks(text: str) -> list[_Block]:
    """The text as a tree of blocks. A paragraph continues the block above it when it follows without
    a blank line, or when that block is a heading still without items ("4. Bộ Văn hoá ..." then its
    paragraph); otherwise it stands alone. Reading stops at "Nơi nhận" or the signing block."""
    roots: list[_Block] = []
    stack: list[_Block] = []
    offset = 0
    blank = False
    for line, flat_line in zip(text.split("\n"), plain(text).split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        if _END_RE.match(flat_line.strip()):
            break
        level, label, body = 5, "", stripped
        for lvl, pattern in ((0, _ROMAN_RE), (2, _SUBNUMBER_RE), (1, _NUMBER_RE), (3, _LETTER_RE)):
            match = pattern.match(stripped)
            if match:
                level, label, body = lvl, match.group(1), match.group(2)
                break
        else:
            match = _BULLET_RE.match(stripped)
            if match:
                level, body = 4, match.group(1)
        lead = line.find(body)
        block = _Block(level, label, body, start + max(lead, 0), end)
        after_blank, blank = blank, False
        if level == 5:
            if stack and (not after_blank or (stack[-1].level <= 2 and not stack[-1].children and "\n" not in stack[-1].text)):
                stack[-1].text += "\n" + body
                stack[-1].end = end
                continue
            stack.clear()
            roots.append(block)
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(block)
        stack.append(block)
    return roots


def _is_heading(text: str) -> bool:
    first = text.split("\n", 1)[0].strip()
    words = first.split()
    return bool(words) and len(words) <= 18 and not first.rstrip().endswith((".", ";", "./")) or first.endswith(":") and len(words) <= 18


def _heading_body(text: str) -> tuple[str | None, str]:
    """(assignee, kind) named by a section heading: kind is "body", "general", "organising" or "other"."""
    first = text.split("\n", 1)[0].strip().rstrip(":").strip()
    key = fold(first)
    for prefix in ("trach nhiem cua ", "doi voi ", "nhiem vu cua ", "giao "):
        if key.startswith(prefix):
            key = key[len(prefix):]
            first = first[len(first) - len(first.lstrip()):]
            first = _drop_words(first, len(prefix.split()))
            break
    if key.startswith(_GENERAL_HEADINGS):
        return None, GENERAL
    if key.startswith(_ORGANISING_HEADINGS):
        return None, "organising"
    if key.startswith(_BODY_STARTS) and not _starts_with_verb(key):
        return first, "body"
    return None, "other"


def _drop_words(text: str, n: int) -> str:
    return " ".join(text.split()[n:])


def _starts_with_verb(key: str) -> bool:
    return key.startswith(_VERBS)


def _leading_body(text: str) -> str | None:
    """The body a duty names as its subject: "Bộ Thông tin và Truyền thông chủ trì, ..." → the ministry."""
    key = fold(text[:300])
    if not key.startswith(_BODY_STARTS) or _starts_with_verb(key):
        return None
    words = text.split()[:40]
    folded = [w.strip(",;:.()") for w in plain(" ".join(words)).lower().split()]
    for i in range(1, len(words)):
        rest = " ".join(folded[i:i + 3])
        if rest.startswith(_VERBS) and not rest.startswith(("phoi hop voi", "bao chi", "cong an")):
            name = " ".join(words[:i]).rstrip(",;:")
            return name if len(name.split()) <= 30 else None
    return None


def _split_names(span: str) -> list[str]:
    """"Bộ Nội vụ, Bộ Ngoại giao và các Bộ, ngành, địa phương" → three names; "Ban", "ngành",
    "địa phương" after "các Bộ" stay with it."""
    parts = re.split(r"(,|\svà\s|\sva\s)", span)
    names: list[str] = []
    separator = ""
    for part in parts:
        if re.fullmatch(r",|\svà\s|\sva\s", part):
            separator = part
            continue
        piece = part.strip()
        if not piece:
            continue
        key = fold(piece)
        words = piece.split()
        capitalised_name = len(words) >= 2 and words[0][:1].isupper() and words[1][:1].isupper()
        new = capitalised_name or key.startswith(("cac ", "mot so ", "uy ban", "ubnd", "cong an", "so ", "bo chi huy", "dai ", "bao "))
        if new or not names:
            names.append(piece)
        else:
            names[-1] = f"{names[-1]}{separator.rstrip() if separator == ',' else separator}{' ' if separator == ',' else ''}{piece}"
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def _coordinators(text: str, flat: str | None = None) -> list[str]:
    flat = plain(text) if flat is None else flat
    found: list[str] = []
    for match in _COORD_RE.finditer(flat):
        rest_plain = flat[match.end():]
        cut = len(rest_plain)
        stop = _STOP_RE.search(rest_plain)
        if stop:
            cut = stop.start()
        lowered = rest_plain.lower()
        # The list ends where the duty's own verb begins ("... địa phương xây dựng Chương trình").
        for verb in _VERBS:
            pos = lowered.find(" " + verb.strip() + " ")
            while pos != -1 and pos < cut:
                if pos > 0:
                    cut = pos
                    break
                pos = lowered.find(" " + verb.strip() + " ", pos + 1)
        span = text[match.end():match.end() + cut].strip(" ,")
        if not span or not fold(span).startswith(_BODY_STARTS + ("cac ", "mot so ", "nganh")):
            continue
        for name in _split_names(span):
            if name not in found:
                found.append(name)
    return found


def addressees(text: str) -> str | None:
    """Whom the document addresses as a whole: the alias it defines ("sau đây gọi tắt là các Bộ,
    ngành, địa phương"), or the bodies after "yêu cầu"."""
    head = text[:6000]
    flat = plain(head)
    alias = _ALIAS_RE.search(flat)
    if alias:
        return head[alias.start(1):alias.end(1)].strip(" ,")
    request = _REQUEST_RE.search(flat)
    if request:
        return head[request.start(1):request.end(1)].strip(" ,")
    return None


def extract(text: str) -> list[Duty]:
    """Every duty of the text, in order."""
    everyone = addressees(text)
    duties: list[Duty] = []
    for root in _blocks(text):
        if root.level == 5 and not duties:
            continue  # the preamble: background and purpose, no assignment yet
        _walk(root, text, "", None, False, everyone, duties)
    return duties


def _walk(block: _Block, text: str, prefix: str, assignee: str | None, organising: bool, everyone: str | None, out: list[Duty]) -> None:
    label = f"{prefix}.{block.label}" if prefix and block.label else (block.label or prefix or "kết")
    if block.level == 4:
        return  # bullets are read with their parent (below)
    if block.level in (0, 1, 2) and _is_heading(block.text):
        named, kind = _heading_body(block.text)
        inner_assignee, inner_organising = assignee, organising
        if kind == "body":
            inner_assignee = named
        elif kind == GENERAL:
            inner_assignee = GENERAL
        elif kind == "organising":
            inner_organising = True
        subs = [c for c in block.children if c.level != 4]
        bullets = [c for c in block.children if c.level == 4]
        if subs:
            for child in subs:
                _walk(child, text, label, inner_assignee, inner_organising, everyone, out)
            for n, bullet in enumerate(bullets, 1):
                out.append(_duty(f"{label}.({n})", bullet, text, inner_assignee, inner_organising, everyone))
            return
        if bullets:
            for n, bullet in enumerate(bullets, 1):
                out.append(_duty(f"{label}.({n})", bullet, text, inner_assignee, inner_organising, everyone))
            return
        body = block.text.split("\n", 1)
        if kind in ("body", GENERAL) and len(body) == 2 and body[1].strip():
            first_line = body[1].strip().split("\n", 1)[0]
            start = max(text.find(first_line, block.start), block.start)
            out.append(_duty(label, _Block(5, "", body[1].strip(), start, block.end), text, inner_assignee, inner_organising, everyone))
        return
    if block.level == 0:
        for child in block.children:
            _walk(child, text, label, assignee, organising, everyone, out)
        return
    if assignee is None and not organising and _leading_body(block.text) is None:
        return  # outside any assignment (background, objectives)
    bullets = [c for c in block.children if c.level == 4]
    others = [c for c in block.children if c.level != 4]
    if bullets and len(block.text) < 200 and block.text.rstrip().endswith(":"):
        for n, bullet in enumerate(bullets, 1):
            duty = _duty(f"{label}.({n})", bullet, text, assignee, organising, everyone)
            out.append(duty)
    else:
        merged = _Block(block.level, block.label, "\n".join([block.text] + [f"- {b.text}" for b in bullets]), block.start,
                        max([block.end] + [b.end for b in bullets]))
        out.append(_duty(label, merged, text, assignee, organising, everyone))
    for child in others:
        _walk(child, text, label, assignee, organising, everyone, out)


def _duty(section: str, block: _Block, text: str, assignee: str | None, organising: bool, everyone: str | None) -> Duty:
    body = " ".join(block.text.split())
    doubts: list[str] = []
    confidence = 1.0
    own = _leading_body(body)
    general = False
    if own and fold(own).startswith(_HEAD_TITLES):
        own, general = None, True
    if own:
        assignee = own
    elif assignee == GENERAL or (organising and assignee is None) or general:
        general = True
        assignee = everyone
        confidence -= 0.1
        if everyone is None:
            doubts.append("Không rõ văn bản giao cho ai (không thấy câu “yêu cầu …”).")
    if assignee is None:
        doubts.append("Không xác định được đơn vị chủ trì.")
        confidence -= 0.5
    flat = plain(body)
    deadline: Deadline = find_deadline(body, flat)
    recurrence: Recurrence | None = find_recurrence(body, flat)
    if deadline.due is None and re.search(r"\btruoc\s+ngay\b|\bthoi\s+han\b", flat, re.I) and recurrence is None:
        doubts.append("Có nhắc thời hạn nhưng không đọc được ngày.")
        confidence -= 0.3
    if len(body) > 800:
        doubts.append("Đoạn dài: có thể gồm nhiều nhiệm vụ.")
        confidence -= 0.2
    if not _has_verb(body):
        doubts.append("Không thấy động từ giao việc.")
        confidence -= 0.2
    return Duty(
        section=section, assignee=assignee, coordinators=[c for c in _coordinators(body, flat) if c != assignee], text=body,
        due=deadline.due, due_as_written=deadline.as_written,
        recurrence=recurrence.kind if recurrence else None, recurrence_periods=list(recurrence.periods) if recurrence else [],
        recurrence_month=recurrence.month if recurrence else None, recurrence_day=recurrence.day if recurrence else None,
        recurrence_as_written=recurrence.as_written if recurrence else None, assignee_general=general,
        span=(block.start, block.end), confidence=round(max(confidence, 0.05), 2), doubts=doubts,
    )


def _has_verb(text: str) -> bool:
    key = " " + fold(text[:400]) + " "
    return any(" " + verb.strip() + " " in key for verb in _VERBS)
