"""Top terms of a set of stories (từ nổi bật), without stopwords.

A Vietnamese word is often two syllables ("du lịch", "đầu tư"), so in a text written with Vietnamese marks the
terms are pairs of neighbouring syllables, neither of them a function word nor a number, and not parted by
punctuation; elsewhere they are single words of four letters or more that are not function words. Counted once
per story (how many stories hold the term, not how often one story repeats it).

A pair can straddle two words ("đầu tư nước ngoài" holds "tư nước"). No word list says where Vietnamese words
end, but the stories do: the pairs of every story are counted first, then each story is cut into pairs that do
not share a syllable, chosen so that the other stories holding the kept pairs add up to the most, and only the
pairs so kept are counted. "tư nước" loses to "đầu tư" and to "nước ngoài", which every story holding it holds too."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ttdn.core.text import fold
from ttdn.monitoring.pipeline.claims import STOPWORDS
from ttdn.monitoring.pipeline.words import compared, marked

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

# What stands between two syllables that are not one term: anything but letters, digits and spaces in a line.
PARTED = re.compile(r"[^\w \t\u00a0]+")


def _candidates(text: str) -> tuple[list[tuple[int, str]], bool]:
    """The terms a story may hold, where they stand: (index of the first syllable, term); whether the text is
    Vietnamese written with marks (terms are then syllable pairs)."""
    text = text or ""
    if not marked(text):
        return [
            (i, w)
            for i, w in enumerate(compared(text)[1])
            if len(w) >= 4 and fold(w) not in STOPWORDS and w not in FOREIGN_STOP and not w.isdigit()
        ], False
    found = []
    at = 0
    # "tăng trưởng, khách": a comma, a full stop or a new line parts two syllables.
    for run in PARTED.split(unicodedata.normalize("NFC", text).lower()):
        words = run.split()
        skip = [w in VIETNAMESE_STOP or w.isdigit() for w in words]
        for i in range(len(words) - 1):
            if not (skip[i] or skip[i + 1]):
                found.append((at + i, f"{words[i]} {words[i + 1]}"))
        at += len(words) + 1
    return found, True


def terms_of(text: str) -> set[str]:
    """Every term ``text`` may hold (its pairs before they are cut: see ``top_terms``)."""
    return {term for _, term in _candidates(text)[0]}


def _cut(candidates: list[tuple[int, str]], counts: Counter[str]) -> set[str]:
    """The pairs kept when a story is cut into pairs that share no syllable, so that the kept pairs are held by
    as many other stories as can be, added up (a pair no other story holds weighs nothing, so two such pairs do
    not outweigh the one between them); one pass from the end over the path of pairs, a tie keeps the left."""
    if not candidates:
        return set()
    last = candidates[-1][0]
    terms: list[str | None] = [None] * (last + 1)
    weights = [0] * (last + 1)
    for i, term in candidates:
        terms[i], weights[i] = term, counts[term] - 1
    best = [0] * (last + 3)  # best[i]: the most the pairs from syllable i on can add up to
    for i in range(last, -1, -1):
        best[i] = max(best[i + 1], weights[i] + best[i + 2]) if terms[i] is not None else best[i + 1]
    kept: set[str] = set()
    i = 0
    while i <= last:
        held = terms[i]
        if held is not None and weights[i] + best[i + 2] >= best[i + 1]:
            kept.add(held)
            i += 2
        else:
            i += 1
    return kept


def top_terms(texts: Iterable[str], *, limit: int = 20, least: int = 2) -> list[tuple[str, int]]:
    """The ``limit`` terms held by the most stories (at least ``least`` of them), most first."""
    stories = [_candidates(text) for text in texts]
    held: Counter[str] = Counter()
    for candidates, _ in stories:
        held.update({term for _, term in candidates})
    counts: Counter[str] = Counter()
    for candidates, pairs in stories:
        counts.update(_cut(candidates, held) if pairs else {term for _, term in candidates})
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(term, n) for term, n in ranked if n >= least][:limit]
