"""Topics of a story (chủ đề) from a taxonomy kept as data (``monitoring/data/topics.json``): human rights,
religion, democracy, ethnic minorities, border, sea and islands, investment, tourism, disasters, public health...

Keywords are matched as whole words, without case (and without diacritics in a text written without them:
"bão", a storm, is not "báo", a newspaper, in a Vietnamese text; ``words``), a keyword of several words as those words
in a row; keywords in a script written without spaces (Chinese) are matched as they stand. Each topic found
keeps the keywords that found it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ttdn.monitoring.pipeline.words import UNSPACED, compared, key

DATA = Path(__file__).resolve().parents[1] / "data" / "topics.json"


@dataclass(frozen=True)
class Topic:
    code: str
    name: str  # in Vietnamese
    keywords: tuple[str, ...]
    name_en: str = ""


@dataclass(frozen=True)
class TopicFound:
    code: str
    keywords: tuple[str, ...]  # as the taxonomy writes them


@cache
def taxonomy(path: Path = DATA) -> tuple[Topic, ...]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Topic(
            t["code"],
            t["name"],
            tuple(k for words in t["keywords"].values() for k in words),
            t.get("name_en", ""),
        )
        for t in raw["topics"]
    )


class TopicTagger:
    def __init__(self, topics: Iterable[Topic]) -> None:
        self._words: dict[bool, dict[tuple[str, ...], list[tuple[str, str]]]] = {True: {}, False: {}}
        self._unspaced: list[tuple[str, str, str]] = []
        self._longest = 1
        self.names: dict[str, str] = {}  # in Vietnamese
        self.names_en: dict[str, str] = {}
        for topic in topics:
            self.names[topic.code] = topic.name
            self.names_en[topic.code] = topic.name_en or topic.name
            for keyword in topic.keywords:
                if UNSPACED.search(keyword):
                    self._unspaced.append((keyword, topic.code, keyword))
                    continue
                for with_marks, index in self._words.items():
                    found = key(keyword, with_marks=with_marks)
                    if found:
                        index.setdefault(found, []).append((topic.code, keyword))
                        self._longest = max(self._longest, len(found))

    def names_in(self, language: str) -> dict[str, str]:
        """The topics' names in ``language`` (a code of the interface: English, else Vietnamese)."""
        return self.names_en if language.startswith("en") else self.names

    def find(self, text: str) -> list[TopicFound]:
        """The topics of ``text``, most keywords first, each with its keywords."""
        _, words, with_marks = compared(text or "")
        index = self._words[with_marks]
        hits: dict[str, dict[str, None]] = {}
        for i in range(len(words)):
            for length in range(1, min(self._longest, len(words) - i) + 1):
                for code, keyword in index.get(tuple(words[i : i + length]), ()):
                    hits.setdefault(code, {})[keyword] = None
        if UNSPACED.search(text or ""):
            for needle, code, keyword in self._unspaced:
                if needle in text:
                    hits.setdefault(code, {})[keyword] = None
        ordered = sorted(hits.items(), key=lambda item: (-len(item[1]), item[0]))
        return [TopicFound(code, tuple(found)) for code, found in ordered]
