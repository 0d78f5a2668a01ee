"""Body names as written → registry bodies (the one resolver: tasks, reporting and documents use it).

Addressees as written → registry bodies valid on the document's date, relative to its issuer.

"Bộ Ngoại giao" is the ministry of that date; a provincial directive's "Sở Nội vụ" is that province's
department; "các Bộ, ngành, địa phương" is every ministry, government agency and province of that date;
"Giám đốc các Sở, Thủ trưởng các ban, ngành" are the province's departments. A name the registry lacks
is returned as unresolved, with where it would be created, so review can propose it: never dropped.

A document's issuer as its header writes it ("UBND TỈNH QUẢNG TRỊ" above "SỞ VĂN HÓA ...") is the registry
body of that name on the document's date (``match_issuer``).

A province named in a table ("TP Hồ Chí Minh", "Tỉnh Quảng Trị", "Thừa Thiên-Huế") is matched by its
name without the administrative words and, when a letter is wrong or missing ("Quang Tri" is fine, "Quảng
Trj" too), by a close match that no other province comes near (rapidfuzz).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ttdn.core.text import fold
from ttdn.orgs.models import OrgKind, OrgUnit

# Words a province's name carries in some lists and not in others (folded); a tracking table may name a
# province by its department of information ("Sở TT&TT Quảng Trị").
ADMIN_WORDS = ("tp ", "thanh pho ", "tinh ", "uy ban nhan dan ", "ubnd ", "so tt tt ", "so ttt ", "so tttt ")
# A close match must score this (out of 100) and beat the next province by this much.
CLOSE, MARGIN = 85, 6

CENTRAL_KINDS = (OrgKind.MINISTRY, OrgKind.MINISTERIAL_AGENCY, OrgKind.GOVERNMENT_AGENCY)
_TITLES = re.compile(r"^(?:cac\s+)?(?:bo truong|thu truong|chu tich|giam doc|lanh dao)\s+")


@dataclass
class Resolution:
    units: list[OrgUnit] = field(default_factory=list)
    unresolved: list[dict[str, str | None]] = field(default_factory=list)  # {"name", "parent": code or None}
    collective: bool = False


def province_of(unit: OrgUnit | None) -> OrgUnit | None:
    """The province a body belongs to (itself when it is one)."""
    while unit is not None and unit.kind != OrgKind.PROVINCE:
        unit = unit.parent
    return unit


def resolve(label: str, *, on: dt.date | None, issuer: OrgUnit | None) -> Resolution:
    """Bodies for one written addressee (which may name several, joined by commas)."""
    on = on or dt.date.today()
    key = fold(label)
    result = Resolution()
    if not key:
        return result
    province = province_of(issuer)
    parts = _parts(label)
    if len(parts) == 1:
        everything = _collective(_TITLES.sub("", key), on, province)
        if everything is not None:
            result.units, result.collective = everything, True
            if not everything:
                result.unresolved.append(
                    {"name": label, "parent": province.code if province else None, "collective": "1"}
                )
            return result
    whole = _one(key, on, province)
    if whole is not None:
        result.units.append(whole)
        return result
    for part in parts:
        part_key = _TITLES.sub("", fold(part))
        found = _collective(part_key, on, province)
        if found is not None:
            result.collective = True
            result.units.extend(u for u in found if u not in result.units)
            if not found:
                result.unresolved.append(
                    {"name": part, "parent": province.code if province else None, "collective": "1"}
                )
            continue
        unit = _one(part_key, on, province)
        if unit is not None:
            if unit not in result.units:
                result.units.append(unit)
        else:
            parent = province.code if province and _provincial(part_key) else None
            result.unresolved.append({"name": part, "parent": parent})
    return result


def _parts(label: str) -> list[str]:
    """ "Giám đốc các Sở, Thủ trưởng các ban, ngành cấp tỉnh, Chủ tịch UBND các huyện" → its bodies."""
    pieces = [p.strip() for p in label.split(",") if p.strip()]
    parts: list[str] = []
    for piece in pieces:
        words = piece.split()
        starts_new = (
            not parts
            or (len(words) >= 2 and words[0][:1].isupper())
            or fold(piece).startswith(("cac ", "uy ban", "ubnd"))
        )
        if starts_new:
            parts.append(piece)
        else:
            parts[-1] = f"{parts[-1]}, {piece}"
    return parts


def _collective(key: str, on: dt.date, province: OrgUnit | None) -> list[OrgUnit] | None:
    """The bodies a collective name stands for, [] when the registry has none of them, None when not collective."""
    valid = OrgUnit.objects.valid_on(on)
    national = "bo" in key.split() and (
        "nganh" in key or "dia phuong" in key or "co quan ngang bo" in key or "co quan thuoc chinh phu" in key
    )
    if key.startswith("cac ") and national:
        kinds = list(CENTRAL_KINDS)
        if "dia phuong" in key or "tinh" in key:
            kinds.append(OrgKind.PROVINCE)
        return list(valid.filter(kind__in=kinds, parent__isnull=True).order_by("kind", "sort_key"))
    if re.search(
        r"(?:uy ban nhan dan|ubnd) (?:cac )?tinh thanh pho|^cac tinh thanh pho|^cac dia phuong$|^(?:uy ban nhan dan|ubnd) cac tinh",
        key,
    ):
        return list(valid.filter(kind=OrgKind.PROVINCE).order_by("sort_key"))
    if key.startswith(("cac so", "cac ban nganh", "cac co quan chuyen mon", "so ban nganh")):
        if province is None:
            return []
        return list(valid.filter(parent=province, kind=OrgKind.DEPARTMENT).order_by("sort_key"))
    if re.search(r"(?:uy ban nhan dan|ubnd) cac (?:huyen|quan|xa|thi xa)", key):
        if province is None:
            return []
        return list(valid.filter(parent=province, kind=OrgKind.COMMUNE).order_by("sort_key"))
    return None


def _provincial(key: str) -> bool:
    return key.startswith(
        (
            "so ",
            "cong an tinh",
            "van phong",
            "ban ",
            "bo chi huy",
            "dai phat thanh",
            "bao ",
            "thanh tra tinh",
            "uy ban nhan dan huyen",
            "ubnd huyen",
            "hoi ",
            "tinh doan",
            "truong ",
            "trung tam",
            "cuc ",
            "chi cuc",
        )
    )


def _one(key: str, on: dt.date, province: OrgUnit | None) -> OrgUnit | None:
    valid = OrgUnit.objects.valid_on(on)
    if province is not None:
        if key in ("uy ban nhan dan tinh", "ubnd tinh", fold(province.name), fold(province.authority_name)):
            return province
        for child in valid.filter(path__startswith=province.path).exclude(pk=province.pk):
            name = fold(child.name)
            if (
                name == key
                or name.startswith((key + " tinh", key + " thanh pho"))
                or fold(child.short_name or "") == key
            ):
                return child
        if _provincial(key):
            return None  # a provincial body of another province is never meant
    words = key.split()
    if not words:
        return None
    for unit in valid.filter(search_text__contains=words[-1]).exclude(kind=OrgKind.COMMUNE)[:200]:
        if key in (fold(unit.name), fold(unit.short_name or ""), fold(unit.authority_name)):
            return unit
    return None


def name_key(name: str) -> str:
    """A body's name folded (no diacritics, no case, one kind of space and dash), without the administrative
    words before it: "Tỉnh Thừa Thiên - Huế" and "Thừa Thiên Huế" have one key."""
    key = " ".join(fold(name).replace("-", " ").split())
    changed = True
    while changed:
        changed = False
        for word in ADMIN_WORDS:
            if key.startswith(word):
                key, changed = key[len(word) :], True
    return key


def match_provinces(names: list[str], on: dt.date) -> tuple[dict[str, OrgUnit], list[str]]:
    """The provinces valid on ``on`` that a table's names stand for, and the names no province matched."""
    by_key: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.valid_on(on).filter(kind=OrgKind.PROVINCE):
        for label in (unit.short_name, unit.name):
            if label:
                by_key.setdefault(name_key(label), unit)
    found: dict[str, OrgUnit] = {}
    missing: list[str] = []
    for name in names:
        key = name_key(name)
        unit = by_key.get(key) or _close(key, by_key)
        if unit is None:
            missing.append(name)
        else:
            found[name] = unit
    return found, missing


