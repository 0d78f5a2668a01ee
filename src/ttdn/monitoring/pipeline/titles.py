"""The title key of a story (khoá tiêu đề): the second layer of deduplication.

A title as outlets write it carries more than the story's name: the outlet ("... – VnExpress", "Tuoi Tre |
..."), a rubric ("Opinion | ...", "Bình luận: ...", "VIDEO: ...", "[Infographic] ..."), quotation marks and
case. The key keeps the longest part of the title once those are cut, without diacritics, case or
punctuation, so "Opinion | Vietnam's Quang Tri draws visitors – The Diplomat" and "Vietnam's Quang Tri draws
visitors" share it. Titles whose key has fewer than ``MIN_WORDS`` words give no key: "Tin vắn" or "Breaking
news" would fold unrelated stories together."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from ttdn.monitoring.pipeline.words import plain_words

MIN_WORDS = 4
# Parts of a title that are a rubric, not the story (compared folded, whole part or prefix before ":"/"|").
RUBRICS = frozenset(
    {
        "opinion",
        "op ed",
        "oped",
        "editorial",
        "analysis",
        "commentary",
        "comment",
        "interview",
        "exclusive",
        "breaking",
        "breaking news",
        "live",
        "update",
        "updated",
        "video",
        "photos",
        "photo",
        "infographic",
        "podcast",
        "explainer",
        "factbox",
        "fact check",
        "in pictures",
        "tribune",
        "opinion analysis",
        "binh luan",
        "goc nhin",
        "phong van",
        "doc quyen",
        "nong",
        "tin nong",
        "tin moi",
        "cap nhat",
        "video clip",
        "anh",
        "clip",
        "truc tiep",
        "emagazine",
        "megastory",
        "longform",
        "infographics",
        "dieu tra",
        "tieu diem",
        "tribune libre",
        "edito",
        "entretien",
        "analyse",
        "exclusif",
        "en direct",
        "reportage",
    }
)
_SEPARATORS = re.compile(r"\s+[|–—:·•»/]\s+|\s+-\s+|\s*\|\s*|^\s*\[([^\]]{1,40})\]\s*|:\s+")


def _parts(title: str) -> list[str]:
    pieces: list[str] = []
    rest = title
    bracket = re.match(r"^\s*[\[(]([^\])]{1,40})[\])]\s*", rest)
    if bracket:
        pieces.append(bracket.group(1))
        rest = rest[bracket.end() :]
    pieces.extend(_SEPARATORS.split(rest))
    return [p for p in pieces if p and p.strip()]


def title_words(title: str, outlets: Iterable[str] = ()) -> list[str]:
    """The words of the longest part of ``title`` that is neither a rubric nor an outlet's name, folded."""
    cut = {" ".join(plain_words(name)) for name in outlets if name}
    best: list[str] = []
    for part in _parts(title or ""):
        words = plain_words(part)
        folded = " ".join(words)
        if not folded or folded in RUBRICS or folded in cut:
            continue
        if len(words) > len(best):
            best = words
    return best


def title_key(title: str, outlets: Iterable[str] = ()) -> str:
    """A short hash of :func:`title_words`; "" when the title is too short to tell stories apart."""
    words = title_words(title, outlets)
    if len(words) < MIN_WORDS:
        return ""
    return hashlib.blake2b(" ".join(words).encode(), digest_size=10).hexdigest()
