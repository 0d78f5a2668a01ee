"""Numbers and symbols of official documents (số, ký hiệu), per Nghị định 30/2020/NĐ-CP.

Shapes handled:

* ``21/CT-TTg``: number / TYPE-BODY;
* ``212/BTTTT-TTĐN``: a công văn, number / BODY-UNIT (no type code);
* ``72/2015/NĐ-CP``: legal normative documents carry the year;
* ``34/2011/TTLT-BTTTT-BNG``: joint documents name several bodies;
* ``57-KL/TW``: Party documents use a hyphen (also written ``57- KL/TW``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ttdn.core.text import fold

DATA = Path(__file__).parent / "data"

_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_WORD = f"[{_UPPER}][{_UPPER}a-zđyơưâăêô0-9&]*"
# A government symbol: 72/2015/NĐ-CP, 21/CT-TTg, 212/BTTTT-TTĐN, 34/2011/TTLT-BTTTT-BNG.
GOV_NUMBER = (
    rf"\d{{1,6}}(?:/\d{{4}})?/{_WORD}(?:-\s?{_WORD})*"  # "21/CT- TTg": a typed space after the hyphen
)
# A Party symbol: 57-KL/TW, 24-KH/TU, written with or without spaces round the hyphen.
PARTY_NUMBER = rf"\d{{1,6}}\s?-\s?{_WORD}/{_WORD}(?:-{_WORD})*"
NUMBER = rf"(?:{PARTY_NUMBER}|{GOV_NUMBER})"
NUMBER_RE = re.compile(rf"(?<![\w/]){NUMBER}(?![\w/])")


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    normative: bool = False


@lru_cache(maxsize=1)
def doc_types() -> tuple[DocType, ...]:
    raw = json.loads((DATA / "doc_types.json").read_text(encoding="utf-8"))
    return tuple(DocType(t["code"], t["name"], bool(t.get("normative"))) for t in raw["types"])


@lru_cache(maxsize=1)
def _types_by_code() -> dict[str, DocType]:
    return {fold(t.code).replace(" ", ""): t for t in doc_types()}


@lru_cache(maxsize=1)
def _types_by_name() -> dict[str, DocType]:
    return {fold(t.name): t for t in doc_types()}


# The registry's own list of central bodies (ministries, agencies): their codes are the symbols' codes.
REGISTRY = Path(__file__).resolve().parents[2] / "orgs" / "data" / "central_bodies.json"


@lru_cache(maxsize=1)
def issuer_codes() -> dict[str, str]:
    """The body a symbol's issuer code names ("BNG" → "Bộ Ngoại giao"): the registry's central bodies, and
    the state's and the Party's issuers that are no bodies of the registry ("TTg", "CP", "TW", ...)."""
    codes: dict[str, str] = {}
    if REGISTRY.exists():
        for unit in json.loads(REGISTRY.read_text(encoding="utf-8"))["units"]:
            if "-" not in unit["code"]:  # top-level bodies only ("BTTTT-TTDN" is a department)
                codes[fold(unit["code"]).replace(" ", "")] = unit["name"]
    raw = json.loads((DATA / "issuer_codes.json").read_text(encoding="utf-8"))
    codes.update({fold(code).replace(" ", ""): name for code, name in raw["issuers"].items()})
    return codes


def type_by_name(name: str) -> DocType | None:
    return _types_by_name().get(fold(name))


def type_by_code(code: str) -> DocType | None:
    return _types_by_code().get(fold(code).replace(" ", ""))


CONG_VAN = DocType("CV", "Công văn")


def tidy(number: str) -> str:
    """Canonical spelling: no spaces round the Party hyphen ("57- KL/TW" -> "57-KL/TW")."""
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s*/\s*", "/", number.strip()))


@dataclass(frozen=True)
class Symbol:
    """A parsed number and symbol."""

    number: str  # as tidied: "79/2010/QĐ-TTg"
    serial: str  # "79"
    year: int | None
    type_code: str | None  # "QĐ", or None for a công văn
    bodies: tuple[str, ...]  # ("TTg",), ("BTTTT", "TTĐN")
    party: bool

    @property
    def key(self) -> str:
        """Lookup key: folded, without spaces ("79/2010/qd-ttg")."""
        return number_key(self.number)

    @property
    def base_key(self) -> str:
        """Key without the year, for citations that drop it ("79/QĐ-TTg" = "79/2010/QĐ-TTg")."""
        tail = "-".join(p for p in (self.type_code, *self.bodies) if p)
        return number_key(f"{self.serial}-{tail}" if self.party else f"{self.serial}/{tail}")

    @property
    def doc_type(self) -> DocType:
        found = type_by_code(self.type_code) if self.type_code else None
        return found or CONG_VAN

    @property
    def issuer_code(self) -> str | None:
        """The body that issued it: the first body after the type code (TTg), or the first part of a công văn's (BTTTT)."""
        return self.bodies[0] if self.bodies else None

    @property
    def issuer_name(self) -> str | None:
        if not self.issuer_code:
            return None
        return issuer_codes().get(fold(self.issuer_code).replace(" ", ""))


def number_key(number: str) -> str:
    return re.sub(r"[^0-9a-z/\-]", "", fold(tidy(number)).replace(" ", ""))


def parse_symbol(text: str) -> Symbol | None:
    """Split a number and symbol into its parts; ``None`` when it is not one."""
    number = tidy(text)
    party = re.fullmatch(r"(\d{1,6})-([^/]+)/(.+)", number)
    if party:
        serial, type_code, rest = party.groups()
        known = type_by_code(type_code)
        return Symbol(number, serial, None, known.code if known else type_code, tuple(rest.split("-")), True)
    gov = re.fullmatch(r"(\d{1,6})(?:/(\d{4}))?/(.+)", number)
    if not gov:
        return None
    serial, year, rest = gov.groups()
    parts = rest.split("-")
    known = type_by_code(parts[0])
    if known and known.code != "CV" and len(parts) > 1:
        return Symbol(number, serial, int(year) if year else None, known.code, tuple(parts[1:]), False)
    return Symbol(number, serial, int(year) if year else None, None, tuple(parts), False)
