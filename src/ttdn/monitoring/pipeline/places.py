"""Provinces and bodies named in a story (gắn thẻ địa phương, cơ quan), matched at syllable edges.

The tagger is built from names: each body of the registry under every name it has had (the 63 provinces before
07/2025 and the 34 after, the ministries before and after 03/2025), the common spellings without diacritics and
in other languages. A text is cut into words (a Vietnamese word is a syllable) and a name matches only whole
words, so "ambassador" never holds "Assad" and "Quảng Trị" is not found in "Quảng Trịnh". Names are compared
without case (and without diacritics where the text has none: ``words``), then the text's own case must fit: each syllable of a place name in capitals
("Hòa Bình" the province, not "hòa bình", peace), only the first word of a body's name ("Bộ Ngoại giao"). The
longest name at a position wins, and some longer phrases are traps that name no body at all ("Thái Bình
Dương", the Pacific Ocean; "chiến thắng Điện Biên Phủ", the battle). Each tag keeps the words it was found by
and the rule that found it. A text written with Vietnamese marks is compared with its marks ("Hà Nam" is not
"hà nằm"), one written without them folded (``words``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ttdn.core.text import fold
from ttdn.monitoring.pipeline.words import UNSPACED, compared, exact, key

EACH = "each"  # every syllable begins with a capital: place names
FIRST = "first"  # the first word begins with a capital: names of bodies


@dataclass(frozen=True)
class Name:
    """One name of one body: ``code`` is the body it names (mapped to today's body by the caller)."""

    text: str
    code: str
    case: str = EACH
    rule: str = "tên"  # how this name came about: "tên", "tên cũ", "tên không dấu", "tên nước ngoài"


@dataclass(frozen=True)
class Trap:
    """A phrase that looks like a name and is not one; ``before``: words that must precede it (any, if empty)."""

    text: str
    reason: str
    before: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    code: str
    words: str  # as written in the text
    start: int
    end: int
    rule: str


@dataclass
class _Entry:
    names: list[Name] = field(default_factory=list)
    traps: list[Trap] = field(default_factory=list)


class Tagger:
    def __init__(self, names: Iterable[Name], traps: Iterable[Trap] = ()) -> None:
        # one index for texts with marks, one for texts without
        self._entries: dict[bool, dict[tuple[str, ...], _Entry]] = {True: {}, False: {}}
        self._unspaced: list[Name] = []  # names in a script written without spaces: found as they stand
        self._longest = 1
        items: list[Name | Trap] = [*names, *traps]
        for item in items:
            if isinstance(item, Name) and UNSPACED.search(item.text):
                self._unspaced.append(item)
                continue
            for with_marks, entries in self._entries.items():
                found = key(item.text, with_marks=with_marks)
                if not found:
                    continue
                entry = entries.setdefault(found, _Entry())
                if isinstance(item, Name):
                    entry.names.append(item)
                else:
                    entry.traps.append(item)
                self._longest = max(self._longest, len(found))

    def find(self, text: str) -> list[Found]:
        """Every name found in ``text`` (spans of its NFC form), in order; a body named twice is found twice."""
        text = unicodedata.normalize("NFC", text or "")
        matches, folded, with_marks = compared(text)
        entries = self._entries[with_marks]
        words = [(m.group(), m.start(), m.end()) for m in matches]
        # in a text with marks, words written without them ("Quang Tri province") are compared folded
        plain = [fold(w) for w, _, _ in words] if with_marks else folded
        unmarked = [p == f for p, f in zip(plain, folded, strict=True)] if with_marks else []
        shouting = _mostly_capitals(text)
        found: list[Found] = []
        i = 0
        while i < len(words):
            step = 1
            for length in range(min(self._longest, len(words) - i), 0, -1):
                entry = entries.get(tuple(folded[i : i + length]))
                if entry is None and with_marks and all(unmarked[i : i + length]):
                    entry = self._entries[False].get(tuple(plain[i : i + length]))
                if entry is None:
                    continue
                if any(_trap_holds(trap, folded, i) for trap in entry.traps):
                    step = length  # the whole phrase is spent: none of its words names a body
                    break
                written = [w for w, _, _ in words[i : i + length]]
                hits = [n for n in entry.names if shouting or _case_fits(written, n.case)]
                if hits and i > 0 and _person(words[i - 1][0], [n for n in hits if n.case == EACH]):
                    step = length  # "ông Nguyễn Thái Bình": a person's name, not the province
                    break
                if not hits:
                    continue
                start, end = words[i][1], words[i + length - 1][2]
                for code in dict.fromkeys(n.code for n in hits):
                    rule = next(n.rule for n in hits if n.code == code)
                    found.append(Found(code, text[start:end], start, end, rule))
                step = length
                break
            i += step
        if self._unspaced and UNSPACED.search(text):
            for name in self._unspaced:
                at = text.find(name.text)
                while at >= 0:
                    found.append(Found(name.code, name.text, at, at + len(name.text), name.rule))
                    at = text.find(name.text, at + len(name.text))
            found.sort(key=lambda f: f.start)
        return found


def _trap_holds(trap: Trap, forms: list[str], at: int) -> bool:
    if not trap.before:
        return True
    before = " " + fold(" ".join(forms[max(0, at - 3) : at]))
    return any(f" {fold(word)}" in before for word in trap.before)


# Family names that begin a Vietnamese person's name, as written with their marks (and the few that cannot be
# anything else without them): a place name right after one is the rest of the person's name.
SURNAMES = frozenset(
    [
        "nguyễn",
        "trần",
        "lê",
        "phạm",
        "hoàng",
        "huỳnh",
        "phan",
        "vũ",
        "võ",
        "đặng",
        "bùi",
        "đỗ",
        "ngô",
        "dương",
        "lý",
        "đinh",
        "trịnh",
        "đoàn",
        "trương",
        "lương",
        "nguyen",
        "tran",
        "pham",
        "huynh",
    ]
)


def _person(before: str, place_names: list[Name]) -> bool:
    return bool(place_names) and before[:1].isupper() and exact(before) in SURNAMES


def _case_fits(words: list[str], case: str) -> bool:
    if case == EACH:
        return all(w[:1].isupper() or w[:1].isdigit() for w in words)
    return words[0][:1].isupper()


def _mostly_capitals(text: str) -> bool:
    """A headline in capitals says nothing by its case: every name may match."""
    letters = [ch for ch in text[:300] if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


TRAPS = (
    Trap("Thái Bình Dương", "Thái Bình Dương là đại dương, không phải tỉnh Thái Bình"),
    Trap(
        "Điện Biên Phủ",
        "trận Điện Biên Phủ (1954), không phải tỉnh Điện Biên",
        (
            "chiến thắng",
            "chiến dịch",
            "trận",
            "battle",
            "bataille",
            "victory",
            "victoire",
            "sau",
            "tinh thần",
        ),
    ),
    Trap("Pacific Ocean", "đại dương"),
    Trap("Hòa Bình xanh", "tổ chức Hòa Bình xanh (Greenpeace)"),
)
