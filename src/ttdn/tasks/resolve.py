"""Addressees as written → registry bodies valid on the document's date, relative to its issuer.

"Bộ Ngoại giao" is the ministry of that date; a provincial directive's "Sở Nội vụ" is that province's
department; "các Bộ, ngành, địa phương" is every ministry, government agency and province of that date;
"Giám đốc các Sở, Thủ trưởng các ban, ngành" are the province's departments. A name the registry lacks
is returned as unresolved, with where it would be created, so review can propose it: never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ttdn.core.text import fold
from ttdn.orgs.models import OrgKind, OrgUnit

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
