"""A tracking import is named to officials by the letter its table came with, or by the file they uploaded;
its refusals name bodies, not codes."""

from __future__ import annotations

import pytest

from ttdn.reporting import tracking
from ttdn.reporting.models import TrackingImport, TrackingValue
from ttdn.reporting.services import tracking as services

GRID = [["Stt", "Tỉnh", "Quy chế QLNN về TTĐN"], ["", "", "2013"], ["1", "An Giang", "x"]]


@pytest.mark.django_db
def test_an_import_is_named_by_its_letter_or_by_the_uploaded_file() -> None:
    table = tracking.read_grid(GRID)
    services.import_table(table, source_name="bang-theo-doi-2013.xlsx")
    assert TrackingImport.objects.first().label == "tệp bang-theo-doi-2013.xlsx nhập ngày 20/11/2026"
    table.document = "Công văn số 7/STTTT ngày 05/01/2014"
    services.import_table(table, source_name="000_4f62890c5c5b1aee.txt")
    latest = TrackingImport.objects.first()
    assert latest.label == "bảng kèm Công văn số 7/STTTT ngày 05/01/2014" and "000_" not in str(latest)


@pytest.mark.django_db
def test_two_rows_of_one_body_are_refused_by_name() -> None:
    before = (TrackingValue.objects.count(), TrackingImport.objects.count())
    grid = [*GRID, ["2", "Tỉnh An Giang", ""]]
    with pytest.raises(tracking.TrackingError) as refused:
        services.import_table(tracking.read_grid(grid), source_name="x.xlsx")
    assert str(refused.value) == "Hai dòng cùng chỉ một đơn vị: “An Giang” và “Tỉnh An Giang” (Tỉnh An Giang)"
    assert (TrackingValue.objects.count(), TrackingImport.objects.count()) == before
