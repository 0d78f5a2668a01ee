"""Reference data for the body registry (pure Python, no Django).

Builds plain records of bodies (đơn vị), organisational events (sự kiện tổ
chức) and TTĐN designations from:

* ``vietnamadminunits``: the 63 provinces before 01/07/2025 and which of them
  formed each of the 34 provinces (the merger groups);
* ``vietnam-provinces``: the 34 provinces and 3,321 communes from 01/07/2025;
* ``data/central_bodies.json`` and ``data/provinces.json``: the facts the
  packages do not carry, each with its legal source named.

Code scheme: ``T{gso}`` for a province as it stood before 2025 (and for the
eleven that continue unchanged), ``T{gso}-2025`` for a province formed in 2025,
``{province}-{suffix}`` for its departments (Sở), ``X{gso}`` for a commune and
the document symbol (``BNG``, ``BTTTT``) for a central body.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttdn.core.text import compact

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    kind: str
    short_name: str = ""
    parent: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""


@dataclass(frozen=True)
class EventRecord:
    kind: str
    effective_on: dt.date
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    note: str = ""
    source: str = ""

    @property
    def key(self) -> str:
        """Natural key: the same event loaded twice is one event."""
        return f"{self.kind}:{self.effective_on.isoformat()}:{','.join(self.predecessors)}>{','.join(self.successors)}"


@dataclass(frozen=True)
class DesignationRecord:
    unit: str
    role: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""


@dataclass
class ReferenceData:
    units: list[UnitRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    designations: list[DesignationRecord] = field(default_factory=list)

    def unit_codes(self) -> set[str]:
        return {u.code for u in self.units}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _load_json(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _package_source(package: str, what: str) -> str:
    """What the data is, in Vietnamese, then the package and version it comes from (shown as a body's source)."""
    return f"{what} (dữ liệu {package} {importlib.metadata.version(package)})"


def central_bodies() -> ReferenceData:
    """Ministries, agencies and the central TTĐN department, with the 03/2025 events."""
    raw = _load_json("central_bodies.json")
    sources: dict[str, str] = raw["sources"]
    data = ReferenceData()
    for item in raw["units"]:
        data.units.append(
            UnitRecord(
                code=item["code"],
                name=item["name"],
                kind=item["kind"],
                short_name=item.get("short_name", ""),
                parent=item.get("parent"),
                valid_from=_date(item.get("valid_from")),
                valid_to=_date(item.get("valid_to")),
                source=sources[item["source"]],
            )
        )
    for item in raw["events"]:
        data.events.append(
            EventRecord(
                kind=item["kind"],
                effective_on=_date(item["effective_on"]),  # type: ignore[arg-type]
                predecessors=tuple(item["predecessors"]),
                successors=tuple(item["successors"]),
                note=item.get("note", ""),
                source=sources[item["source"]],
            )
        )
    for item in raw["designations"]:
        data.designations.append(
            DesignationRecord(
                unit=item["unit"],
                role=item["role"],
                valid_from=_date(item.get("valid_from")),
                valid_to=_date(item.get("valid_to")),
                source=sources[item["source"]],
            )
        )
    return data


@dataclass(frozen=True)
class _Province:
    key: str  # vietnamadminunits key, e.g. "tinhbinhphuoc"
    gso: str  # two-digit statistical code
    name: str
    short_name: str


def _legacy_provinces() -> dict[str, _Province]:
    from vietnamadminunits.parser import parser_legacy

    result: dict[str, _Province] = {}
    for key, item in parser_legacy.DICT_PROVINCE.items():
        result[key] = _Province(key, item["provinceCode"], item["province"], item["provinceShort"])
    return result


def _merger_groups() -> dict[str, list[str]]:
    """New province key -> keys of the old provinces that formed it."""
    from vietnamadminunits.converter import converter_2025

    return {new: list(olds) for new, olds in converter_2025.DICT_PROVINCE.items()}


def _full_name(province: Any) -> str:
    """vietnam-provinces names a tỉnh without its prefix ("An Giang") but a city with it."""
    if province.division_type.value == "tỉnh" and not province.name.startswith("Tỉnh "):
        return f"Tỉnh {province.name}"
    return str(province.name)


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _department_name(base: str, province_name: str) -> str:
    """'Sở Văn hóa, Thể thao và Du lịch' + 'Tỉnh Gia Lai' -> '... tỉnh Gia Lai'."""
    return f"{base} {province_name[0].lower()}{province_name[1:]}"


def provinces() -> ReferenceData:
    """The 63 provinces, the 34 from 01/07/2025, their departments, communes and lineage."""
    from vietnam_provinces import Province, Ward

    rules = _load_json("provinces.json")
    sources: dict[str, str] = rules["sources"]
    merger_day = _date(rules["merger_effective_on"])
    assert merger_day is not None
    last_old_day = merger_day - dt.timedelta(days=1)
    legacy_source = _package_source("vietnamadminunits", "Danh mục đơn vị hành chính đến 30/06/2025")
    current_source = _package_source("vietnam-provinces", "Danh mục đơn vị hành chính từ 01/07/2025")
    merger_source = f"{sources[rules['merger_source']]}; {legacy_source}"

    data = ReferenceData()
    legacy = _legacy_provinces()
    groups = _merger_groups()
    current = {compact(_full_name(p)): p for p in Province.iter_all()}
    if set(current) != set(groups):
        missing = sorted(set(current) ^ set(groups))
        raise ValueError(f"the two province packages disagree on the 34 provinces: {missing}")

    # province record code -> (name, valid_from, valid_to); used to derive departments.
    province_spans: dict[str, tuple[str, dt.date | None, dt.date | None]] = {}
    province_events: list[EventRecord] = []
    old_code_of: dict[str, str] = {}  # legacy key -> record code valid on 30/06/2025
    renames = {r["province_code"]: r for r in rules["renames"]}

    for key, prov in sorted(legacy.items(), key=lambda kv: kv[1].gso):
        code = f"T{prov.gso}"
        unchanged = groups.get(key) == [key]
        valid_to = None if unchanged else last_old_day
        rename = renames.get(prov.gso)
        if rename:
            renamed_on = _date(rename["effective_on"])
            assert renamed_on is not None
            before = UnitRecord(
                code=code,
                name=rename["name_before"],
                short_name=rename["short_name_before"],
                kind="province",
                valid_to=renamed_on - dt.timedelta(days=1),
                source=f"{legacy_source}; {sources[rename['source']]}",
            )
            data.units.append(before)
            province_spans[code] = (before.name, before.valid_from, before.valid_to)
            new_code = f"T{prov.gso}-{renamed_on.year}"
            data.units.append(
                UnitRecord(
                    code=new_code,
                    name=prov.name,
                    short_name=prov.short_name,
                    kind="province",
                    valid_from=renamed_on,
                    valid_to=valid_to,
                    source=f"{legacy_source}; {sources[rename['source']]}",
                )
            )
            province_spans[new_code] = (prov.name, renamed_on, valid_to)
            province_events.append(
                EventRecord(
                    "rename",
                    renamed_on,
                    (code,),
                    (new_code,),
                    f"{before.name} → {prov.name}",
                    sources[rename["source"]],
                )
            )
            code = new_code
        else:
            data.units.append(
                UnitRecord(
                    code=code,
                    name=prov.name,
                    short_name=prov.short_name,
                    kind="province",
                    valid_to=valid_to,
                    source=legacy_source,
                )
            )
            province_spans[code] = (prov.name, None, valid_to)
        old_code_of[key] = code

    new_code_of: dict[str, str] = {}
    for key, olds in sorted(groups.items()):
        if olds == [key]:
            new_code_of[key] = old_code_of[key]
            continue
        prov = current[key]
        code = f"T{int(prov.code):02d}-{merger_day.year}"
        new_code_of[key] = code
        data.units.append(
            UnitRecord(
                code=code,
                name=_full_name(prov),
                short_name=_short(_full_name(prov)),
                kind="province",
                valid_from=merger_day,
                source=f"{current_source}; {merger_source}",
            )
        )
        province_spans[code] = (_full_name(prov), merger_day, None)
        predecessors = tuple(sorted(old_code_of[o] for o in olds))
        names = ", ".join(legacy[o].short_name for o in sorted(olds, key=lambda o: old_code_of[o]))
        province_events.append(
            EventRecord(
                "merge",
                merger_day,
                predecessors,
                (code,),
                f"{names} → {_full_name(prov)}",
                sources[rules["merger_source"]],
            )
        )
    data.events.extend(province_events)

    # Departments (Sở) of every province record, and their lineage mirroring the provinces'.
    for dept in rules["departments"]:
        dept_to = _date(dept.get("valid_to"))
        standing_from = _date(dept.get("ttdn_standing_from"))
        for pcode, (pname, p_from, p_to) in province_spans.items():
            if dept_to and p_from and p_from > dept_to:
                continue
            d_to = min(d for d in (p_to, dept_to) if d) if (p_to or dept_to) else None
            dcode = f"{pcode}-{dept['suffix']}"
            data.units.append(
                UnitRecord(
                    code=dcode,
                    name=_department_name(dept["name"], pname),
                    kind="department",
                    parent=pcode,
                    valid_from=p_from,
                    valid_to=d_to,
                    source=sources[dept["source"]],
                )
            )
            if dept.get("ttdn_standing"):
                data.designations.append(
                    DesignationRecord(
                        dcode, "provincial_standing", p_from, d_to, sources[dept["ttdn_source"]]
                    )
                )
            elif standing_from and (d_to is None or d_to >= standing_from):
                start = max(d for d in (p_from, standing_from) if d)
                data.designations.append(
                    DesignationRecord(dcode, "provincial_standing", start, d_to, sources[dept["ttdn_source"]])
                )
        for event in province_events:
            spans = {code: province_spans[code] for code in (*event.predecessors, *event.successors)}
            if dept_to and any(s[1] and s[1] > dept_to for s in spans.values()):
                continue
            data.events.append(
                EventRecord(
                    event.kind,
                    event.effective_on,
                    tuple(f"{p}-{dept['suffix']}" for p in event.predecessors),
                    tuple(f"{s}-{dept['suffix']}" for s in event.successors),
                    event.note,
                    event.source,
                )
            )

    transfer = rules["department_transfer"]
    transfer_on = _date(transfer["effective_on"])
    assert transfer_on is not None
    for pcode, (_, p_from, p_to) in province_spans.items():
        alive_before = (p_from is None or p_from < transfer_on) and (p_to is None or p_to >= transfer_on)
        if alive_before:
            data.events.append(
                EventRecord(
                    "transfer",
                    transfer_on,
                    (f"{pcode}-{transfer['from']}",),
                    (f"{pcode}-{transfer['to']}",),
                    transfer["note"],
                    sources[transfer["source"]],
                )
            )

    communes_from = _date(rules["communes_valid_from"])
    commune_source = f"{current_source}; {sources[rules['communes_source']]}"
    province_by_gso = {int(p.code): new_code_of[k] for k, p in current.items()}
    for ward in Ward.iter_all():
        data.units.append(
            UnitRecord(
                code=f"X{int(ward.code):05d}",
                name=ward.name,
                kind="commune",
                parent=province_by_gso[int(ward.province_code)],
                valid_from=communes_from,
                source=commune_source,
            )
        )
    return data


def build() -> ReferenceData:
    """All reference data, checked for dangling codes."""
    data = ReferenceData()
    for part in (central_bodies(), provinces()):
        data.units.extend(part.units)
        data.events.extend(part.events)
        data.designations.extend(part.designations)
    codes = data.unit_codes()
    if len(codes) != len(data.units):
        raise ValueError("duplicate unit codes in reference data")
    dangling = [u.parent for u in data.units if u.parent and u.parent not in codes]
    dangling += [c for e in data.events for c in (*e.predecessors, *e.successors) if c not in codes]
    dangling += [d.unit for d in data.designations if d.unit not in codes]
    if dangling:
        raise ValueError(f"reference data names unknown units: {sorted(set(dangling))[:10]}")
    return data
