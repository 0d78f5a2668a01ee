"""Duties (nhiệm vụ) out of a directive, plan, letter, decision with its regulation, or conclusion notice.

Pure Python, no Django. The text is read as an outline (``structure.outline``) and each part of it is
given its role by the genre's own wording:

* a heading that names a body ("4. Sở Nông nghiệp và Môi trường", "2. Giao Sở Nội vụ", "9. Đề nghị Ủy ban
  Mặt trận Tổ quốc", "Điều 5. Nội dung Sở Dân tộc và Tôn giáo có trách nhiệm chủ trì", "Điều 14. Trách
  nhiệm của ...") gives the items under it to that body;
* "Nhiệm vụ chung" (and, in a conclusion notice, its tasks) goes to those the document addresses: the
  alias it defines ("sau đây gọi tắt là các Bộ, ngành, địa phương"), the bodies after "yêu cầu" or
  "đề nghị", the body a meeting was held with, or the recipients ("Kính gửi");
* under "Tổ chức thực hiện", "Phân công nhiệm vụ", "Nội dung" or "Kinh phí" each item names its own body
  ("Sở Tài chính chủ trì, ...", "Giao Công an thành phố ..."), or its activity lines do ("Cơ quan chủ
  trì: ...", "Thời gian thực hiện: ..."), as do the rows of an activity table;
* purposes, requirements, assessments, principles and general provisions ("Mục đích, yêu cầu", "Đánh giá
  chung", "Phạm vi điều chỉnh", "Nguyên tắc phối hợp") hold no duties, nor do narrative items ("Ngày
  16/6/2025, Quốc hội đã thông qua ..."), the closing formula ("Trong quá trình thực hiện, nếu có khó
  khăn ...", "Trên đây là ..."), "Nơi nhận", "Như trên", "Lưu: VT" and the signing block;
* free prose gives a duty where a body is asked or told to act ("Bộ Khoa học và Công nghệ chủ trì, ...",
  "Bộ Nội vụ trân trọng đề nghị Ban Tuyên giáo ... chỉ đạo ...").

An item whose bullets spell out one task ("có trách nhiệm:" then "-" lines) is one duty; items under a
heading are one duty each. For each duty: the assignee as written (or the addressees, marked general),
the coordinating bodies ("chủ trì, phối hợp với ...", "Cơ quan phối hợp: ..."), the deadline and
recurrence (``deadlines``), where it sits, its span in the text (for highlighting) and a confidence
between 0 and 1 with the doubts that lowered it. Nothing is invented: an assignee the text does not
give stays empty and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ttdn.core.text import fold as _fold_text
from ttdn.core.text import plain as _plain_text
from ttdn.tasks.extraction.deadlines import Deadline, Recurrence, find_deadline, find_recurrence
from ttdn.tasks.extraction.structure import BULLETS, HEADINGS, Node, outline
from ttdn.tasks.extraction.structure import plain as structure_plain

GENERAL = "general"


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """``core.text.fold``, remembered: the same heading or clause is folded many times while a text is read."""
    return _fold_text(text)


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """``core.text.plain``, remembered likewise."""
    return _plain_text(text)


# Words that start the name of a body (folded).
_BODY_STARTS = (
    "bo ",
    "cac bo",
    "uy ban",
    "ubnd",
    "so ",
    "cac so",
    "ban ",
    "cac ban",
    "cong an",
    "bo chi huy",
    "van phong",
    "thanh tra",
    "dai ",
    "bao ",
    "thong tan xa",
    "toa an",
    "vien kiem sat",
    "mat tran",
    "hoi ",
    "cac hoi",
    "truong ",
    "cuc ",
    "vu ",
    "co quan",
    "cac co quan",
    "chu tich",
    "cac chu tich",
    "giam doc",
    "cac giam doc",
    "cac bo truong",
    "thu truong",
    "bo truong",
    "lien doan",
    "tinh doan",
    "thanh doan",
    "doan ",
    "hoc vien",
    "kho bac",
    "cang vu",
    "ngan hang",
    "trung tam",
    "tong cuc",
    "cac don vi",
    "don vi",
    "cac dia phuong",
    "dia phuong",
    "nguoi dung dau",
    "chanh van phong",
    "chanh thanh tra",
    "cac to chuc",
    "to chuc",
    "cac doan the",
    "doan the",
    "cac tong cong ty",
    "tong cong ty",
    "cong ty",
    "cac doanh nghiep",
    "doanh nghiep",
    "tinh uy",
    "thanh uy",
    "dang uy",
    "hoi dong",
    "cac huyen",
    "cac xa",
    "xa ",
    "phuong ",
    "cap xa",
    "quy ",
    "chi cuc",
    "phong ",
    "cac phong",
    "benh vien",
    "vien ",
    "dai hoc",
    "cac truong",
    "cac co so",
    "lanh dao",
    "cac dong chi",
    "quy co quan",
    "tinh ",
    "thanh pho",
    "cac tinh",
    "cac thanh pho",
    "bo doi",
    "bo tu lenh",
    "canh sat",
    "ho gia dinh",
    "cac ho",
    "ca nhan",
    "cac ca nhan",
    "nhan dan",
    "tieu ban",
    "to cong tac",
    "ban chi dao",
    "hoi dong nhan dan",
)
_HEAD_TITLES = ("cac bo truong", "thu truong cac", "cac chu tich", "cac giam doc", "cac thu truong")
_VERBS = (
    "chu tri",
    "co trach nhiem",
    "co nhiem vu",
    "chiu trach nhiem",
    "phoi hop",
    "xay dung",
    "trien khai",
    "to chuc",
    "nghien cuu",
    "thuc hien",
    "kiem tra",
    "theo doi",
    "huong dan",
    "bao cao",
    "trinh",
    "ban hanh",
    "tuyen truyen",
    "cung cap",
    "chi dao",
    "tham muu",
    "de xuat",
    "dinh ky",
    "thuong xuyen",
    "ra soat",
    "danh gia",
    "tong hop",
    "quan ly",
    "bo tri",
    "xu ly",
    "hoan thanh",
    "lap ",
    "soan thao",
    "tiep tuc",
    "day manh",
    "tang cuong",
    "nang cao",
    "phat trien",
    "quang ba",
    "gioi thieu",
    "thong bao",
    "gui ",
    "dam bao",
    "bao dam",
    "chuan bi",
    "cu ",
    "tiep nhan",
    "phat hien",
    "dinh huong",
    "khan truong",
    "chu dong",
    "phan cong",
    "huy dong",
    "ho tro",
    "duy tri",
    "cap nhat",
    "tham gia",
    "lam dau moi",
    "giup",
    "tong ket",
    "so ket",
    "phe duyet",
    "dau tu",
    "van dong",
    "dua ",
    "lua chon",
    "cap ",
    "moi ",
    "don doc",
    "thanh lap",
    "kip thoi",
    "nhan dien",
    "tap trung",
    "giu vung",
    "day nhanh",
    "quan triet",
    "toi uu",
    "bam sat",
    "khuyen khich",
    "han che",
    "ung dung",
    "chap hanh",
    "tuan thu",
    "ket hop",
    "nam bat",
    "nam tinh hinh",
    "phan anh",
    "giai quyet",
    "dao tao",
    "boi duong",
    "thong ke",
    "tiep can",
    "doi moi",
    "hoan thien",
    "sua doi",
    "can doi",
    "thu gom",
    "khoi thong",
    "cung co",
    "uu tien",
    "tao dieu kien",
    "dieu chinh",
    "kien toan",
    "san sang",
    "thiet lap",
    "su dung",
    "khai thac",
    "bao ve",
    "phong ngua",
    "ngan chan",
    "dau tranh",
    "tich cuc",
    "la co quan",
    "la dau moi",
    "phu trach",
    "thu tuc",
    "xac dinh",
    "lam ro",
    "giam sat",
    "du toan",
    "quyet toan",
    "trich",
    "di ",
    "tham dinh",
    "ky ",
    "tuyen ",
    "dang tai",
    "dang ky",
    "biet",
    "thong nhat",
    "nghiem tuc",
    "tien hanh",
    "quan tam",
    "lanh dao",
    "xem xet",
    "kinh trinh",
    "kinh de nghi",
    "tran trong",
    "de nghi",
    "rat mong",
    "de ra",
    "can doi",
    "chuyen giao",
    "phan bo",
    "dieu phoi",
    "tiep thu",
    "lang nghe",
    "doi thoai",
    # making and publishing (the genre's work of information): "Sở ... xuất bản ấn phẩm ..."
    "xuat ban",
    "phat hanh",
    "bien soan",
    "bien tap",
    "bien dich",
    "san xuat",
    "thiet ke",
    "nang cap",
    "ra mat",
    "don tiep",
    "tiep don",
    "phat song",
)
# What a heading that names no body is for (matched folded, at its start).
_GENERAL_HEADINGS = (
    "nhung nhiem vu chung",
    "nhiem vu chung",
    "cac nhiem vu chung",
    "trach nhiem chung",
    "nhiem vu, giai phap chung",
)
_ORGANISING_HEADINGS = (
    "to chuc thuc hien",
    "trach nhiem thi hanh",
    "dieu khoan thi hanh",
    "phan cong nhiem vu",
    "phan cong thuc hien",
    "nhiem vu cu the",
    "giao nhiem vu",
    "trach nhiem cua cac",
    "trach nhiem to chuc thuc hien",
    "phan cong trach nhiem",
)
_CONTENT_HEADINGS = (
    "noi dung",
    "nhiem vu",
    "mot so nhiem vu",
    "cac nhiem vu",
    "nhiem vu, giai phap",
    "nhiem vu va giai phap",
    "giai phap",
    "cac giai phap",
    "hoat dong",
    "cac hoat dong",
    "ke hoach",
    "chuong trinh",
    "cong tac",
    "mot so cong viec",
    "cac cong viec",
)
_FUNDING_HEADINGS = (
    "kinh phi",
    "nguon kinh phi",
    "du toan kinh phi",
    "kinh phi thuc hien",
    "kinh phi bao dam",
    "che do bao cao",
)
_SKIP_HEADINGS = (
    "muc dich",
    "yeu cau",
    "muc tieu",
    "quan diem",
    "danh gia",
    "ket qua",
    "tinh hinh",
    "boi canh",
    "thuc trang",
    "nguyen nhan",
    "han che",
    "ton tai",
    "nhung quy dinh chung",
    "quy dinh chung",
    "pham vi",
    "doi tuong",
    "giai thich tu ngu",
    "nguyen tac",
    "phuong thuc phoi hop",
    "noi dung phoi hop chung",
    "can cu",
    "su can thiet",
    "du bao",
    "nhan dinh",
    "hieu luc thi hanh",
    "chi tieu",
    "dinh huong",
    "tam nhin",
    "tong quan",
    "dac diem",
    "khai quat",
    "mot so ket qua",
    "nhung ket qua",
)
_HEADING_PREFIXES = (
    "trach nhiem cua ",
    "nhiem vu cua ",
    "doi voi ",
    "giao cho ",
    "giao ",
    "de nghi ",
    "yeu cau ",
    "ve phia ",
    "noi dung ",
    "nhiem vu ",
    "trach nhiem ",
)
_HEADING_SUFFIX = re.compile(
    r"[\s,:]*(?:co (?:trach nhiem|nhiem vu)(?: chu tri| thuc hien)?|chiu trach nhiem|chu tri(?: thuc hien)?|thuc hien(?: cac nhiem vu(?: sau)?)?|"
    r"(?:thuc hien )?cac nhiem vu(?: sau)?|nhu sau|phoi hop)?[\s:.]*$",
    re.I,
)
_VERB_TOKEN = re.compile(
    r" (?:" + "|".join(sorted((re.escape(v.strip()) for v in _VERBS), key=len, reverse=True)) + r")(?= )"
)
_COORD_RE = re.compile(r"\bphoi\s+hop\s+(?:chat\s+che\s+)?(?:voi\s+)?", re.I)
_STOP_RE = re.compile(r"[.;:()]|\s(?:de|nham|trong|theo|tai|ve)\s")
_ALIAS_RE = re.compile(r"\(\s*sau\s+day\s+goi\s+(?:tat\s+)?la\s+([^)]+)\)", re.I)
_REQUEST_RE = re.compile(
    r"\b(?:yeu\s+cau|de\s+nghi)\s+(.{5,400}?)(?:\(\s*sau\s+day|\s+(?:tap\s+trung|thuc\s+hien|trien\s+khai|khan\s+truong|quan\s+tam|"
    r"nghiem\s+tuc|chu\s+dong|tiep\s+tuc|to\s+chuc|chi\s+dao|phoi\s+hop|xay\s+dung|khan\s+truong|can\s+cu|nghien\s+cuu)\b|:|\.\s)",
    re.I,
)
_MEETING_RE = re.compile(r"\bthong\s+bao\s+(?:de|cho)\s+(.{5,200}?)\s+(?:duoc\s+)?biet\b", re.I)
_WORKED_WITH_RE = re.compile(
    r"\blam\s+viec\s+voi\s+(?:lanh\s+dao\s+|tap\s+the\s+lanh\s+dao\s+)?(.{3,80}?)(?:\s+ve\b|[,.;:])", re.I
)
_KINH_GUI_RE = re.compile(
    r"^(?:Kinh gui|[^:]{3,60}\sdien)\s*:\s*(.*)$", re.I
)  # "Kính gửi:", a công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:"
# A lead-in that announces the items below it rather than asking for something itself.
_LEAD_IN = re.compile(
    r"\b(?:(?:cac|mot so|nhung)\s+(?:nhiem vu|cong viec|noi dung|giai phap|bien phap|viec)\b[^.;]{0,80}|"
    r"(?:nhu|cu the nhu|sau)\s*):?\s*$|\bnhu sau\s*:?\s*$|:\s*$",
    re.I,
)
# Narrative: what happened, not what is to be done.
_NARRATIVE = re.compile(
    r"^(?:trong thoi gian qua|thoi gian qua|thoi gian gan day|ngay \d+|hien nay|nam \d{4}|viec |tinh den|qua |den nay|nhin chung|"
    r"ket qua|theo bao cao|vua qua|tu ngay|thang \d+|trong (?:\d+ )?thang|trong nam|nhung nam qua|ben canh|tuy nhien|"
    r"nguyen nhan|muc tieu|chu truong)\b",
    re.I,
)
_NOTICE = re.compile(r"\bthong\s+bao\s+(?:de|cho)\b.{0,200}\b(?:biet|thuc\s+hien)\b", re.I)
_CONDITIONAL = re.compile(
    r"^(?:trong qua trinh[^,]{0,60},\s*)?(?:neu|truong hop)\s+(?:co\s+)?(?:phat sinh\s+)?(?:kho khan|vuong mac)",
    re.I,
)
_PASSIVE_FUNDING = re.compile(r"^(?:kinh phi|nguon kinh phi|ngan sach)\b[^.;]{0,120}\bduoc\b", re.I)
_REQUEST_INLINE = re.compile(
    r"\b(?:(?:tran trong |kinh )?de\s+nghi|yeu\s+cau|giao|rat\s+mong|mong|kinh\s+trinh)\s+(?=(?:"
    + "|".join(
        re.escape(b.strip())
        for b in (
            "quy co quan",
            "cac dong chi",
            "ban ",
            "bo ",
            "cac bo",
            "uy ban",
            "ubnd",
            "so ",
            "cac so",
            "cac co quan",
            "co quan",
            "cong an",
            "van phong",
            "dai ",
            "bao ",
            "cac don vi",
            "cac dia phuong",
            "thong tan xa",
            "trung tam",
            "cuc ",
            "tinh ",
            "thanh pho",
            "mat tran",
            "chu tich",
            "giam doc",
            "thu truong",
        )
    )
    + r"))",
    re.I,
)
_FIELD_RE = re.compile(
    r"^(?P<label>noi dung(?: thuc hien| cong viec| nhiem vu| hoat dong)?|(?:co quan|don vi|co quan, don vi)\s+(?:chu tri|thuc hien|"
    r"tham muu|phoi hop|de xuat)(?: thuc hien)?|(?:chu tri|phoi hop)(?: thuc hien)?|thoi gian(?: thuc hien| hoan thanh| trinh)?|"
    r"thoi han(?: hoan thanh)?|tien do(?: thuc hien)?|san pham(?: du kien| dau ra)?|ket qua (?:dau ra|du kien)|kinh phi(?: thuc hien)?|"
    r"nguon kinh phi)\s*(?::|\s(?=sau khi|truoc|trong|nam|quy|thang|hang|tu|den)|$)\s*",
    re.I,
)


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
class _Context:
    assignee: str | None = None  # a body named by a heading, or GENERAL
    role: str = ""  # "", "organising", "content", "funding"
    inherited: bool = False  # the assignee comes from a heading above


@dataclass
class _Reading:
    text: str
    everyone: str | None
    duties: list[Duty] = field(default_factory=list)
    organised: bool = False  # some heading names a body: unassigned content items are then descriptions


def _words(key: str) -> list[str]:
    return key.split()


@lru_cache(maxsize=4096)
def _heading_kind(text: str) -> tuple[str, str | None]:
    """(kind, body) for a heading: kind is body, general, organising, content, funding, skip or other."""
    first = text.split("\n", 1)[0].strip()
    key = fold(first)
    words = key.split()
    body_text = first
    for prefix in _HEADING_PREFIXES:
        if key.startswith(prefix):
            rest_key = key[len(prefix) :]
            if rest_key.startswith(_BODY_STARTS) or prefix in (
                "giao ",
                "de nghi ",
                "trach nhiem cua ",
                "doi voi ",
                "ve phia ",
                "giao cho ",
            ):
                body_text = _drop_words(first, len(prefix.split()))
                key = rest_key
                break
    if fold(first).startswith(_GENERAL_HEADINGS):
        return GENERAL, None
    if fold(first).startswith(_ORGANISING_HEADINGS):
        return "organising", None
    if fold(first).startswith(_SKIP_HEADINGS) and len(words) <= 14:
        return "skip", None
    if fold(first).startswith(_FUNDING_HEADINGS) and len(words) <= 10:
        return "funding", None
    if key.startswith(_BODY_STARTS) and not key.startswith(_NOT_BODIES):
        name = _strip_heading_suffix(body_text)
        if name and not _verb_after_name(name):
            return "body", name
    if fold(first).startswith(_CONTENT_HEADINGS):
        return "content", None
    return "other", None


def _strip_heading_suffix(text: str) -> str:
    flat = plain(text)
    match = _HEADING_SUFFIX.search(flat)
    cut = match.start() if match else len(text)
    return text[:cut].strip(" ,:;.")


def _verb_after_name(name: str) -> bool:
    """A heading-like paragraph that goes on past the body's name into what it is to do."""
    return (
        _leading_body(name + " x") != name
        and _leading_body(name) is not None
        and len(_leading_body(name) or "") < len(name) - 3
    )