def _close(key: str, by_key: dict[str, OrgUnit]) -> OrgUnit | None:
    """The one province whose key is close to ``key`` (a letter wrong, missing or doubled), or None."""
    if len(key) < 4:
        return None
    ranked = process.extract(key, list(by_key), scorer=fuzz.ratio, limit=5)
    if not ranked or ranked[0][1] < CLOSE:
        return None
    best = by_key[ranked[0][0]]
    rivals = [score for choice, score, _ in ranked[1:] if by_key[choice] != best]
    if rivals and ranked[0][1] - rivals[0] < MARGIN:
        return None  # two provinces come near: not guessed
    return best


def _authority_key(text: str) -> str:
    return fold(text).replace("ubnd ", "uy ban nhan dan ").replace("tp ", "thanh pho ")


def match_issuer(name: str, on: dt.date | None, parent_name: str = "") -> OrgUnit | None:
    """The registry body a written issuer name stands for on a date (exact, diacritics-insensitive).

    A department's header names its province above it ("UBND TỈNH QUẢNG TRỊ" / "SỞ VĂN HÓA..."):
    the department is then the one of that province.
    """
    if not name:
        return None
    key = _authority_key(name)
    candidates = OrgUnit.objects.search(name).exclude(kind=OrgKind.COMMUNE).select_related("parent")
    if on is not None:
        candidates = candidates.valid_on(on)
    exact = [
        u
        for u in candidates[:100]
        if key in (_authority_key(u.name), _authority_key(u.authority_name), fold(u.short_name))
    ]
    if len(exact) == 1:
        return exact[0]
    if parent_name:
        parent_key = _authority_key(parent_name)
        under = [
            u
            for u in candidates[:200]
            if u.parent
            and parent_key in (_authority_key(u.parent.name), _authority_key(u.parent.authority_name))
            and _authority_key(u.name).startswith(key)
        ]
        if len(under) == 1:
            return under[0]
    return None
