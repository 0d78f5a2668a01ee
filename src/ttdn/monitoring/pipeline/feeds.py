"""Stories out of an RSS or Atom feed (nguồn tin RSS/Atom), by feedparser.

A feed that is not one (an HTML page, broken XML with nothing readable, an empty answer) is refused with a
message, and so is one that lists more than ``MAX_ENTRIES`` stories at once: a poll takes a feed whole or not
at all. Titles and summaries come out as plain text (``extract``)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import feedparser

from ttdn.core.money import format_vnd
from ttdn.monitoring.pipeline.extract import html_to_text, one_line

MAX_ENTRIES = 1000
MAX_BYTES = 10 * 1024 * 1024


class FeedError(ValueError):
    """Why a feed was refused, in words for the source's health page."""


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    published: dt.datetime | None
    text: str
    guid: str
    author: str = ""


@dataclass(frozen=True)
class Feed:
    title: str
    language: str
    entries: tuple[Entry, ...]
    warning: str = ""  # read, but not as written: shown on the source's health


def _when(entry: feedparser.FeedParserDict) -> dt.datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _body(entry: feedparser.FeedParserDict) -> str:
    contents = entry.get("content") or []
    if contents:
        longest = max((c.get("value", "") for c in contents), key=len)
        if longest:
            return html_to_text(longest)
    return html_to_text(entry.get("summary", "") or entry.get("description", ""))


def parse_feed(data: bytes) -> Feed:
    if not data or not data.strip():
        raise FeedError("Nguồn trả về nội dung rỗng.")
    if len(data) > MAX_BYTES:
        raise FeedError(
            f"Nguồn trả về {format_vnd(len(data), unit=False)} byte, quá giới hạn {format_vnd(MAX_BYTES, unit=False)} byte."
        )
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    version = parsed.get("version", "")
    if not version:
        problem = parsed.get("bozo_exception")
        detail = f" ({type(problem).__name__})" if problem else ""
        raise FeedError(f"Nội dung nhận được không phải nguồn RSS hay Atom{detail}.")
    entries = parsed.entries
    if len(entries) > MAX_ENTRIES:
        raise FeedError(
            f"Nguồn liệt kê {format_vnd(len(entries), unit=False)} tin một lần, quá giới hạn "
            f"{format_vnd(MAX_ENTRIES, unit=False)} tin; không tin nào được nhận."
        )
    found = []
    for entry in entries:
        url = (entry.get("link") or "").strip()
        title = one_line(entry.get("title", ""))
        if not url and not title:
            continue
        found.append(
            Entry(
                title=title,
                url=url[:1000],
                published=_when(entry),
                text=_body(entry)[:200_000],
                guid=(entry.get("id") or url)[:1000],
                author=one_line(entry.get("author", ""), 200),
            )
        )
    feed = parsed.get("feed", {})
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    warning = (
        f"XML của nguồn không hợp lệ ({type(problem).__name__}); đã đọc được {len(found)} tin."
        if problem is not None and "Encoding" not in type(problem).__name__
        else ""
    )
    return Feed(
        one_line(feed.get("title", ""), 300), (feed.get("language") or "")[:20], tuple(found), warning
    )
