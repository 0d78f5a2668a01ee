"""Stories matched to known claims of the rebuttal library (đối chiếu với tài liệu lập luận), by BM25 (bm25s).

Claims and stories are compared as folded words without the commonest function words (and English and French
words lightly stemmed), so a Vietnamese story typed without marks still finds its claim. Two thresholds, as fact-checking desks use them: a match at or above
``SUGGEST`` is proposed to the analyst, one at or above ``LINK`` sharing ``LINK_WORDS`` words or more is linked
at once; a story of fewer than
``MIN_WORDS`` words is not matched at all. Scores are BM25's, normalised by the claim's best possible score (the
claim matched against itself), so that they read as 0-1 whatever the library's size. A claim written in two
languages scores at most about half against a story in one of them: :func:`versions` cuts a claim into one
version per script of its keywords, each normalised by its own best score, and a claim answers with its best
version (``ttdn monitoring eval`` measures Recall@5 on the labelled set)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import bm25s

from ttdn.core.text import fold
from ttdn.monitoring.pipeline.words import UNSPACED, WORD, exact, marked, plain

MIN_WORDS = 8
SUGGEST = 0.2
LINK = 0.35
LINK_WORDS = 4  # and at least this many distinct words shared
PAIR = "_"  # joins two Vietnamese syllables compared as one unit ("cứu_trợ", "lũ_lụt")
STOPWORDS = frozenset(
    [
        "va",
        "cua",
        "la",
        "co",
        "cac",
        "nhung",
        "mot",
        "duoc",
        "trong",
        "cho",
        "voi",
        "ve",
        "tai",
        "theo",
        "khi",
        "da",
        "dang",
        "se",
        "nay",
        "do",
        "thi",
        "de",
        "tu",
        "ra",
        "vao",
        "lai",
        "con",
        "cung",
        "nhu",
        "nen",
        "ma",
        "neu",
        "bi",
        "boi",
        "vi",
        "tren",
        "duoi",
        "sau",
        "truoc",
        "the",
        "and",
        "the",
        "of",
        "to",
        "in",
        "a",
        "an",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "for",
        "on",
        "with",
        "by",
        "at",
        "as",
        "from",
        "that",
        "this",
        "it",
        "its",
        "or",
        "not",
        "no",
        "but",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "et",
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "un",
        "une",
        "est",
        "sont",
        "dans",
        "pour",
        "par",
        "sur",
        "au",
        "aux",
        "en",
    ]
)


_SUFFIXES = ("ing", "ed", "es", "e", "s")


def _stem(word: str) -> str:
    """A light stem for English and French words ("arrested", "arrests" -> "arrest"); a Vietnamese syllable,
    folded, never ends in these letters but "e", and is short: left as it is."""
    if len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str, *, with_marks: bool = False) -> list[str]:
    """The compared words of ``text``: folded, or in lower case with their marks (``with_marks``), without
    function words and numbers, English and French ones lightly stemmed; a run in a script written without
    spaces (Chinese, Japanese) as its pairs of characters, a word of a script folding cannot write (Cyrillic)
    in lower case as it stands."""
    found: list[str] = []
    pairs: list[str] = []
    last = ""  # the word before, while a run without function words goes on (with marks only)
    for raw in WORD.findall(text or ""):
        if UNSPACED.search(raw):
            chars = [ch for ch in raw if ch.isalpha()]
            found.extend(chars[i] + chars[i + 1] for i in range(len(chars) - 1))
            last = ""
            continue
        folded = plain(raw)
        if folded.isdigit() or folded in STOPWORDS:
            last = ""
            continue
        if with_marks:
            word = exact(raw)
            if last:  # a Vietnamese word is often two syllables: each pair is compared as one unit too
                pairs.append(f"{last}{PAIR}{word}")
            last = word
            found.append(_stem(word) if folded == word else word)
        else:
            found.extend(_stem(w) for w in folded.split())
    return found + pairs


@dataclass(frozen=True)
class ClaimText:
    key: str
    text: str  # the claim as the library words it, with its keywords and languages' versions


@dataclass(frozen=True)
class ClaimMatch:
    key: str
    score: float
    linked: bool  # at or above LINK: linked without asking
    shared: tuple[str, ...]  # the words the story and the claim share, for the explanation


class _Side:
    """One BM25 index over the claims' words, compared with marks or folded."""

    def __init__(self, claims: list[ClaimText], *, with_marks: bool) -> None:
        self.with_marks = with_marks
        self.tokens = [words(c.text, with_marks=with_marks) for c in claims]
        self.retriever = bm25s.BM25()
        self.retriever.index(self.tokens, show_progress=False)
        self.best = [self.score(tokens)[i] for i, tokens in enumerate(self.tokens)]

    def score(self, tokens: list[str]) -> list[float]:
        found, scores = self.retriever.retrieve([tokens], k=len(self.tokens), show_progress=False)
        by_index = dict(zip(found[0].tolist(), scores[0].tolist(), strict=True))
        return [float(by_index.get(i, 0.0)) for i in range(len(self.tokens))]


class ClaimIndex:
    """A story with Vietnamese marks is compared with marks ("dân" is not "đàn"), one without them folded."""

    def __init__(self, claims: list[ClaimText]) -> None:
        self._claims = [c for c in claims if words(c.text)]
        self._sides = (
            {flag: _Side(self._claims, with_marks=flag) for flag in (True, False)} if self._claims else {}
        )

    def match(self, text: str, *, limit: int = 5) -> list[ClaimMatch]:
        """The claims ``text`` matches at or above ``SUGGEST``, best first (at most ``limit``)."""
        if not self._sides:
            return []
        side = self._sides[marked(text or "")]
        tokens = words(text, with_marks=side.with_marks)
        if len(tokens) < MIN_WORDS:
            return []
        raw = side.score(tokens)
        present = set(tokens)
        best: dict[str, ClaimMatch] = {}
        for i, score in enumerate(raw):
            normal = min(1.0, score / (side.best[i] or 1.0))
            if normal >= SUGGEST:
                shared = tuple(dict.fromkeys(w.replace(PAIR, " ") for w in side.tokens[i] if w in present))
                linked = normal >= LINK and len(shared) >= LINK_WORDS
                key = self._claims[i].key
                if key not in best or normal > best[key].score:  # a claim's best version answers for it
                    best[key] = ClaimMatch(key, round(normal, 3), linked, shared[:12])
        return sorted(best.values(), key=lambda m: (-m.score, m.key))[:limit]


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def versions(key: str, text: str, keywords: str) -> list[ClaimText]:
    """A claim as the index reads it: its own text with the keywords written like it, and one version for each
    other script its keywords are written in (Latin without Vietnamese marks, Cyrillic, Chinese and Japanese,
    Korean). A story in one language is compared with the version in its script, whose best possible score is
    its own, rather than with the whole entry that it can match only in part."""
    groups: dict[str, list[str]] = {"own": [text]}
    for keyword in (k.strip() for k in keywords.split(",")):
        if not keyword:
            continue
        if _HANGUL.search(keyword):
            group = "hangul"
        elif UNSPACED.search(keyword):
            group = "cjk"
        elif _CYRILLIC.search(keyword):
            group = "cyrillic"
        elif marked(keyword + " " + text[:200]) and fold(keyword) != keyword.lower():
            group = "own"
        else:
            group = "latin"
        groups.setdefault(group, []).append(keyword)
    return [ClaimText(key, " ".join(parts)) for parts in groups.values() if parts]
