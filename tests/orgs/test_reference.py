"""The reference data engine, without a database."""

import datetime as dt

import pytest

from ttdn.core.dates import is_valid_on
from ttdn.core.text import fold
from ttdn.orgs import reference

# DESIGN 6.1 (Nghị quyết 202/2025/QH15): the new province and the provinces merged into it.
MERGERS = {
    "Tuyên Quang": {"Hà Giang"},
    "Lào Cai": {"Yên Bái"},
    "Thái Nguyên": {"Bắc Kạn"},
    "Phú Thọ": {"Vĩnh Phúc", "Hòa Bình"},
    "Bắc Ninh": {"Bắc Giang"},
    "Hưng Yên": {"Thái Bình"},
    "Hải Phòng": {"Hải Dương"},
    "Ninh Bình": {"Hà Nam", "Nam Định"},
    "Quảng Trị": {"Quảng Bình"},
    "Đà Nẵng": {"Quảng Nam"},
    "Quảng Ngãi": {"Kon Tum"},
    "Gia Lai": {"Bình Định"},
    "Khánh Hòa": {"Ninh Thuận"},
    "Lâm Đồng": {"Đắk Nông", "Bình Thuận"},
    "Đắk Lắk": {"Phú Yên"},
    "Hồ Chí Minh": {"Bình Dương", "Bà Rịa - Vũng Tàu"},
    "Đồng Nai": {"Bình Phước"},
    "Tây Ninh": {"Long An"},
    "Cần Thơ": {"Sóc Trăng", "Hậu Giang"},
    "Vĩnh Long": {"Bến Tre", "Trà Vinh"},
    "Đồng Tháp": {"Tiền Giang"},
    "Cà Mau": {"Bạc Liêu"},
    "An Giang": {"Kiên Giang"},
}
UNCHANGED = {
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
}


@pytest.fixture(scope="module")
def data() -> reference.ReferenceData:
    return reference.build()


def _provinces_on(data: reference.ReferenceData, on: dt.date) -> list[reference.UnitRecord]:
    return [u for u in data.units if u.kind == "province" and is_valid_on(u.valid_from, u.valid_to, on)]


def test_63_then_34_provinces(data: reference.ReferenceData) -> None:
    assert len(_provinces_on(data, dt.date(2012, 12, 31))) == 63
    assert len(_provinces_on(data, dt.date(2025, 6, 30))) == 63
    assert len(_provinces_on(data, dt.date(2025, 7, 1))) == 34
    assert len(_provinces_on(data, dt.date(2026, 11, 22))) == 34


def test_merger_groups_match_the_resolution(data: reference.ReferenceData) -> None:
    by_code = {u.code: u for u in data.units}
    merges = {}
    for event in data.events:
        if (
            event.kind == "merge"
            and event.effective_on == dt.date(2025, 7, 1)
            and by_code[event.successors[0]].kind == "province"
        ):
            new = by_code[event.successors[0]].short_name
            merges[fold(new)] = {fold(by_code[p].short_name) for p in event.predecessors}
    expected = {fold(new): {fold(new)} | {fold(o) for o in olds} for new, olds in MERGERS.items()}
    assert merges == expected
    still = {
        fold(u.short_name)
        for u in _provinces_on(data, dt.date(2025, 7, 1))
        if u.valid_from in (None, dt.date(2025, 1, 1))
    }
    assert still == {fold(n) for n in UNCHANGED}


def test_thua_thien_hue_becomes_hue(data: reference.ReferenceData) -> None:
    names_2024 = {u.name for u in _provinces_on(data, dt.date(2024, 12, 31))}
    names_2025 = {u.name for u in _provinces_on(data, dt.date(2025, 1, 1))}
    assert "Tỉnh Thừa Thiên Huế" in names_2024 and "Thành phố Huế" not in names_2024
    assert "Thành phố Huế" in names_2025 and "Tỉnh Thừa Thiên Huế" not in names_2025
    assert any(e.kind == "rename" and e.effective_on == dt.date(2025, 1, 1) for e in data.events)


def test_every_record_names_its_source(data: reference.ReferenceData) -> None:
    assert all(u.source for u in data.units)
    assert all(e.source for e in data.events)
    assert all(d.source for d in data.designations)


def test_sources_name_documents_for_officials(data: reference.ReferenceData) -> None:
    """A body's page shows its source: a document by number and date, or the data in Vietnamese words,
    never a seed's code ("seed 000") or a bare package name."""
    sources = {r.source for r in [*data.units, *data.events, *data.designations]}
    assert not [s for s in sources if "seed" in s.lower()]
    assert not [s for s in sources if s.startswith(("vietnamadminunits", "vietnam-provinces"))]
    assert {u.source for u in data.units if u.code == "BTTTT"} == {
        "Số, ký hiệu và cơ quan ban hành của Công văn 212/BTTTT-TTĐN ngày 18/01/2013"
    }


@pytest.mark.parametrize(
    ("on", "suffix"),
    [("2024-06-30", "STTTT"), ("2025-02-28", "STTTT"), ("2025-03-01", "SVHTTDL"), ("2025-07-01", "SVHTTDL")],
)
def test_one_standing_department_per_province(data: reference.ReferenceData, on: str, suffix: str) -> None:
    day = dt.date.fromisoformat(on)
    provinces = {u.code for u in _provinces_on(data, day)}
    standing = [
        d.unit
        for d in data.designations
        if d.role == "provincial_standing" and is_valid_on(d.valid_from, d.valid_to, day)
    ]
    assert len(standing) == len(provinces)
    assert {code.rsplit("-", 1)[0] for code in standing} == provinces
    assert all(code.endswith(suffix) for code in standing)


def test_central_department_changes_on_1_march_2025(data: reference.ReferenceData) -> None:
    by_code = {u.code: u for u in data.units}

    def central(on: dt.date) -> list[str]:
        return [
            by_code[d.unit].name
            for d in data.designations
            if d.role == "central" and is_valid_on(d.valid_from, d.valid_to, on)
        ]

    assert central(dt.date(2025, 2, 28)) == ["Cục Thông tin đối ngoại"]
    assert central(dt.date(2025, 3, 1)) == ["Cục Thông tin cơ sở và Thông tin đối ngoại"]


def test_communes_of_the_two_tier_system(data: reference.ReferenceData) -> None:
    communes = [u for u in data.units if u.kind == "commune"]
    assert len(communes) == 3321
    assert all(u.valid_from == dt.date(2025, 7, 1) for u in communes)


def test_seed_002_distribution_list_is_covered(data: reference.ReferenceData) -> None:
    """Every ministry and agency of seed 002's list exists in 2024."""
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "002_86de79379d526a55.txt"
    if not seed.exists():
        pytest.skip("shared seeds not beside the repository")
    text = seed.read_text(encoding="utf-8")
    section = text.split("I. Bộ, cơ quan ngang bộ", 1)[1].split("III. UBND", 1)[0]
    listed = [
        line.split(". ", 1)[1].strip() for line in section.splitlines() if line[:1].isdigit() and ". " in line
    ]
    assert len(listed) == 28
    names_2024 = {
        fold(u.name) for u in data.units if is_valid_on(u.valid_from, u.valid_to, dt.date(2024, 4, 25))
    }
    missing = [name for name in listed if fold(name) not in names_2024]
    assert missing == []
