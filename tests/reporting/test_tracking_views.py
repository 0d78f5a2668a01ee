"""Tracking table in the database and on its pages: 63 then 34 bodies, atomic imports, exports."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import login, needs_seeds
from tests.docx_checks import flagged_rows, words_broken
from ttdn.reporting import selectors, tracking
from ttdn.reporting.models import TrackingImport, TrackingValue
from ttdn.reporting.services import tracking as services

pytestmark = needs_seeds


@pytest.mark.django_db
def test_historical_and_current_views(user) -> None:  # noqa: ANN001
    viewer = user("bng.xem")
    old = selectors.tracking_view(viewer, years=[2011, 2012])
    new = selectors.tracking_view(viewer, years=[2011, 2012], mode="current")
    assert (len(old.bodies), len(new.bodies)) == (63, 34)
    assert old.ever_counts["ke_hoach"] == 37
    by_code = {u.code: u for u in new.bodies}
    # Đồng Nai today counts when Bình Phước or Đồng Nai had the item then.
    dong_nai = by_code["T75-2025"]
    for item in ("quy_che", "ke_hoach", "tap_huan", "de_an"):
        then = any(old.cell(u, item, y) for u in old.bodies if u.code in ("T70", "T75") for y in (2011, 2012))
        assert bool(any(new.cell(dong_nai, item, y) for y in (2011, 2012))) == then
    assert new.sentences[0].startswith(f"{new.ever_counts['quy_che']}/34 tỉnh, thành phố ban hành Quy chế")


@pytest.mark.django_db
def test_import_is_atomic_and_dry_run_writes_nothing() -> None:
    grid = [
        ["Stt", "Tỉnh", "Quy chế QLNN về TTĐN"],
        ["", "", "2013"],
        ["1", "An Giang", "x"],
        ["2", "Tỉnh Xứ Sở Thần Tiên", "x"],
    ]
    before = (TrackingValue.objects.count(), TrackingImport.objects.count())
    with pytest.raises(tracking.TrackingError, match="Xứ Sở Thần Tiên"):
        services.import_table(tracking.read_grid(grid), source_name="x.xlsx")
    good = tracking.read_grid(grid[:3])
    outcome = services.import_table(good, source_name="x.xlsx", dry_run=True)
    assert outcome.dry_run and outcome.summary["units"] == {"An Giang": "T89"}
    assert (TrackingValue.objects.count(), TrackingImport.objects.count()) == before
    assert services.import_table(good, source_name="x.xlsx").written == 1
    assert (
        services.import_table(good, source_name="x.xlsx").written == 0
    )  # the same table again changes nothing


@pytest.mark.django_db
def test_page_and_bad_filters() -> None:
    client = login("bng.xem")
    page = client.get("/reporting/tracking/", {"mode": "current"})
    assert page.status_code == 200 and "34 tỉnh, thành phố hiện nay" in page.content.decode()
    assert "Quy chế QLNN về TTĐN 2012: khai báo 6, đếm được 7" in page.content.decode()
    bad = client.get("/reporting/tracking/", {"year_from": "abc", "mode": "<x>"})
    assert bad.status_code == 200 and "bỏ qua" in bad.content.decode()
    assert client.get("/reporting/tracking/export.pdf").status_code == 404


@pytest.mark.django_db
def test_exports_open_with_the_right_numbers() -> None:
    client = login("cuc.canbo")
    xlsx = client.get("/reporting/tracking/export.xlsx", {"mode": "historical"})
    assert (
        'filename="bang-theo-doi-theo-don-vi-thoi-do-' in xlsx["Content-Disposition"]
    )  # Vietnamese, not "historical"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    total = next(r for r in rows if r[1] == "Tổng")
    assert list(total[2:14]) == [2, 7, 32, 14, 10, 20, 59, 50, 0, 28, 10, 0]
    assert sum(1 for r in rows if isinstance(r[0], int)) == 63
    word = client.get("/reporting/tracking/export.docx", {"mode": "current"})
    document = docx.Document(io.BytesIO(word.content))
    table = document.tables[0]
    assert len(table.rows) == 2 + 34 + 1
    assert any("/34 tỉnh, thành phố" in p.text for p in document.paragraphs)
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape appendix
    assert flagged_rows(table, "tblHeader") == [0, 1] and words_broken(table) == []


@pytest.mark.django_db
def test_import_page_checks_then_writes() -> None:
    client = login("cuc.canbo")
    grid_file = io.BytesIO()
    wb = openpyxl.Workbook()
    for row in [
        ["Stt", "Tỉnh", "Tập huấn công tác TTĐN"],
        ["", "", 2014],
        [1, "Quảng Trị", "x"],
        [2, "Quảng Bình", ""],
        ["", "Tổng", 2],
    ]:
        wb.active.append(row)
    wb.save(grid_file)
    data = grid_file.getvalue()
    check = client.post("/reporting/tracking/import/", {"file": SimpleUploadedFile("t.xlsx", data)})
    assert check.status_code == 200 and "Khai báo" in check.content.decode()
    assert not TrackingValue.objects.filter(year=2014).exists()
    done = client.post(
        "/reporting/tracking/import/", {"file": SimpleUploadedFile("t.xlsx", data), "confirm": "1"}
    )
    assert done.status_code == 302
    assert set(TrackingValue.objects.filter(year=2014).values_list("unit__code", "value")) == {
        ("T45", True),
        ("T44", False),
    }
    assert login("quangtri.canbo").get("/reporting/tracking/import/").status_code == 403
    bad = client.post("/reporting/tracking/import/", {"file": SimpleUploadedFile("t.png", b"\x89PNG")})
    assert bad.status_code == 400 and "Chỉ nhận" in bad.content.decode()
