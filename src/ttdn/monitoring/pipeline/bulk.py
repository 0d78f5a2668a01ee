"""A bulk import of stories (nhập hàng loạt): an export of another system as JSON (a list of objects, an object
holding one, or one object a line) or CSV (comma, semicolon or tab; UTF-8, with or without its mark), read to
rows of stories.

Columns are known by their usual names in English and in Vietnamese, with or without marks: title (tiêu đề),
text (nội dung, body, summary, description), url (link, địa chỉ), published (publish_date, date, ngày đăng),
outlet (media_name, source, nguồn, báo). A row without a title, with a date that cannot be read or an address
that is not a web address is an error with its line; the caller takes the file whole or not at all."""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import json
import re
from dataclasses import dataclass
from pathlib import PurePath

from ttdn.core.text import fold, without_controls
from ttdn.monitoring.pipeline.extract import one_line
from ttdn.monitoring.pipeline.pages import VIETNAM

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
MAX_FIELD = 200_000
SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt")

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "tieu de", "tieu_de", "headline", "tieude", "ten bai"),
    "text": (
        "text",
        "body",
        "content",
        "noi dung",
        "noi_dung",
        "summary",
        "description",
        "tom tat",
        "mo ta",
        "snippet",
    ),
    "url": ("url", "link", "dia chi", "duong dan", "address", "guid"),
    "published": (
        "published",
        "publish_date",
        "published_at",
        "publication_date",
        "date",
        "pubdate",
        "ngay dang",
        "ngay",
        "thoi gian",
        "datetime",
    ),
    "outlet": (
        "outlet",
        "media_name",
        "media",
        "source",
        "nguon",
        "bao",
        "co quan bao chi",
        "site",
        "sitename",
    ),
}


def _name(text: str) -> str:
    """A column's name as compared: no marks, lower case, ``_`` and ``-`` as spaces."""
    return " ".join(fold(str(text)).replace("_", " ").replace("-", " ").split())


_KNOWN = {_name(alias): field for field, aliases in COLUMNS.items() for alias in aliases}
_DMY = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,T]+(\d{1,2})[:hg](\d{2})(?::(\d{2}))?)?$", re.IGNORECASE
)


class BulkRefused(ValueError):
    """The whole file cannot be read (the message says why, in Vietnamese)."""


@dataclass(frozen=True)
class Row:
    line: int
    title: str = ""
    text: str = ""
    url: str = ""
    published: dt.datetime | None = None
    outlet: str = ""
    error: str = ""


def _column(name: str) -> str:
    return _KNOWN.get(_name(name), "")


def parse_when(value: str) -> dt.datetime | None:
    """A date as exports write it: ISO 8601 (with or without time and zone), dd/mm/yyyy [hh:mm], RFC 2822, or a
    Unix time; ``ValueError`` when it cannot be read. A time without its zone is Vietnam's."""
    text = " ".join(str(value).split())
    if not text:
        return None
    if re.fullmatch(r"\d{9,10}(\.\d+)?", text):
        return dt.datetime.fromtimestamp(float(text), tz=dt.UTC)
    found = _DMY.match(text)
    if found:
        day, month, year, hour, minute, second = found.groups()
        when = dt.datetime(
            int(year), int(month), int(day), int(hour or 12), int(minute or 0), int(second or 0)
        )
        return when.replace(tzinfo=VIETNAM)
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(text) from exc
    if when.tzinfo is None:
        when = (
            when.replace(hour=when.hour or 12, tzinfo=VIETNAM)
            if len(text) <= 10
            else when.replace(tzinfo=VIETNAM)
        )
    return when


def _row(line: int, record: object) -> Row:
    if not isinstance(record, dict):
        return Row(line, error="Dòng không phải một bản ghi (cần các cột tiêu đề, nội dung, địa chỉ, ngày).")
    values: dict[str, str] = {}
    for name, value in record.items():
        field = _column(name)
        if field and field not in values and value not in (None, ""):
            values[field] = without_controls(str(value), keep_lines=True)[:MAX_FIELD].strip()
    title = one_line(values.get("title", ""), 500)
    if not title:
        return Row(line, error="Thiếu tiêu đề.")
    url = values.get("url", "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        return Row(
            line, title=title, error=f"Địa chỉ “{url[:80]}” không phải địa chỉ web (http:// hay https://)."
        )
    try:
        published = parse_when(values.get("published", ""))
    except (ValueError, OverflowError, OSError):
        return Row(
            line,
            title=title,
            error=f"Không đọc được ngày “{values.get('published', '')[:40]}” (dùng dd/mm/yyyy hoặc yyyy-mm-dd).",
        )
    return Row(
        line, title, values.get("text", ""), url[:1000], published, one_line(values.get("outlet", ""), 200)
    )


def read_export(filename: str, data: bytes) -> list[Row]:
    """Every row of an export, in order; :class:`BulkRefused` when the file as a whole cannot be read."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise BulkRefused("Chỉ nhận tệp .json, .jsonl hoặc .csv.")
    if not data.strip():
        raise BulkRefused("Tệp rỗng, không có nội dung.")
    if len(data) > MAX_BYTES:
        raise BulkRefused(
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là {MAX_BYTES // 1024 // 1024} MB."
        )
    if b"\x00" in data[:4096]:
        raise BulkRefused("Tệp có dữ liệu nhị phân, không phải JSON hay CSV.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkRefused("Tệp phải ở bảng mã UTF-8.") from exc
    stripped = text.lstrip()
    if suffix in (".json", ".jsonl", ".ndjson") or stripped[:1] in ("[", "{"):
        records = _json(text)
    else:
        records = _csv(text)
    if not records:
        raise BulkRefused("Tệp không có dòng tin nào.")
    if len(records) > MAX_ROWS:
        raise BulkRefused(
            f"Tệp có {len(records):,} dòng tin; mỗi lần nhập tối đa {MAX_ROWS:,} dòng.".replace(",", ".")
        )
    rows = [_row(line, record) for line, record in records]
    if not any(
        _column(name) == "title" for _, record in records if isinstance(record, dict) for name in record
    ):
        raise BulkRefused("Không thấy cột tiêu đề (title, tiêu đề) trong tệp.")
    return rows


def _json(text: str) -> list[tuple[int, object]]:
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        records: list[tuple[int, object]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise BulkRefused(f"Tệp JSON hỏng ở dòng {number}: {exc.msg}.") from exc
        return records
    except RecursionError as exc:
        raise BulkRefused("Tệp JSON lồng quá sâu.") from exc
    if isinstance(found, dict):
        for name in ("items", "stories", "data", "results", "articles", "rows"):
            if isinstance(found.get(name), list):
                found = found[name]
                break
        else:
            found = [found]
    if not isinstance(found, list):
        raise BulkRefused("Tệp JSON cần là một danh sách tin.")
    return [(number, record) for number, record in enumerate(found, start=1)]


def _csv(text: str) -> list[tuple[int, object]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(MAX_FIELD * 4)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        records: list[tuple[int, object]] = []
        for record in reader:
            if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
                continue
            records.append((reader.line_num, {k: v for k, v in record.items() if isinstance(k, str)}))
    except csv.Error as exc:
        raise BulkRefused(f"Tệp CSV hỏng ở dòng {reader.line_num}: {exc}.") from exc
    return records
