"""Sentiment of a story (sắc thái: tích cực, trung tính, tiêu cực), the lexicon baseline.

Words and phrases of ``monitoring/data/sentiment.json`` are counted as whole words (with marks in a text written
with Vietnamese marks: ``words``); a negation up to three words before a phrase turns it over ("không thành
công"). The score is (positive - negative) / (positive + negative + 1), in [-1, 1]: above ``THRESHOLD`` positive,
below its opposite negative. The explanation lists the words counted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ttdn.monitoring.pipeline.words import compared, key

DATA = Path(__file__).resolve().parents[1] / "data" / "sentiment.json"
THRESHOLD = 0.2
POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
LABELS = {POSITIVE: "Tích cực", NEUTRAL: "Trung tính", NEGATIVE: "Tiêu cực"}


@dataclass(frozen=True)
class Sentiment:
    """A reading of a story's sentiment: ``positive``/``negative`` are the lexicon's words; when the label is the
    trained model's (``sentiment_model``), ``words`` are the model's heaviest words and ``lexicon`` the
    baseline's label kept beside it."""

    label: str
    score: float
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    words: tuple[str, ...] = ()
    lexicon: str = ""


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[bool, dict[tuple[str, ...], int]]
    negations: dict[bool, frozenset[tuple[str, ...]]]
    longest: int


@cache
def _lexicon(path: Path = DATA) -> _Lexicon:
    raw = json.loads(path.read_text(encoding="utf-8"))
    phrases: dict[bool, dict[tuple[str, ...], int]] = {True: {}, False: {}}
    negations: dict[bool, set[tuple[str, ...]]] = {True: set(), False: set()}
    longest = 1
    for sign, name in ((1, "positive"), (-1, "negative")):
        for words in raw[name].values():
            for phrase in words:
                for with_marks in (True, False):
                    found = key(phrase, with_marks=with_marks)
                    if found:
                        phrases[with_marks][found] = sign
                        longest = max(longest, len(found))
    for words in raw["negations"].values():
        for phrase in words:
            for with_marks in (True, False):
                negations[with_marks].add(key(phrase, with_marks=with_marks))
    return _Lexicon(phrases, {k: frozenset(v) for k, v in negations.items()}, longest)


def lexicon_sentiment(text: str) -> Sentiment:
    lexicon = _lexicon()
    _, words, with_marks = compared(text or "")
    phrases, negations = lexicon.phrases[with_marks], lexicon.negations[with_marks]
    positive: list[str] = []
    negative: list[str] = []
    i = 0
    while i < len(words):
        for length in range(min(lexicon.longest, len(words) - i), 0, -1):
            sign = phrases.get(tuple(words[i : i + length]))
            if sign is None:
                continue
            window = words[max(0, i - 3) : i]
            turned = any(
                tuple(window[j : j + n]) in negations for n in (1, 2) for j in range(len(window) - n + 1)
            )
            phrase = " ".join(words[i : i + length])
            (positive if (sign > 0) != turned else negative).append(phrase)
            i += length - 1
            break
        i += 1
    score = (len(positive) - len(negative)) / (len(positive) + len(negative) + 1)
    label = POSITIVE if score > THRESHOLD else NEGATIVE if score < -THRESHOLD else NEUTRAL
    return Sentiment(label, round(score, 3), tuple(positive), tuple(negative))
