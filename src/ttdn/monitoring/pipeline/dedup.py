"""Near-duplicate texts (tin trùng lặp gần đúng), the third layer of deduplication.

Each text becomes the set of its 3-word shingles (folded: no diacritics, no case, no punctuation). A MinHash of
128 permutations goes into a datasketch ``MinHashLSH`` index whose bands are tuned for a Jaccard similarity of
``CANDIDATE`` (0.6): it proposes candidates cheaply, and each candidate is then confirmed by the exact Jaccard
similarity of the two shingle sets, ``>= SAME`` (0.8), before a story is folded into another. Texts of fewer
than ``MIN_WORDS`` words are never folded by their text (a one-line brief says too little)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from ttdn.monitoring.pipeline.words import plain_words

PERMUTATIONS = 128
CANDIDATE = 0.6
SAME = 0.8
MIN_WORDS = 25
SHINGLE = 3


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The ``size``-word shingles of ``text``, folded; empty below ``MIN_WORDS`` words."""
    words = plain_words(text or "")
    if len(words) < MIN_WORDS:
        return frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def signature(found: Iterable[str]) -> MinHash:
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch([s.encode() for s in found])
    return minhash


@dataclass(frozen=True)
class Match:
    key: str
    similarity: float


class NearDuplicates:
    """An index of texts by key; :meth:`find` answers the keys whose text is a near-duplicate of a new one.

    ``load(key)`` gives back the shingles of a key already indexed (from the store, or kept here when
    ``keep=True``), for the exact confirmation."""

    def __init__(self, *, load: Callable[[str], frozenset[str]] | None = None, keep: bool = True) -> None:
        self._lsh = MinHashLSH(threshold=CANDIDATE, num_perm=PERMUTATIONS)
        self._kept: dict[str, frozenset[str]] = {}
        self._load = load
        self._keep = keep

    def __len__(self) -> int:
        return len(self._lsh.keys)

    def __contains__(self, key: str) -> bool:
        return key in self._lsh.keys

    def add(self, key: str, found: frozenset[str]) -> None:
        if not found or key in self:
            return
        self._lsh.insert(key, signature(found))
        if self._keep:
            self._kept[key] = found

    def shingles_of(self, key: str) -> frozenset[str]:
        if key in self._kept:
            return self._kept[key]
        return self._load(key) if self._load is not None else frozenset()

    def find(self, found: frozenset[str]) -> list[Match]:
        """The indexed keys whose shingles have a Jaccard similarity >= ``SAME`` with ``found``, best first."""
        if not found:
            return []
        matches = []
        for key in self._lsh.query(signature(found)):
            similarity = jaccard(found, self.shingles_of(key))
            if similarity >= SAME:
                matches.append(Match(key, round(similarity, 4)))
        return sorted(matches, key=lambda m: (-m.similarity, m.key))
