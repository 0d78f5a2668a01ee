"""One document in every form it arrives in: the parser and the extractor read the same facts from each.

The forms are those of the genre's sources: hard-wrapped at any width from 60 to 100 columns (a crawler,
text from a PDF), blank lines between paragraphs or none, each bullet glyph, Markdown emphasis, header
cells flattened with table pipes, a portal's clutter before and after, CRLF line ends, non-breaking and
zero-width spaces. The documents are the project's own texts in the genre (tests/tasks/data).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttdn.core.text import fold
from ttdn.documents.parsing.normalise import letter_counts, normalise
from ttdn.documents.parsing.parser import parse
from ttdn.tasks.extraction.duties import extract

DATA = Path(__file__).resolve().parents[1] / "tasks" / "data"
WITH_HEADER = (DATA / "chi_thi_tinh.txt").read_text(encoding="utf-8")
HEADERLESS = (DATA / "chi_thi_phan_cong.txt").read_text(encoding="utf-8")

_TYPE_TITLE = re.compile(r"^(CHỈ THỊ|KẾ HOẠCH|QUYẾT ĐỊNH|CÔNG VĂN|THÔNG BÁO)$")
_HEADING = re.compile(r"^(?:[IVX]+\.|\d{1,2}\.)\s+\S.*[^.;:]$")
_SIGNING = re.compile(r"^(?:KT|TM|TL)\.\s")

CLUTTER_BEFORE = "\n".join(
    [
        "Trang chủ",
        "Văn bản pháp luật",
        "Đăng nhập",
        "Tìm kiếm văn bản",
        "Bộ lọc tìm kiếm",
        "Tải văn bản",
        "",
        "Thông tin văn bản đang xem",
        "",
    ]
)
CLUTTER_AFTER = "\n".join(
    [
        "",
        "Văn bản liên quan",
        "Quyết định 1191/QĐ-TTg năm 2020 phê duyệt mục tiêu, nhiệm vụ do Thủ tướng Chính phủ ban hành",
        "Ban hành: 05/08/2020",
        "Hiệu lực: Đã biết",
        "Đăng nhập để xem thêm",
        "Hỗ trợ khách hàng: 1900 0000",
    ]
)


MAIL_HEADER = "\n".join(
    [
        "From: Van thu <vanthu@example.gov.vn>",
        "Sent: Friday, March 15, 2024 4:12 PM",
        "To: phong.ttdn@example.gov.vn",
        "Subject: Chuyen van ban",
        "",
        "Văn thư chuyển văn bản dưới đây để các đơn vị biết, thực hiện.",
        "",
        "",
    ]
)


@dataclass(frozen=True)
class Form:
    width: int | None
    blank: bool
    glyph: str
    emphasis: bool
    pipes: bool
    clutter: bool
    crlf: bool
    odd_spaces: bool
    table: bool = False  # the header as a Markdown table: "| --- |" rule, empty cells, the date in "_…_"
    long_emphasis: bool = False  # one "**…**" over the two lines of a signing block
    columns: int = 0  # header and signing block in two columns: a PDF's text laid out (this many spaces apart), or -1: tabs
    mail: bool = False  # forwarded in an e-mail: the mail's header, then "> " before each line


FORMS = st.builds(
    Form,
    width=st.one_of(st.none(), st.integers(min_value=60, max_value=100)),
    blank=st.booleans(),
    glyph=st.sampled_from(["-", "–", "+", "•", "*"]),
    emphasis=st.booleans(),
    pipes=st.booleans(),
    clutter=st.booleans(),
    crlf=st.booleans(),
    odd_spaces=st.booleans(),
    table=st.booleans(),
    long_emphasis=st.booleans(),
    columns=st.one_of(st.just(0), st.just(-1), st.integers(min_value=4, max_value=12)),
    mail=st.booleans(),
)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def relay(text: str, form: Form) -> str:
    """The document laid out in ``form``."""
    paragraphs = _paragraphs(text)
    title = next(i for i, p in enumerate(paragraphs) if _TYPE_TITLE.match(p))
    header, body = paragraphs[:title], paragraphs[title:]
    out: list[str] = []
    # The header: cells (issuer, national title, number, place and date), flattened with pipes by a crawler.
    cells: list[list[str]] = [[]]
    for line in header:
        cells[-1].append(line)
        if set(line) <= set("-") or line.startswith("Số:") or ", ngày" in line:
            cells.append([])
    if form.columns:
        laid, body = _laid_in_columns(header, body, form.columns)
        out.extend(laid)
    elif form.table and header:
        out.append(_markdown_table(header))
    else:
        for cell in (c for c in cells if c):
            lines = [f"**{line}**" if form.emphasis and line.isupper() else line for line in cell]
            if form.pipes:
                out.append("|")
            out.append("\n".join(lines))
        if form.pipes and header:
            out.append("|")
    for index, paragraph in enumerate(body):
        if "\n" in paragraph:  # already laid out in columns
            out.append(paragraph)
            continue
        if (
            form.long_emphasis
            and _SIGNING.match(paragraph)
            and index + 1 < len(body)
            and body[index + 1].isupper()
        ):
            body[index + 1] = f"{body[index + 1]}**"
            out.append(f"**{paragraph}")
            continue
        if paragraph.startswith("- "):
            paragraph = f"{form.glyph} {paragraph[2:]}"
        if form.emphasis and (
            _TYPE_TITLE.match(paragraph) or _HEADING.match(paragraph) or _SIGNING.match(paragraph)
        ):
            paragraph = f"**{paragraph}**"
        if form.width:
            paragraph = "\n".join(
                textwrap.wrap(paragraph, form.width, break_long_words=False, break_on_hyphens=False)
            )
        out.append(paragraph)
    laid = ("\n\n" if form.blank else "\n").join(out)
    if form.clutter:
        laid = CLUTTER_BEFORE + "\n" + laid + "\n" + CLUTTER_AFTER
    if form.mail:
        laid = MAIL_HEADER + "\n".join(f"> {line}" if line else ">" for line in laid.split("\n"))
    if form.odd_spaces:
        laid = laid.replace("Ủy ban nhân dân", "Ủy\u00a0ban nhân\u200b dân").replace(
            " thông tin ", " thông\u00a0tin "
        )
    if form.crlf:
        laid = laid.replace("\n", "\r\n")
    return laid


def _side_by_side(left: list[str], right: list[str], gap: int) -> str:
    """Two columns as a PDF's text laid out keeps them: the right one from a fixed column on, a line of it
    alone indented to there."""
    rows = [
        (left[i] if i < len(left) else "", right[i] if i < len(right) else "")
        for i in range(max(len(left), len(right)))
    ]
    if gap < 0:  # pasted from a table with tabs
        return "\n".join((f"{a}\t{b}" if a else f"\t\t\t{b}") if b else a for a, b in rows)
    at = max([16, *map(len, left)]) + gap
    return "\n".join((a.ljust(at) + b).rstrip() if b else a for a, b in rows)


def _laid_in_columns(header: list[str], body: list[str], gap: int) -> tuple[list[str], list[str]]:
    """The header's issuer and number beside the national title, motto and date; "Nơi nhận" and its list
    beside the signing block (its name after a blank line of the right column)."""
    laid: list[str] = []
    if header:
        rules = [i for i, line in enumerate(header) if set(line) <= set("-")]
        rest = header[rules[1] + 1 :]
        left = [*header[: rules[0]], next(line for line in rest if line.startswith("Số:"))]
        right = [*header[rules[0] + 1 : rules[1]], next(line for line in rest if ", ngày" in line)]
        laid = [_side_by_side(left, right, gap)]
    start = next(i for i, p in enumerate(body) if p.startswith("Nơi nhận"))
    signing = next(i for i in range(start, len(body)) if _SIGNING.match(body[i]))
    block = body[signing:]
    right = [*block[:-1], "", block[-1]]
    return laid, [*body[:start], _side_by_side(body[start:signing], right, gap)]


def _markdown_table(header: list[str]) -> str:
    """The header as a page converted to Markdown lays it: the issuer and the national title side by side,
    a rule row, the number beside the motto, the place and date under it with an empty cell before."""
    rules = [i for i, line in enumerate(header) if set(line) <= set("-")]
    issuer = " ".join(header[: rules[0]])
    title, motto = header[rules[0] + 1 : rules[1]]
    rest = header[rules[1] + 1 :]
    number = next(line for line in rest if line.startswith("Số:"))
    dated = next(line for line in rest if ", ngày" in line)
    return "\n".join(
        [f"| {issuer} | **{title}** |", "| --- | --- |", f"| {number} | **{motto}** |", f"|  | _{dated}_ |"]
    )


def facts(text: str) -> tuple[dict, list[tuple]]:
    doc = parse(text)
    header = {
        "number": doc.number,
        "doc_type": doc.doc_type,
        "issuer": doc.issuer,
        "issued_on": doc.issued_on,
        "subject": fold(doc.subject or ""),
        "signer": doc.signer.name,
        "authority": doc.signer.authority,
        "references": sorted((r.number, r.issued_on) for r in doc.references),
    }
    duties = [
        (
            d.section,
            d.assignee,
            tuple(d.coordinators),
            d.due,
            d.recurrence,
            d.recurrence_month,
            d.recurrence_day,
            fold(d.text),
        )
        for d in extract(doc.text)
    ]
    return header, duties


BASELINES = {name: facts(text) for name, text in (("header", WITH_HEADER), ("headerless", HEADERLESS))}


def test_the_baselines_are_read_in_full() -> None:
    header, duties = BASELINES["header"]
    assert (header["number"], header["issued_on"], header["signer"]) == (
        "07/CT-UBND",
        "2024-03-15",
        "Võ Văn Hưng",
    )
    assert len(duties) == 15
    header, duties = BASELINES["headerless"]
    assert (header["doc_type"], header["issuer"], header["signer"]) == (
        "Chỉ thị",
        "Ủy ban nhân dân tỉnh",
        "Lê Thị Hoa",
    )
    assert len(duties) == 29


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMS)
def test_every_form_reads_the_same(form: Form) -> None:
    for name, text in (("header", WITH_HEADER), ("headerless", HEADERLESS)):
        header, duties = facts(relay(text, form))
        want_header, want_duties = BASELINES[name]
        assert header == want_header, (name, form)
        assert duties == want_duties, (name, form)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMS)
def test_duty_spans_point_back_into_the_text_as_it_arrived(form: Form) -> None:
    raw = relay(HEADERLESS, form)
    doc = parse(raw)
    cleaned = doc._cleaned  # type: ignore[attr-defined]
    for duty in extract(doc.text):
        start, end = cleaned.span_to_raw(*duty.span)
        assert 0 <= start < end <= len(raw)
        original = fold(raw[start:end].replace("*", " "))
        assert fold(" ".join(duty.text.split()[:4])) in original


def test_normalised_offsets_map_each_character_back() -> None:
    raw = "**1.****\r\n**Sở Văn\u00a0hóa,\r\nThể thao và Du lịch**\r\n\r\n- Tổng hợp\u200b kế hoạch"
    norm = normalise(raw)
    assert norm.text == "1. Sở Văn hóa, Thể thao và Du lịch\n- Tổng hợp kế hoạch"
    for index, char in enumerate(norm.text):
        if char not in " \n":
            assert raw[norm.to_raw(index)] == char


@given(st.lists(st.text(alphabet="AĂÂBĐÊÔƠƯỆỘaăâbđêôơưệộ 1.,", max_size=120), min_size=1, max_size=6))
def test_capital_counts_decide_as_exact_counts_would(lines: list[str]) -> None:
    """Small letters stop being counted once a line is plainly not in capitals: every line's verdict, and the
    verdict on lines summed into a paragraph, stays what exact counting gives (or errs towards "not capitals")."""
    exact = [(sum(ch.isupper() for ch in line), sum(ch.islower() for ch in line)) for line in lines]
    fast = [letter_counts(line) for line in lines]
    for (upper, lower), (f_upper, f_lower) in zip(exact, fast):
        assert f_upper == upper and f_lower >= lower
        assert (upper + lower >= 2 and upper >= 0.85 * (upper + lower)) == (
            upper + f_lower >= 2 and upper >= 0.85 * (upper + f_lower)
        )
    upper, lower = sum(u for u, _ in exact), sum(v for _, v in exact)
    f_lower = sum(v for _, v in fast)
    if upper >= 0.85 * (upper + f_lower) and upper + f_lower >= 2:
        assert upper >= 0.85 * (upper + lower)