def _drop_words(text: str, n: int) -> str:
    return " ".join(text.split()[n:])


def _starts_with_verb(key: str) -> bool:
    if key.startswith(_VERBS):
        return True
    key = _ADVERBS.sub("", key)
    return key.startswith(_VERBS)


# Words before the verb of a task: manner ("Khẩn trương ...") and time ("Hằng năm xây dựng ...", "Định kỳ 6 tháng
# báo cáo ...", "Trước ngày 15/01 hằng năm gửi ..."), possibly several.
_ADVERBS = re.compile(
    r"^(?:(?:tiep tuc|khan truong|chu dong|thuong xuyen|kip thoi|tich cuc|tap trung|nghiem tuc|kien quyet|"
    r"(?:hang|moi) (?:nam|quy|thang|tuan|ngay)|dinh ky(?: (?:hang|moi) (?:nam|quy|thang|tuan)| \d+ thang(?: mot lan| \d lan)?)?|"
    r"truoc ngay \d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?|ngay sau khi [^,]{3,60}),?\s+)+"
)


_NAME_STOP = re.compile(
    r"^(?:theo chuc nang|trong pham vi|tren co so|can cu|theo tham quyen|theo quy dinh|co lien quan,? theo|"
    r"duoc giao|trong qua trinh|khi)\b"
)


