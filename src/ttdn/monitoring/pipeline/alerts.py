"""Alert rules (quy tắc cảnh báo), each a pure test over counts the service reads from the store.

* ``spike``: the negative stories about one province in the last window against that province's own
  baseline, the daily mean over the days before it: at least ``min_count`` and at least ``factor`` times the
  baseline (a province never written about needs only ``min_count``);
* ``surge``: the same test for stories in foreign languages (any sentiment);
* ``claim``: a story linked to a known false claim of the rebuttal library;
* ``watch``: a story holding a term of a watchlist (whole words, folded).

Each answer says why, in words for the alert's page."""

from __future__ import annotations

from dataclasses import dataclass

from ttdn.core.text import fold
from ttdn.monitoring.pipeline.words import WORD


@dataclass(frozen=True)
class Verdict:
    raised: bool
    why: str


def _n(value: float) -> str:
    """1.5 -> "1,5": the decimal comma of Vietnamese."""
    return f"{value:.1f}".replace(".", ",")


def spike(recent: int, baseline: list[int], *, factor: float = 3.0, min_count: int = 3) -> Verdict:
    """``recent``: stories in the window; ``baseline``: stories in each earlier window of the same length."""
    mean = sum(baseline) / len(baseline) if baseline else 0.0
    if recent < min_count:
        return Verdict(False, f"{recent} tin, dưới ngưỡng {min_count}")
    if mean and recent < factor * mean:
        return Verdict(False, f"{recent} tin, chưa tới {_n(factor)} lần mức thường ({_n(mean)})")
    why = (
        f"{recent} tin trong khung giờ theo dõi, gấp {_n(recent / mean)} lần mức thường ({_n(mean)} tin)"
        if mean
        else f"{recent} tin trong khung giờ theo dõi, trước đó không có tin nào"
    )
    return Verdict(True, why)


def watched(text: str, terms: list[str]) -> list[str]:
    """The terms of a watchlist that ``text`` holds as whole words."""
    folded = " " + " ".join(WORD.findall(fold(text or ""))) + " "
    found = []
    for term in terms:
        key = " ".join(WORD.findall(fold(term)))
        if key and f" {key} " in folded:
            found.append(term)
    return found
