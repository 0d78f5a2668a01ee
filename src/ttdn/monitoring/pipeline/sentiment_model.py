"""Sentiment of a story by a trained model (mô hình sắc thái): multinomial naive Bayes over the story's words.

Words: a text written with Vietnamese marks is cut into words by underthesea's bundled tokenizer ("thành công",
"sai sự thật" are one word each; its model ships in the package, nothing is downloaded); other texts are cut as
the taggers cut them (``words``: folded, whole words), and scripts written without spaces (Chinese, Japanese)
into pairs of characters. A word within three words after a negation ("không", "chưa", "not", "pas", "不",
"не"...) is counted as its negated form ("không thành công" is not "thành công"), and the lexicon baseline's
findings are counted as two more words, so that the model also learns how far to trust the lexicon.

The model is trained by :func:`train` (``scripts/train_sentiment.py`` writes ``monitoring/data/sentiment_model.json``)
and read here by pure Python: each word present counts once, its weight for each label is log P(word | label),
and the label with the highest sum (with the label's prior) wins. The explanation keeps the words that weighed
most for the chosen label against the others."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ttdn.monitoring.pipeline import sentiment
from ttdn.monitoring.pipeline.words import UNSPACED, WORD, marked, plain

DATA = Path(__file__).resolve().parents[1] / "data" / "sentiment_model.json"
LABELS = (sentiment.POSITIVE, sentiment.NEUTRAL, sentiment.NEGATIVE)
NEGATIONS = frozenset(
    {
        "không",
        "chưa",
        "chẳng",
        "chả",
        "đừng",
        "không_hề",
        "chưa_hề",
        "khong",
        "chua",
        "chang",
        "not",
        "no",
        "never",
        "without",
        "nor",
        "pas",
        "jamais",
        "sans",
        "aucun",
        "aucune",
        "не",
        "нет",
        "без",
        "nicht",
        "kein",
        "keine",
        "ohne",
        "nie",
        "nunca",
        "sin",
        "ningún",
        "ninguna",
        "안",
        "없",
    }
)
_UNSPACED_NEGATIONS = ("不", "没", "未", "无", "非", "否", "ない", "ず")
NEGATION_SPAN = 3
LEXICON_POSITIVE, LEXICON_NEGATIVE = "<lexicon:+>", "<lexicon:->"
LEXICON_MORE_POSITIVE, LEXICON_MORE_NEGATIVE = "<lexicon:++>", "<lexicon:-->"  # two words or more ahead
# The model reads the title and the lead (the first 1,500 characters, about 300 syllables): where a story says
# what it thinks of a province, and as long as the stories it was trained on. Cutting Vietnamese into words costs
# ~22 µs a syllable (underthesea's CRF), so a whole article of 1,000 words would cost ~25 ms; the lexicon beside
# it reads the whole text.
MODEL_CHARS = 1_500
EXPLAIN = 8  # words kept in the explanation
_PUNCTUATION = re.compile(r"^\W+$")


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: dict[str, float]
    words: tuple[tuple[str, float], ...]  # the words that weighed most for ``label``, with their weight
    lexicon: sentiment.Sentiment  # the baseline's own reading, kept beside the model's


@cache
def _underthesea_tokenize() -> Any:
    from underthesea import word_tokenize

    return word_tokenize


def _vietnamese_words(text: str) -> list[str]:
    tokenize = _underthesea_tokenize()
    found: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for token in tokenize(line):
            token = unicodedata.normalize("NFC", token.lower()).strip()
            if (
                token
                and not _PUNCTUATION.match(token)
                and not token.replace(",", "").replace(".", "").isdigit()
            ):
                found.append(token.replace(" ", "_"))
    return found


def _plain_words(text: str) -> list[str]:
    found: list[str] = []
    for word in WORD.findall(text):
        if word.isdigit():
            continue
        if UNSPACED.search(word):
            chars = [ch for ch in word.lower() if ch.isalpha()]
            found.extend(chars[i] + chars[i + 1] for i in range(len(chars) - 1))
            found.extend(f"<neg:{n}>" for n in _UNSPACED_NEGATIONS if n in word)
        else:
            found.extend(plain(word).split())
    return found


def tokens(text: str) -> list[str]:
    """The words of ``text`` as the model counts them, negated ones marked ``!word``."""
    source = unicodedata.normalize("NFC", text or "")[:MODEL_CHARS]
    words = _vietnamese_words(source) if marked(source) else _plain_words(source)
    marked_words: list[str] = []
    left = 0
    for word in words:
        if word in NEGATIONS:
            left = NEGATION_SPAN
            marked_words.append(word)
            continue
        marked_words.append(f"!{word}" if left > 0 else word)
        left = max(0, left - 1)
    return marked_words


def features(text: str, lexicon: sentiment.Sentiment | None = None) -> set[str]:
    """The set of features of ``text``: its words (each once) and the lexicon's findings (``lexicon``, when the
    caller has read them already)."""
    found = set(tokens(text))
    lexicon = lexicon or sentiment.lexicon_sentiment(text)
    if lexicon.positive:
        found.add(LEXICON_POSITIVE)
    if lexicon.negative:
        found.add(LEXICON_NEGATIVE)
    negative, positive = len(lexicon.negative), len(lexicon.positive)
    for least in (2, 3):  # how much the lexicon found, not only whether: many words of a side weigh more
        if negative >= least:
            found.add(f"{LEXICON_NEGATIVE}{least}")
        if positive >= least:
            found.add(f"{LEXICON_POSITIVE}{least}")
    if negative - positive >= 2:
        found.add(LEXICON_MORE_NEGATIVE)
    if positive - negative >= 2:
        found.add(LEXICON_MORE_POSITIVE)
    return found


@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    priors: tuple[float, ...]  # log P(label)
    weights: dict[str, tuple[float, ...]]  # word -> log P(word | label) for each label

    def scores(self, found: Iterable[str]) -> list[float]:
        totals = list(self.priors)
        for word in found:
            row = self.weights.get(word)
            if row is None:
                continue
            for i, value in enumerate(row):
                totals[i] += value
        return totals

    def predict(self, text: str) -> Prediction:
        lexicon = sentiment.lexicon_sentiment(text)
        found = features(text, lexicon)
        totals = self.scores(found)
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        whole = sum(exps)
        probabilities = {label: round(e / whole, 4) for label, e in zip(self.labels, exps, strict=True)}
        best = max(range(len(self.labels)), key=lambda i: (totals[i], -i))
        ranked = []
        for word in found:
            row = self.weights.get(word)
            if row is None:
                continue
            others = [v for i, v in enumerate(row) if i != best]
            ranked.append((word, round(row[best] - max(others), 3)))
        ranked.sort(key=lambda pair: (-pair[1], pair[0]))
        return Prediction(
            self.labels[best],
            probabilities,
            tuple(pair for pair in ranked[:EXPLAIN] if pair[1] > 0),
            lexicon,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "about": "Mô hình sắc thái (Bayes ngây thơ đa thức): log P(từ | nhãn) của từng từ, huấn luyện bằng "
            "scripts/train_sentiment.py trên bộ đánh giá; đọc bằng ttdn.monitoring.pipeline.sentiment_model.",
            "labels": list(self.labels),
            "priors": [round(p, 5) for p in self.priors],
            "weights": {w: [round(v, 4) for v in row] for w, row in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Model:
        labels = tuple(raw["labels"])
        return cls(
            labels,
            tuple(float(p) for p in raw["priors"]),
            {w: tuple(float(v) for v in row) for w, row in raw["weights"].items()},
        )


def train(examples: Sequence[tuple[set[str], str]], *, alpha: float = 0.5, min_count: int = 1) -> Model:
    """Naive Bayes over feature sets (each feature once a story), additive smoothing ``alpha``; features seen in
    fewer than ``min_count`` stories are left out."""
    counts = Counter(label for _, label in examples)
    labels = tuple(label for label in LABELS if counts[label])
    seen = Counter(word for found, _ in examples for word in found)
    vocabulary = sorted(word for word, n in seen.items() if n >= min_count)
    index = {word: i for i, word in enumerate(vocabulary)}
    per_label = {label: [0] * len(vocabulary) for label in labels}
    totals = dict.fromkeys(labels, 0)
    for found, label in examples:
        row = per_label[label]
        for word in found:
            at = index.get(word)
            if at is not None:
                row[at] += 1
                totals[label] += 1
    size = len(vocabulary)
    weights = {
        word: tuple(
            math.log((per_label[label][i] + alpha) / (totals[label] + alpha * size)) for label in labels
        )
        for word, i in index.items()
    }
    whole = sum(counts.values())
    priors = tuple(math.log(counts[label] / whole) for label in labels)
    return Model(labels, priors, weights)


def reading(text: str) -> sentiment.Sentiment:
    """The model's label of ``text`` as a :class:`sentiment.Sentiment`: score P(positive) - P(negative), the
    model's heaviest words, the lexicon's words and label beside them."""
    found = predict(text)
    probabilities = found.probabilities
    score = probabilities.get(sentiment.POSITIVE, 0.0) - probabilities.get(sentiment.NEGATIVE, 0.0)
    return sentiment.Sentiment(
        found.label,
        round(score, 3),
        found.lexicon.positive,
        found.lexicon.negative,
        tuple(shown(word) for word, _ in found.words if not word.startswith("<lexicon:")),
        found.lexicon.label,
    )


def shown(word: str) -> str:
    """A feature as a reader reads it: words apart, a negated word after "không" (the lexicon's findings, shown
    with the lexicon's words, are left out by the caller)."""
    text = word.replace("_", " ")
    return f"không … {text[1:]}" if text.startswith("!") else text


@cache
def model(path: Path = DATA) -> Model | None:
    """The shipped model, or None when it has not been trained."""
    if not path.exists():
        return None
    return Model.from_json(json.loads(path.read_text(encoding="utf-8")))


def predict(text: str) -> Prediction:
    """The shipped model's reading of ``text``; the lexicon's when no model is shipped."""
    found = model()
    if found is None:
        lexicon = sentiment.lexicon_sentiment(text)
        return Prediction(lexicon.label, {lexicon.label: 1.0}, (), lexicon)
    return found.predict(text)