_NOT_BODIES = (
    "ban hanh",
    "ban chat",
    "ban dau",
    "so luong",
    "so lieu",
    "so hoa",
    "so ket",
    "bo sung",
    "bo tri",
    "vu viec",
    "hoi nghi",
    "doan ket",
    "dai dien",
    "dia phuong hoa",
    "truong hop",
    "to chuc thuc hien",
    "to chuc trien khai",
    "cap nhat",
    "xa hoi",
    "phuong an",
    "phuong thuc",
    "phuong huong",
    "co quan nao",
    "thanh pho tiep tuc",
)
_NOUN_BIGRAMS = frozenset({"cong lap", "doc lap", "truc thuoc", "tu chu", "co lien quan"})


@lru_cache(maxsize=8192)
def _leading_body(text: str, depth: int = 0) -> str | None:
    """The body a duty names as its subject: "Bộ Thông tin và Truyền thông chủ trì, ..." → the ministry.
    "Giao Công an thành phố ..." and "Đề nghị Ủy ban Mặt trận ..." name it after the verb of giving."""
    head = text[:400]
    key = fold(head)
    for prefix in ("giao cho ", "giao ", "de nghi ", "yeu cau "):
        if key.startswith(prefix) and key[len(prefix) :].startswith(_BODY_STARTS):
            head = _drop_words(head, len(prefix.split()))
            key = key[len(prefix) :]
            break
    if not key.startswith(_BODY_STARTS) or key.startswith(_NOT_BODIES):
        # "Đối với các nhiệm vụ ..., các sở, ngành ... chủ động ...": the body after an opening clause.
        flat = plain(head)
        clause = re.match(
            r"^(?:Doi voi|Tren co so|Can cu|De|Nham|Trong|Sau khi|Truong hop|Ngoai ra)\b[^,;.]{3,200},\s*",
            flat,
            re.I,
        )
        if clause is None or depth:
            return None
        rest = head[clause.end() :]
        if not (rest[:1].isupper() or fold(rest).startswith("cac ")):
            return None  # "..., ban, ngành chuyên môn": the clause's own list goes on, no body starts here
        return _leading_body(rest, depth=1)
    if _starts_with_verb(key) and not key.startswith(("thu truong", "truong ")):
        return None
    words = head.split()[:60]
    folded = [w.strip(",;:.()") for w in plain(" ".join(words)).lower().split()]
    capitals = _is_upper_text(head)
    for i in range(1, len(words)):
        rest = " ".join(folded[i : i + 4])
        if _NAME_STOP.match(rest):
            name = " ".join(words[:i]).rstrip(",;:")
            return name if len(name.split()) <= 60 else None
        if not capitals and words[i][:1].isupper():
            continue  # "Sở Xây dựng", "Ban Quản lý": a capitalised word belongs to the name
        if folded[i - 1] in ("cac", "nhung", "moi", "co", "quan") and not rest.startswith(
            ("co trach nhiem", "co nhiem vu", "chiu trach")
        ):
            continue  # "các tổ chức", "cơ quan quản lý": a noun here
        if f"{folded[i - 1]} {folded[i]}" in _NOUN_BIGRAMS:
            continue  # "sự nghiệp công lập"
        if rest.startswith(_VERBS) and not rest.startswith(_NOT_VERBS):
            name = " ".join(words[:i]).rstrip(",;:")
            return name if len(name.split()) <= 60 else None
    return None


