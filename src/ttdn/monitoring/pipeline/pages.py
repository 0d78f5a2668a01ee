"""A web page as a story (trang web): its main text without menus, comments and footers (trafilatura), its
title and the date it was first published (htmldate), read from the page alone: nothing is fetched here.

A page whose main text cannot be told from its furniture (too short, an index) falls back to all its visible
text; a page with no title takes its first line. Markup never survives: scripts and styles go with everything
inside them, and the text is plain."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from ttdn.monitoring.pipeline.extract import html_to_text, one_line

MIN_MAIN_TEXT = 40  # characters: below this the extractor found no article and the whole page's text is kept
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")  # a date without its zone is Vietnam's (UTC+7)

for _name in (
    "trafilatura",
    "htmldate",
    "courlan",
):  # a page they cannot read is a message of ours, not a log
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class PageError(ValueError):
    """The bytes are not a page that can be read (the message says why)."""


@dataclass(frozen=True)
class Page:
    title: str
    text: str
    published: dt.datetime | None
    site: str = ""


def decode_html(data: bytes) -> str:
    """The page's text, in the encoding its bytes declare or, failing that, UTF-8 or Windows-1258."""
    import trafilatura.utils

    if not data.strip():
        raise PageError("Trang trống, không có nội dung.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PageError("Tệp có dữ liệu nhị phân, không phải trang web.")
    text = trafilatura.utils.decode_file(data)
    if not isinstance(text, str):
        text = data.decode("utf-8", errors="replace")
    return text


def read_page(html: str | bytes, *, url: str = "", today: dt.date | None = None) -> Page:
    """The story a page tells: title, main text, first publication date (``None`` when the page gives none)."""
    import trafilatura

    markup = decode_html(html) if isinstance(html, bytes) else html
    if "<" not in markup:
        raise PageError("Nội dung không phải trang web (HTML).")
    try:
        found = trafilatura.bare_extraction(
            markup,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,  # its memory of text seen is process-wide: a page read twice would lose it
        )
    except (ValueError, TypeError, AttributeError, RecursionError):  # a page broken beyond the parser
        found = None
    title = one_line(getattr(found, "title", None) or "", 500)
    text = (getattr(found, "text", None) or "").strip()
    if len(text) < MIN_MAIN_TEXT:
        text = html_to_text(markup)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not title and lines:
        title = one_line(lines[0], 500)
        lines = lines[1:]
    elif lines and lines[0] == title:  # the headline repeated as the text's first line
        lines = lines[1:]
    return Page(
        title=title,
        text="\n".join(lines),
        published=_published(markup, url, today),
        site=one_line(getattr(found, "sitename", None) or "", 200),
    )


def _published(markup: str, url: str, today: dt.date | None) -> dt.datetime | None:
    import htmldate

    latest = dt.datetime.combine(today or dt.date.today(), dt.time.max)
    try:
        found = htmldate.find_date(
            markup,
            url=url or None,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            max_date=latest,
        ) or htmldate.find_date(markup, original_date=True, extensive_search=True, max_date=latest)
    except (ValueError, TypeError, RecursionError):
        return None
    if not found:
        return None
    for form in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            when = dt.datetime.strptime(found, form)
        except ValueError:
            continue
        if not when.tzinfo:  # a day alone is taken at noon, so that it stays the same day in every zone
            when = when.replace(hour=when.hour or 12, tzinfo=VIETNAM)
        return when
    return None
