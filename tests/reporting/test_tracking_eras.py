"""The tracking table "at that time" (theo đơn vị thời điểm đó) over a span across the 2025 reorganisation:
each year is read with the bodies that existed at its end and counted out of them (2011-2012 out of 63,
2026 out of 34), so the old provinces' 2011-2012 marks are kept under the old provinces."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import login, needs_seeds
from ttdn.reporting import selectors
from ttdn.reporting.models import TrackingItem, TrackingValue, ValueOrigin

pytestmark = [needs_seeds, pytest.mark.django_db]


def _entered(unit, item: str, year: int, value: bool = True) -> None:  # noqa: ANN001
    TrackingValue.objects.update_or_create(
        unit=unit,
        item=TrackingItem.objects.get(code=item),
        year=year,
        defaults={"value": value, "origin": ValueOrigin.ENTERED},
    )


def _recounted(view: selectors.TrackingView) -> tuple[list[int], list[dict[str, int]]]:
    """The view's figures counted again from its cells (not from the aggregate query)."""
    view._aggregate, view.aggregate_loader = None, None
    return view.totals, [era.ever for era in view.eras]


def test_at_that_time_over_2011_2026_keeps_the_old_provinces(user, unit) -> None:  # noqa: ANN001
    viewer = user("bng.xem")
    TrackingValue.objects.filter(year=2026).delete()
    _entered(unit("T44-2025"), "quy_che", 2026)
    short = selectors.tracking_view(viewer, years=[2011, 2012])
    long = selectors.tracking_view(viewer, years=[2011, 2012, 2026])
    current = selectors.tracking_view(viewer, years=[2011, 2012, 2026], mode="current")

    first, latest = long.eras
    assert (first.years, first.bodies, latest.years, latest.bodies) == ([2011, 2012], 63, [2026], 34)
    assert first.ever == short.eras[0].ever  # 2011-2012 counts the same whatever the span
    assert (first.ever["quy_che"], latest.ever["quy_che"], current.ever_counts["quy_che"]) == (9, 1, 9)
    assert (
        long.sentences[0]
        == "Năm 2011 - 2012: 9/63 tỉnh, thành phố ban hành Quy chế quản lý nhà nước về thông tin đối ngoại"
    )
    assert (
        "Năm 2026: 1/34 tỉnh, thành phố ban hành Quy chế quản lý nhà nước về thông tin đối ngoại"
        in long.sentences
    )

    old, new = unit("T45"), unit("T44-2025")
    assert {old, new} <= set(long.bodies) and len(long.bodies) == 87  # 63 then, 34 now, 10 in both
    for item in ("quy_che", "ke_hoach", "tap_huan", "bao_cao_tong_ket", "de_an", "phoi_hop_bdbp"):
        for year in (2011, 2012):
            assert long.cell(old, item, year) == short.cell(old, item, year)
    assert not long.exists(old, 2026) and not long.exists(new, 2012)
    assert long.cell(new, "quy_che", 2026) is True and long.cell(old, "quy_che", 2026) is None
    assert (long.name_of(old), long.name_of(new)) == (
        "Quảng Trị (đến 30/06/2025)",
        "Quảng Trị (từ 01/07/2025)",
    )
    assert long.year_counts[:3] == [63, 63, 34]

    per_item = len(long.years)
    for k in range(len(long.items)):  # each item's 2011 and 2012 totals are those of the short table
        assert long.totals[k * per_item : k * per_item + 2] == short.totals[k * 2 : k * 2 + 2]
    assert long.aggregate_loader is None  # the demo's records prove 2026 items: counted from the cells

    _entered(new, "quy_che", 2030)  # a year no record speaks of: the aggregate query counts it
    later = selectors.tracking_view(viewer, years=[2011, 2012, 2030])
    assert later.aggregate_loader is not None
    figures = (later.totals, [era.ever for era in later.eras])
    assert figures == _recounted(later)
    assert [era.ever["quy_che"] for era in later.eras] == [9, 1]


def test_a_mark_of_a_body_dissolved_during_the_year_counts_for_its_successor(user, unit) -> None:  # noqa: ANN001
    """Old Quảng Trị's regulation of May 2025 is 2025's mark of the province that existed at the year's end."""
    viewer = user("bng.xem")
    _entered(unit("T45"), "quy_che", 2025)
    _entered(unit("T44"), "quy_che", 2024)
    view = selectors.tracking_view(viewer, years=[2024, 2025])
    assert [(era.years, era.bodies) for era in view.eras] == [([2024], 63), ([2025], 34)]
    assert view.cell(unit("T44-2025"), "quy_che", 2025) is True
    assert view.cell(unit("T45"), "quy_che", 2025) is None and not view.exists(unit("T45"), 2025)
    assert view.cell(unit("T44"), "quy_che", 2024) is True
    assert [era.ever["quy_che"] for era in view.eras] == [1, 1]
    assert view.aggregate_loader is None  # a carried value: counted from the cells


def test_the_page_counts_each_era_out_of_its_bodies(unit) -> None:  # noqa: ANN001
    TrackingValue.objects.filter(year=2026).delete()
    _entered(unit("T44-2025"), "quy_che", 2026)
    page = login("bng.xem").get(
        "/reporting/tracking/", {"mode": "historical", "year_from": 2011, "year_to": 2026}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "63 tỉnh, thành phố năm 2011 - 2012; 34 tỉnh, thành phố năm 2026." in html
    assert '<td class="num">9/63</td><td class="num">1/34</td>' in html
    assert "Quảng Trị (đến 30/06/2025)" in html and "Quảng Trị (từ 01/07/2025)" in html
    xlsx = login("bng.xem").get(
        "/reporting/tracking/export.xlsx", {"mode": "historical", "year_from": 2011, "year_to": 2026}
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    names = [r[1] for r in rows if isinstance(r[0], int)]
    assert len(names) == 87 and "Quảng Trị (đến 30/06/2025)" in names and "Quảng Trị (từ 01/07/2025)" in names
    assert any(
        "Năm 2011 - 2012: 9/63 tỉnh, thành phố ban hành Quy chế" in str(r[0]) for r in rows if r and r[0]
    )
