"""Vietnamese text helpers (pure Python, no Django).

``fold`` turns a Vietnamese string into a search key that ignores case,
diacritics (dấu) and punctuation, so that "ba ria vung tau" finds
"Bà Rịa - Vũng Tàu" and "dak lak" finds "Đắk Lắk".
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_NON_WORD_KEEP_LINES = re.compile(r"[^0-9a-z\n]+")
# Đ/đ is a letter of its own, not a D with a combining mark, so NFD leaves it.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case and punctuation."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def plain(text: str) -> str:
    """``text`` without diacritics, one character for one, so spans found in it hold in ``text``.

    Patterns can then be written once without marks and match "Số:", "So:" and
    "SỐ:" alike, while what they capture is read from the original.
    """
    return text.translate(_PLAIN_TABLE)


def _plain_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x2000):
        ch = chr(code)
        if unicodedata.is_normalized("NFD", ch) and ch not in "đĐðÐ":
            continue  # nothing to take off (most of the range): the table is built in 2 ms, not 30
        base = strip_diacritics(ch)
        if len(base) == 1 and base != ch:
            table[code] = base
    return table


_PLAIN_TABLE = _plain_table()


def fold_lines(text: str) -> list[str]:
    """``fold`` of every line of an NFC text, with one translation for the whole text."""
    flat = _NON_WORD_KEEP_LINES.sub(" ", text.translate(_PLAIN_TABLE).lower())
    return [line.strip() for line in flat.split("\n")]


def fold(text: str) -> str:
    """Search key: lower case, no diacritics, words separated by one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_PLAIN_TABLE)
        if not text.isascii():
            text = strip_diacritics(text)
    return _NON_WORD.sub(" ", text.lower()).strip()


def compact(text: str) -> str:
    """Folded text with no spaces at all ("Thành phố Hồ Chí Minh" -> "thanhphohochiminh")."""
    return fold(text).replace(" ", "")


def matches(query: str, haystack_folded: str) -> bool:
    """True when every folded word of ``query`` occurs in ``haystack_folded``."""
    return all(word in haystack_folded for word in fold(query).split())


def file_slug(name: str, limit: int = 60) -> str:
    """A name as a file name's part, readable without diacritics: "Tỉnh Quảng Trị" → "tinh-quang-tri"."""
    words = re.findall(r"[0-9a-z]+", fold(name))
    return "-".join(words)[:limit].strip("-") or "tep"


_CONTROLS = {c: None for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS_BUT_LINES = {c: v for c, v in _CONTROLS.items() if c not in (0x09, 0x0A, 0x0D)}


def without_controls(text: str, *, keep_lines: bool = False) -> str:
    """``text`` without control characters (NUL, the C0 and C1 controls, DEL); with ``keep_lines`` a text
    keeps its tabs and line breaks. Nothing else changes."""
    return text.translate(_CONTROLS_BUT_LINES if keep_lines else _CONTROLS)


MAX_ID = 2**63 - 1  # the largest key either database stores


def as_id(raw: object) -> int | None:
    """A record's id from a query parameter or form field: a positive whole number that fits the database, else
    None (a missing or malformed id is "not found", never an error page)."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