_NOT_VERBS = (
    "bao chi",
    "cong an",
    "thong tin",
    "quan ly thi truong",
    "cap xa",
    "cap tinh",
    "cap huyen",
    "dau tu",
    "to chuc,",
    "to chuc xa hoi",
    "thuc hien nhiem vu",
    "cap nuoc",
    "bao ve thuc vat",
    "tham muu giup viec",
    "quan ly nha nuoc",
    "quan ly cac khu",
    "phat trien do thi",
    "ho tro phat trien",
    "bao dam xa hoi",
)


def _is_upper_text(text: str) -> bool:
    letters = [c for c in text[:200] if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _split_names(span: str) -> list[str]:
    """ "Bộ Nội vụ, Bộ Ngoại giao và các Bộ, ngành, địa phương" → three names; "Ban", "ngành",
    "địa phương" after "các Bộ" stay with it."""
    parts = re.split(r"(,|;|\svà\s|\sva\s)", span)
    names: list[str] = []
    separator = ""
    for part in parts:
        if re.fullmatch(r",|;|\svà\s|\sva\s", part):
            separator = part
            continue
        piece = part.strip()
        if not piece:
            continue
        key = fold(piece)
        words = piece.split()
        capitalised_name = len(words) >= 2 and words[0][:1].isupper() and words[1][:1].isupper()
        new = (
            separator == ";"
            or capitalised_name
            or key.startswith(
                (
                    "cac ",
                    "mot so ",
                    "uy ban",
                    "ubnd",
                    "cong an",
                    "so ",
                    "bo chi huy",
                    "dai ",
                    "bao ",
                    "trung tam",
                    "chi nhanh",
                )
            )
        )
        if new or not names:
            names.append(piece)
        else:
            names[-1] = (
                f"{names[-1]}{separator.rstrip() if separator == ',' else separator}{' ' if separator == ',' else ''}{piece}"
            )
    return [n.strip(" ,.;") for n in names if n.strip(" ,.;")]


def _coordinators(text: str, flat: str | None = None) -> list[str]:
    flat = plain(text) if flat is None else flat
    found: list[str] = []
    for match in _COORD_RE.finditer(flat):
        rest_plain = flat[match.end() : match.end() + 400]
        cut = len(rest_plain)
        stop = _STOP_RE.search(rest_plain)
        if stop:
            cut = stop.start()
        # The list ends where the duty's own verb begins ("... địa phương xây dựng Chương trình").
        verb = _VERB_TOKEN.search(rest_plain.lower(), 1, cut + 1)
        if verb:
            cut = verb.start()
        span = text[match.end() : match.end() + cut].strip(" ,")
        if not span or not fold(span).startswith(_BODY_STARTS + ("cac ", "mot so ", "nganh")):
            continue
        for name in _split_names(span):
            if name not in found:
                found.append(name)
    return found


def addressees(text: str) -> str | None:
    """Whom the document addresses as a whole: the alias it defines ("sau đây gọi tắt là các Bộ, ngành,
    địa phương"), the bodies after "yêu cầu" or "đề nghị", the body a conclusion notice is sent to
    ("thông báo để Ủy ban nhân dân tỉnh Phú Thọ ... biết, thực hiện"), the body a meeting was held
    with, or the recipients of a letter ("Kính gửi")."""
    head = text[:8000]
    flat = plain(head)
    alias = _ALIAS_RE.search(flat)
    if alias and fold(alias.group(1)).startswith(_BODY_STARTS):
        return head[alias.start(1) : alias.end(1)].strip(" ,")
    for match in _REQUEST_RE.finditer(flat):
        found = head[match.start(1) : match.end(1)].strip(" ,")
        if fold(found).startswith(_BODY_STARTS) or fold(found).startswith(
            ("thu truong", "giam doc", "chu tich")
        ):
            return found
    tail = text[-6000:]
    notice = _MEETING_RE.search(plain(tail))
    if notice:
        found = tail[notice.start(1) : notice.end(1)].strip(" ,")
        first = re.split(r"\s+(?:và|va)\s+(?:các|cac)\s+", found)[0]
        if fold(first).startswith(_BODY_STARTS):
            return first
    worked = _WORKED_WITH_RE.search(flat[:3000])
    if worked:
        found = head[worked.start(1) : worked.end(1)].strip(" ,")
        if fold(found).startswith(_BODY_STARTS):
            return found
    recipients = _recipients(text)
    if recipients:
        return "; ".join(recipients)
    return None


def _recipients(text: str) -> list[str]:
    lines = text.split("\n")[:80]
    for i, line in enumerate(lines):
        match = _KINH_GUI_RE.match(plain(line))
        if not match:
            continue
        items = [line[match.start(1) :].strip(" -–.;,")] if match.group(1).strip() else []
        for nxt in lines[i + 1 : i + 40]:
            if nxt[:1] in "-–+•":
                items.append(nxt.lstrip("-–+• ").strip(" ;,."))
            else:
                break
        return [item for item in items if item]
    return []


def extract(text: str) -> list[Duty]:
    """Every duty of the text, in order."""
    for cached in (fold, plain, _leading_body, _heading_kind, structure_plain):
        cached.cache_clear()  # remembered within one text only: measured honestly, bounded in memory
    reading = _Reading(text, addressees(text))
    root = outline(text)
    reading.organised = _names_bodies(root)
    for child in root.children:
        _walk(child, reading, "", _Context())
    return reading.duties


def _names_bodies(node: Node) -> bool:
    """Whether some heading of the outline gives its items to a named body."""
    for child in node.children:
        if child.kind in HEADINGS and child.children and _heading_kind(child.text)[0] == "body":
            return True
        if _names_bodies(child):
            return True
    return False


def _label(prefix: str, node: Node, index: int) -> str:
    if node.kind in BULLETS or node.kind == "plain":
        own = f"({index})"
    elif node.kind == "article":
        # Articles are numbered through the whole text; an appendix's ("Quy chế") are its own.
        return f"{node.part} Điều {node.label}" if node.part else f"Điều {node.label}"
    elif node.kind == "row":
        own = f"({node.label or index})"
    else:
        own = node.label
        parts = prefix.split(".") if prefix else []
        if node.kind in ("sub2", "sub3") and parts and own.startswith(parts[-1] + "."):
            parts = parts[:-1]  # "3.1" under "3" is "II.3.1", not "II.3.3.1"
        prefix = ".".join(parts)
    return f"{prefix}.{own}" if prefix else own


def _walk(node: Node, reading: _Reading, prefix: str, context: _Context, index: int = 1) -> None:
    label = _label(prefix, node, index) if node.kind != "plain" or prefix else ""
    if node.closing:
        return
    if node.kind == "row":
        _row_duty(node, reading, label, context)
        return
    if node.kind == "plain" and not prefix:
        at = len(reading.duties)
        counters: dict[str, int] = {}
        for child in node.children:  # the items a lead-in paragraph announces
            counters[child.kind] = counters.get(child.kind, 0) + 1
            _walk(child, reading, "", context, counters[child.kind])
        # A lead-in ("... yêu cầu các Sở thực hiện:") whose items are duties asks nothing itself; one whose items
        # only inform ("đề nghị ... chỉ đạo ..., cụ thể như sau:" then the facts) is the duty.
        announces = node.text.rstrip().endswith(":") and len(reading.duties) > at
        children = reading.duties[at:]
        del reading.duties[at:]
        if not announces:
            _prose(node, reading, context)
        reading.duties.extend(children)
        return
    is_heading = (
        node.kind in HEADINGS
        and bool(node.children)
        and not _is_activity(node)
        and not _is_item_with_bullets(node)
    )
    if is_heading or (
        node.kind in HEADINGS
        and not node.children
        and _heading_kind(node.text)[0] in ("skip", GENERAL, "organising", "content", "funding")
        and len(node.text.split()) <= 14
    ):
        kind, body = _heading_kind(node.text)
        if kind == "skip":
            return
        inner = _Context(context.assignee, context.role, context.inherited)
        if kind == "body":
            inner = _Context(body, context.role, True)
        elif kind == GENERAL:
            inner = _Context(GENERAL, context.role, True)
        elif kind in ("organising", "content", "funding"):
            inner = _Context(context.assignee, kind, context.inherited)
        elif kind == "other":
            own = _leading_body(node.text)
            if own:
                inner = _Context(own, context.role, True)
        if len(node.children) == 1 and node.children[0].kind == "plain" and not node.children[0].children:
            _item_duty(
                node.children[0], [], reading, label, inner
            )  # a heading and its one paragraph: "9. Đề nghị ..." then the task
            return
        counters = {}
        for child in node.children:
            group = "b" if child.kind in BULLETS or child.kind == "plain" else child.kind
            counters[group] = counters.get(group, 0) + 1
            _walk(child, reading, label, inner, counters[group])
        return
    # An item: one duty, with its bullets (they spell it out); numbered sub-items are duties of their own.
    bullets = [c for c in node.children if c.kind in BULLETS or c.kind == "plain"]
    others = [c for c in node.children if c not in bullets]
    _item_duty(node, bullets, reading, label, context)
    counters = {}
    for child in others:
        counters[child.kind] = counters.get(child.kind, 0) + 1
        _walk(child, reading, label, context, counters[child.kind])


def _is_activity(node: Node) -> bool:
    """A plan's activity: its lines say what, who leads, who helps and when ("- Cơ quan chủ trì: ...")."""
    return any(
        _FIELD_RE.match(plain(c.text)) for c in node.children if c.kind in BULLETS or c.kind == "plain"
    ) or bool(_FIELD_RE.match(plain(node.text.split("\n", 1)[-1])) and "\n" in node.text)


def _is_item_with_bullets(node: Node) -> bool:
    """ "Giao Ban Quản lý ... chỉ đạo các đơn vị ... có trách nhiệm:" then "-" lines: one task spelt out."""
    if not node.children or any(c.kind not in BULLETS for c in node.children):
        return False
    key = fold(node.text)
    kind, _ = _heading_kind(node.text)
    if kind in ("body", GENERAL, "organising", "skip", "content", "funding"):
        return False
    return _starts_with_verb(key) or (_leading_body(node.text) is not None and _has_verb(node.text))


def _block_text(node: Node, bullets: list[Node]) -> str:
    parts = [node.text] + [("- " if b.kind in BULLETS else "") + b.text for b in bullets]
    for bullet in bullets:
        parts.extend(("- " if c.kind in BULLETS else "") + c.text for c in bullet.children)
    return " ".join(" ".join(parts).split())


def _fields(node: Node, bullets: list[Node]) -> dict[str, str]:
    found: dict[str, str] = {}
    lines = node.text.split("\n")[1:] + [b.text for b in bullets]
    for line in lines:
        match = _FIELD_RE.match(plain(line))
        if not match:
            continue
        label = fold(match.group("label"))
        value = line[match.end() :].strip()
        if label.startswith("noi dung"):
            found.setdefault("content", value)
        elif "phoi hop" in label:
            found.setdefault("partners", value)
        elif label.startswith(("co quan", "don vi", "chu tri")):
            found.setdefault("lead", value)
        elif label.startswith(("thoi gian", "thoi han", "tien do")):
            found.setdefault("time", value)
    return found


def _item_duty(node: Node, bullets: list[Node], reading: _Reading, label: str, context: _Context) -> None:
    fields = _fields(node, bullets)
    text = _block_text(node, bullets)
    if not text:
        return
    own = _leading_body(node.text)
    lead_line = fields.get("lead")
    lead = _lead_of(lead_line) if lead_line else None
    flat = plain(node.text)
    if _CONDITIONAL.match(flat) or _PASSIVE_FUNDING.match(flat) and not own:
        return
    if _NOTICE.search(flat) and not own:
        return
    assignee, general, inherited = _assign(
        lead or own, context, reading
    )  # an activity's "Cơ quan chủ trì:" line says it outright
    if assignee is None and not _imperative(node.text):
        return  # no body and no verb of action: a table cell, a place, a heading's fragment — not a duty
    if assignee is None and not general and (reading.organised or context.role == "funding"):
        return  # an activity of the plan described, not given: the bodies' sections give the work
    if (
        general
        and not own
        and not lead
        and (_NARRATIVE.match(flat) or not _imperative(node.text) and not _is_activity(node))
    ):
        return  # narrative under a general heading ("Ngày 16/6/2025, Quốc hội đã thông qua ...", "Dự thảo gồm 4 chương ...")
    asked = _requested(node.text, own)
    if asked:
        assignee, general, inherited = asked, False, False
    if context.role == "funding" and not (own or lead):
        return
    partners = _split_names(fields["partners"]) if fields.get("partners") else []
    deadline_text = fields.get("time")
    reading.duties.append(
        _duty(
            label or "1",
            text,
            node.start,
            max([node.all_end()] + [b.all_end() for b in bullets]),
            assignee,
            general,
            inherited,
            partners,
            deadline_text,
            reading,
        )
    )


_OPENING = re.compile(
    r"^(?:tren co so|can cu|doi voi|de|nham|trong|sau khi|khi|thong qua|voi)\b[^,;.]{3,200},\s*", re.I
)
_ASK_VERB = re.compile(
    r"^\s*(?:kinh trinh|tran trong de nghi|kinh de nghi|de nghi|xin y kien|rat mong)\s+", re.I
)


def _imperative(text: str) -> bool:
    """An item that tells someone to act: it opens with a verb ("Tăng cường ...", "Trên cơ sở ..., khẩn trương xây dựng ...")."""
    flat = plain(text[:400])
    opening = _OPENING.match(flat)
    if opening is None:
        return _starts_with_verb(fold(flat))
    rest = flat[opening.end() :]
    for _ in range(3):  # "Trên cơ sở ..., nhiệm kỳ 2025 - 2030, khẩn trương xây dựng ..."
        if _starts_with_verb(fold(rest)):
            return True
        comma = rest.find(",", 0, 80)
        if comma == -1:
            return False
        rest = rest[comma + 1 :]
    return False


def _requested(text: str, own: str | None) -> str | None:
    """ "Sở X kính trình Ủy ban nhân dân tỉnh xem xét, ban hành ...": the body asked is the one to act."""
    if not own:
        return None
    rest = text[len(own) :] if text.startswith(own) else None
    if rest is None:
        return None
    match = _ASK_VERB.match(plain(rest))
    if not match:
        return None
    return _leading_body(rest[match.end() :])


def _lead_of(value: str) -> str:
    """The lead of an activity line: "Sở Nội vụ chủ trì tham mưu ...; Sở Tư pháp ... phối hợp" → "Sở Nội vụ";
    "Sở Nội vụ, Sở Giáo dục và Đào tạo, Sở Tài chính." → all three."""
    value = value.strip().rstrip(".;")
    own = _leading_body(value)
    if own:
        return own
    return re.split(r"\s*;\s*", value)[0] if ";" in value and len(value) > 150 else value


def _assign(own: str | None, context: _Context, reading: _Reading) -> tuple[str | None, bool, bool]:
    """(assignee, general?, inherited from a heading?)"""
    if own:
        # "Các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, ... có trách nhiệm": the heads of everyone addressed.
        return own, fold(own).startswith(_HEAD_TITLES) and context.assignee in (None, GENERAL), False
    if context.assignee == GENERAL:
        return reading.everyone, True, True
    if context.assignee:
        return context.assignee, False, True
    if context.role in ("organising", "content") and reading.everyone and not reading.organised:
        return reading.everyone, True, True
    if not reading.organised and reading.everyone and context.role == "":
        return reading.everyone, True, True
    return None, False, False


def _row_duty(node: Node, reading: _Reading, label: str, context: _Context) -> None:
    cells = node.cells
    content = cells.get("content")
    if not content:
        return
    lead = cells.get("lead")
    assignee, general, inherited = _assign(_lead_of(lead) if lead else None, context, reading)
    partners = _split_names(cells["partners"]) if cells.get("partners") else []
    reading.duties.append(
        _duty(
            label,
            " ".join(content.split()),
            node.start,
            node.end,
            assignee,
            general,
            inherited,
            partners,
            cells.get("time"),
            reading,
        )
    )


_ENACTING = re.compile(
    r"^[^.;]{0,120}\bban hanh\s+(?:kem theo\s+)?(?:quyet dinh|ke hoach|chi thi|quy che|quy dinh|huong dan|chuong trinh|cong van|"
    r"thong bao|nghi quyet)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:da|vua)\s+(?:co|ban hanh|to chuc|chu tri|thong qua|trien khai|thuc hien|chi dao|gui)\b", re.I
)


_GENERIC_ASK = re.compile(
    r"\s(?:tap trung |nghiem tuc |khan truong )?(?:thuc hien|trien khai)(?: tot| nghiem)?(?: nhu sau| sau)?\s*:\s*$",
    re.I,
)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of a paragraph: a sentence ends at ". " (or "; ") before a capital."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in re.finditer(r"[.!?;]\s+(?=[^\W\d_])", text):
        nxt = text[match.end() : match.end() + 1]
        if nxt.isupper():
            out.append((start, text[start : match.start() + 1]))
            start = match.end()
    out.append((start, text[start:]))
    return [(o, t) for o, t in out if t.strip()]


def _prose(node: Node, reading: _Reading, context: _Context) -> None:
    """Free prose: a duty where a body is told or asked to act, one for each such sentence."""
    text = node.text.replace("\n", " ")
    for offset, sentence in _sentences(text):
        flat = plain(sentence)
        if (
            _NARRATIVE.match(flat)
            or _CONDITIONAL.match(flat)
            or _NOTICE.search(flat)
            or _ENACTING.match(flat)
        ):
            continue
        own = _leading_body(sentence)
        request = _REQUEST_INLINE.search(flat)
        body: str | None = None
        if own and request is None and _requested(sentence, own):
            body = _requested(sentence, own)
            _sentence_duty(reading, node.start + offset, sentence, body, general=False)
            continue
        general = False
        if request and (own is None or request.start() <= len(own) + 40):
            rest = sentence[request.end() :]
            if _LEAD_IN.search(flat) and (
                not _request_is_concrete(plain(rest)) or _GENERIC_ASK.search(plain(rest))
            ):
                continue  # "... yêu cầu các Sở tập trung thực hiện các nhiệm vụ sau:" announces the items
            if fold(rest).startswith(("quy co quan", "cac dong chi")):
                body, general = reading.everyone or " ".join(rest.split()[:3]), reading.everyone is not None
            else:
                body = _leading_body(rest)
        elif own and _has_verb(sentence) and not _PAST.search(flat[:200]):
            if _LEAD_IN.search(flat) and not _request_is_concrete(flat):
                continue
            body = own
        if body:
            _sentence_duty(reading, node.start + offset, sentence, body, general=general)


def _sentence_duty(reading: _Reading, start: int, sentence: str, body: str | None, *, general: bool) -> None:
    """One duty of free prose: the sentence at ``start``, asked of ``body``."""
    reading.duties.append(
        _duty(
            str(len(reading.duties) + 1),
            sentence,
            start,
            start + len(sentence),
            body,
            general,
            False,
            [],
            None,
            reading,
        )
    )


def _request_is_concrete(flat: str) -> bool:
    """ "... chỉ đạo các cơ quan thông tấn, báo chí định hướng thông tin đúng ..., cụ thể như sau:" asks for
    something itself; "... tập trung thực hiện các nhiệm vụ trọng tâm sau:" only announces the items."""
    return not re.search(
        r"\b(?:cac|mot so|nhung)\s+(?:nhiem vu|cong viec|noi dung|giai phap|bien phap|viec|yeu cau)\b",
        flat,
        re.I,
    )


def _duty(
    section: str,
    body: str,
    start: int,
    end: int,
    assignee: str | None,
    general: bool,
    inherited: bool,
    partners: list[str],
    time_text: str | None,
    reading: _Reading,
) -> Duty:
    body = " ".join(body.split())
    doubts: list[str] = []
    confidence = 1.0
    if general:
        confidence -= 0.1
        if reading.everyone is None:
            doubts.append("Không rõ văn bản giao cho ai (không thấy câu “yêu cầu …”).")
    if assignee is None:
        doubts.append("Không xác định được đơn vị chủ trì.")
        confidence -= 0.5
    flat = plain(body)
    deadline: Deadline = find_deadline(body, flat)
    if deadline.due is None and time_text:
        deadline = find_deadline("trong " + time_text)
        if deadline.due is not None:
            deadline = Deadline(deadline.due, time_text.strip(" ."), None)
    recurrence: Recurrence | None = find_recurrence(body, flat) or (
        find_recurrence(time_text) if time_text else None
    )
    if (
        deadline.due is None
        and re.search(r"\btruoc\s+ngay\b|\bthoi\s+han\b", flat, re.I)
        and recurrence is None
    ):
        doubts.append("Có nhắc thời hạn nhưng không đọc được ngày.")
        confidence -= 0.3
    if len(body) > 1500:
        doubts.append("Đoạn dài: có thể gồm nhiều nhiệm vụ.")
        confidence -= 0.2
    if not _has_verb(body):
        doubts.append("Không thấy động từ giao việc.")
        confidence -= 0.2
    coordinators = partners + [c for c in _coordinators(body, flat) if c not in partners]
    return Duty(
        section=section[:40],
        assignee=assignee,
        coordinators=[c for c in coordinators if c != assignee],
        text=body,
        due=deadline.due,
        due_as_written=deadline.as_written,
        recurrence=recurrence.kind if recurrence else None,
        recurrence_periods=list(recurrence.periods) if recurrence else [],
        recurrence_month=recurrence.month if recurrence else None,
        recurrence_day=recurrence.day if recurrence else None,
        recurrence_as_written=recurrence.as_written if recurrence else None,
        assignee_general=general,
        span=(start, end),
        confidence=round(max(confidence, 0.05), 2),
        doubts=doubts,
    )


def _has_verb(text: str) -> bool:
    return _VERB_TOKEN.search(" " + fold(text[:600]) + " ") is not None
