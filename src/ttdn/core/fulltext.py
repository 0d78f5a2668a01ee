"""Queries of the databases' own full-text engines over folded words (``ttdn.core.text.fold``: ``[a-z0-9]``
one space apart), so neither engine's query syntax ever sees a user's punctuation.

Every word must match a whole word; a word written with a ``*`` at its end (``dau*``) matches every word that
begins so ("dau", "dautu"). SQLite: FTS5's ``MATCH``; PostgreSQL: ``to_tsquery('simple', ...)``. Pure
functions, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ttdn.core.text import fold

PREFIX = "*"
PREFIX_MIN = 2  # a shorter start ("a*") would be half the language: it is a word of its own
MAX_WORDS = 8


def query_words(query: str, *, limit: int = MAX_WORDS) -> list[str]:
    """The folded words of what a user typed, at most ``limit``; a word typed with a ``*`` at its end keeps it
    (on the last of its folded parts: "COVID-19*" gives "covid", "19*")."""
    words: list[str] = []
    for token in query.split():
        parts = fold(token).split()
        if parts and token.endswith(PREFIX) and len(parts[-1]) >= PREFIX_MIN:
            parts[-1] += PREFIX
        words.extend(parts)
    return words[:limit]


def fts5_query(words: Sequence[str]) -> str:
    """FTS5 ``MATCH`` text: every word required, quoted, a word ending in ``*`` as a prefix."""
    return " AND ".join(f'"{_plain(w[:-1])}"*' if w.endswith(PREFIX) else f'"{_plain(w)}"' for w in words)


def tsquery(words: Sequence[str]) -> str:
    """PostgreSQL ``tsquery`` text with the same rule as ``fts5_query``."""
    return " & ".join(f"{_plain(w[:-1])}:*" if w.endswith(PREFIX) else _plain(w) for w in words)


_FOLDED = re.compile(r"[0-9a-z]+")


def _plain(word: str) -> str:
    """A folded word as it is; anything else is refused (a caller that did not fold would open the syntax)."""
    if not _FOLDED.fullmatch(word):
        raise ValueError(f"not a folded word: {word!r}")
    return word
