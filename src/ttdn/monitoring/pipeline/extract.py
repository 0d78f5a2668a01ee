"""Text out of markup (trích văn bản): what a feed's summary or a page's body says, without its markup.

Scripts, styles, templates and embedded frames are dropped with everything inside them; block elements end a
paragraph; entities are decoded; control characters go. The result is plain text: nothing of it is ever
rendered as HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ttdn.core.text import without_controls

_SKIP = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "svg", "head", "form", "button"}
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "figcaption",
        "header",
        "footer",
        "dd",
        "dt",
        "pre",
        "hr",
    }
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of ``markup`` (HTML or text), one paragraph a line."""
    if "<" not in (markup or "") and "&" not in (markup or ""):
        return _tidy(markup or "")
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return _tidy("".join(parser.out))


def _tidy(text: str) -> str:
    text = without_controls(text.replace("\r\n", "\n").replace("\r", "\n"), keep_lines=True)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def one_line(markup: str, limit: int = 500) -> str:
    """A title: the text on one line, at most ``limit`` characters."""
    return " ".join(html_to_text(markup).split())[:limit]
