"""Top terms of a set of stories (từ nổi bật), without stopwords.

A Vietnamese word is often two syllables ("du lịch", "đầu tư"), so in a text written with Vietnamese marks the
terms are pairs of syllables, neither of them a function word; elsewhere they are single words of four letters
or more that are not function words. Counted once per story (how many stories hold the term, not how often
one story repeats it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ttdn.core.text import fold
from ttdn.monitoring.pipeline.claims import STOPWORDS
from ttdn.monitoring.pipeline.words import compared

VIETNAMESE_STOP = frozenset(
    [
        "và",
        "của",
        "là",
        "có",
        "các",
        "những",
        "một",
        "được",
        "trong",
        "cho",
        "với",
        "về",
        "tại",
        "theo",
        "khi",
        "đã",
        "đang",
        "sẽ",
        "này",
        "đó",
        "thì",
        "để",
        "từ",
        "ra",
        "vào",
        "lại",
        "còn",
        "cũng",
        "như",
        "nên",
        "mà",
        "nếu",
        "bị",
        "bởi",
        "vì",
        "trên",
        "dưới",
        "sau",
        "trước",
        "người",
        "năm",
        "ngày",
        "tháng",
        "nhiều",
        "cùng",
        "đến",
        "hơn",
        "không",
        "chưa",
        "rằng",
        "cho",
        "biết",
        "tỉnh",
        "thành",
        "phố",
        "ở",
        "do",
        "qua",
        "hay",
        "đây",
        "đều",
        "rất",
    ]
)
# News English and French beside the matcher's function words: reporting verbs and the like.
FOREIGN_STOP = frozenset(
    [
        "said",
        "says",
        "after",
        "before",
        "over",
        "more",
        "also",
        "than",
        "their",
        "they",
        "there",
        "which",
        "when",
        "where",
        "about",
        "into",
        "would",
        "could",
        "other",
        "some",
        "such",
        "been",
        "being",
        "were",
        "what",
        "while",
        "within",
        "during",
        "since",
        "local",
        "officials",
        "told",
        "according",
        "year",
        "years",
        "week",
        "people",
        "dans",
        "selon",
        "leurs",
        "cette",
        "plus",
        "avec",
        "sont",
    ]
)


def terms_of(text: str) -> set[str]:
    _matches, words, with_marks = compared(text or "")
    if with_marks:
        found = set()
        for a, b in zip(words, words[1:], strict=False):
            if a in VIETNAMESE_STOP or b in VIETNAMESE_STOP or a.isdigit() or b.isdigit():
                continue
            found.add(f"{a} {b}")
        return found
    return {
        w
        for w in words
        if len(w) >= 4 and fold(w) not in STOPWORDS and w not in FOREIGN_STOP and not w.isdigit()
    }


def top_terms(texts: Iterable[str], *, limit: int = 20, least: int = 2) -> list[tuple[str, int]]:
    """The ``limit`` terms held by the most stories (at least ``least`` of them), most first."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms_of(text))
    return [(term, n) for term, n in counts.most_common(limit * 2) if n >= least][:limit]
