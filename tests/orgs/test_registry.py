"""The registry in the database: as-of listings, lineage, designations, idempotent loading."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from ttdn.orgs import reference, selectors
from ttdn.orgs.models import OrgEvent, OrgKind, OrgUnit, ReferenceLoad
from ttdn.orgs.services import load_reference

D2012 = dt.date(2012, 12, 31)
D2025 = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_list_as_of_dates() -> None:
    assert selectors.list_units(as_of=D2012, kind=OrgKind.PROVINCE).count() == 63
    assert selectors.list_units(as_of=D2025, kind=OrgKind.PROVINCE).count() == 34
    assert selectors.list_units(as_of=D2025, kind=OrgKind.COMMUNE).count() == 3321
    assert selectors.list_units(as_of=D2012, kind=OrgKind.COMMUNE).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bình Phước", ["Tỉnh Đồng Nai"]),
        ("Kon Tum", ["Tỉnh Quảng Ngãi"]),
        ("Hà Nội", ["Thành phố Hà Nội"]),
        ("ba ria vung tau", ["Thành phố Hồ Chí Minh"]),
    ],
)
def test_successors_after_the_merger(name: str, expected: list[str]) -> None:
    assert [u.name for u in selectors.successors_of_name(name, D2025)] == expected


@pytest.mark.django_db
def test_successors_follow_chains_and_time(unit) -> None:  # noqa: ANN001
    tth = unit("T46")
    assert [u.code for u in selectors.successors(tth, dt.date(2024, 12, 31))] == ["T46"]
    assert [u.code for u in selectors.successors(tth, dt.date(2025, 1, 1))] == ["T46-2025"]
    # Sở TTTT Quảng Bình: TTĐN moved to Sở VHTTDL (03/2025), then Quảng Bình merged into Quảng Trị (07/2025).
    so = unit("T44-STTTT")
    assert [u.code for u in selectors.successors(so, dt.date(2025, 3, 1))] == ["T44-SVHTTDL"]
    assert [u.code for u in selectors.successors(so, D2025)] == ["T44-2025-SVHTTDL"]
    # A body that did not exist yet has no successor on that date.
    assert selectors.successors(unit("T75-2025"), D2012) == []


@pytest.mark.django_db
def test_predecessors_are_transitive(unit) -> None:  # noqa: ANN001
    codes = {u.code for u in selectors.predecessors(unit("T44-2025-SVHTTDL"))}
    assert {"T44-SVHTTDL", "T45-SVHTTDL", "T44-STTTT", "T45-STTTT"} <= codes
    assert {u.code for u in selectors.predecessors(unit("T75-2025"))} == {"T70", "T75"}
    assert {u.code for u in selectors.predecessors(unit("T75-2025"), dt.date(2025, 6, 30))} == set()
    assert selectors.predecessors(unit("T01")) == []


@pytest.mark.django_db
def test_central_and_standing_departments(unit) -> None:  # noqa: ANN001
    assert selectors.central_department(dt.date(2013, 1, 18)).name == "Cục Thông tin đối ngoại"
    assert (
        selectors.central_department(dt.date(2025, 3, 1)).name == "Cục Thông tin cơ sở và Thông tin đối ngoại"
    )
    assert selectors.central_department(dt.date(2025, 3, 1)).parent.code == "BVHTTDL"
    qt = unit("T45")
    assert (
        selectors.standing_department(qt, dt.date(2024, 4, 25)).name
        == "Sở Thông tin và Truyền thông tỉnh Quảng Trị"
    )
    assert (
        selectors.standing_department(qt, dt.date(2025, 3, 1)).name
        == "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
    )
    assert selectors.standing_department(unit("T44-2025"), D2025).code == "T44-2025-SVHTTDL"


@pytest.mark.django_db
def test_ministries_reorganised_on_1_march_2025(unit) -> None:  # noqa: ANN001
    before = dt.date(2025, 2, 28)
    after = dt.date(2025, 3, 1)
    assert [u.code for u in selectors.successors(unit("BTTTT"), after)] == ["BKHCN"]
    assert [u.code for u in selectors.successors(unit("BKHDT"), after)] == ["BTC"]
    assert [u.code for u in selectors.successors(unit("BNNPTNT"), after)] == ["BNNMT"]
    assert [u.code for u in selectors.successors(unit("UBDT"), after)] == ["BDTTG"]
    ministries_before = selectors.list_units(as_of=before, kind=OrgKind.MINISTRY).count()
    ministries_after = selectors.list_units(as_of=after, kind=OrgKind.MINISTRY).count()
    assert (ministries_before, ministries_after) == (18, 14)


@pytest.mark.django_db
def test_search_ignores_diacritics_and_case() -> None:
    names = set(selectors.list_units(as_of=D2012, query="quang tri").values_list("name", flat=True))
    assert "Tỉnh Quảng Trị" in names
    assert "Tỉnh Đắk Lắk" in set(
        selectors.list_units(as_of=D2012, query="DAK LAK").values_list("name", flat=True)
    )
    assert "Tỉnh Bà Rịa - Vũng Tàu" in set(
        selectors.list_units(as_of=D2012, query="ba ria vung tau").values_list("name", flat=True)
    )
    former = selectors.not_valid_matches("ba ria vung tau", D2025, kind=OrgKind.PROVINCE)
    assert [(u.name, [s.name for s in succ]) for u, succ in former] == [
        ("Tỉnh Bà Rịa - Vũng Tàu", ["Thành phố Hồ Chí Minh"])
    ]


@pytest.mark.django_db
def test_sorting_files_d_with_d() -> None:
    names = list(
        selectors.list_units(as_of=D2012, kind=OrgKind.PROVINCE).values_list("short_name", flat=True)
    )
    assert names.index("Đắk Lắk") < names.index("Gia Lai")
    assert names[0] == "An Giang"


@pytest.mark.django_db
def test_resolve_unknown_and_ambiguous() -> None:
    with pytest.raises(selectors.UnknownUnit):
        selectors.resolve("Atlantis")
    with pytest.raises(selectors.AmbiguousUnit):
        selectors.resolve("Quảng")
    assert {u.code for u in selectors.resolve("dong nai")} == {"T75", "T75-2025"}


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    units, events, logs, loads = (
        OrgUnit.objects.count(),
        OrgEvent.objects.count(),
        LogEntry.objects.count(),
        ReferenceLoad.objects.count(),
    )
    result = load_reference(reference.build())
    assert (result.created, result.updated) == (0, 0)
    assert (
        OrgUnit.objects.count(),
        OrgEvent.objects.count(),
        LogEntry.objects.count(),
        ReferenceLoad.objects.count(),
    ) == (units, events, logs, loads)


@pytest.mark.django_db
def test_loading_repairs_a_changed_record(unit) -> None:  # noqa: ANN001
    OrgUnit.objects.filter(code="T01").update(name="Hà Nội (sửa tay)", search_text="x")
    result = load_reference(reference.build())
    assert result.updated == 1
    assert unit("T01").name == "Thành phố Hà Nội"
    assert "ha noi" in unit("T01").search_text


@pytest.mark.django_db
def test_paths_are_materialised(unit) -> None:  # noqa: ANN001
    dept = unit("T44-2025-SVHTTDL")
    assert dept.path == "/T44-2025/T44-2025-SVHTTDL/"
    assert OrgUnit.objects.subtree_of(["/T44-2025/"]).filter(kind=OrgKind.COMMUNE).count() > 50


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40).map(lambda s: s.replace("\x00", "")))
def test_resolve_any_text_answers_or_says_why(text: str) -> None:
    try:
        found = selectors.resolve(text)
    except (selectors.UnknownUnit, selectors.AmbiguousUnit):
        return
    assert found and all(isinstance(u, OrgUnit) for u in found)
