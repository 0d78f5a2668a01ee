"""The tile map of provinces in the browser: the centre's analyst reads the stories a province is named in on
its tile, a click on the tile filters the list by the province (and marks the tile), and a period ending before
07/2025 shows the 63 provinces, the old province's tile filtering by the province it went into."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

TZ = dt.timezone(dt.timedelta(hours=7))
STORIES = [
    ("Quảng Trị đón đoàn khách quốc tế tới Thành cổ", "Tỉnh Quảng Trị đón đoàn khách quốc tế.", "2026-11-02"),
    ("Quảng Trị mở tuyến du lịch biển đảo Cồn Cỏ", "Tỉnh Quảng Trị mở tuyến du lịch mới.", "2026-11-03"),
    (
        "Đồng Nai mở rộng khu công nghiệp công nghệ cao",
        "Tỉnh Đồng Nai mở rộng khu công nghiệp.",
        "2026-11-04",
    ),
    ("Quảng Bình quảng bá hang động tới khách châu Âu", "Tỉnh Quảng Bình quảng bá hang động.", "2025-03-10"),
]


def test_a_click_on_a_tile_filters_the_stories_by_the_province(page) -> None:  # noqa: ANN001
    from ttdn.monitoring import services
    from ttdn.monitoring.models import Item, Source
    from ttdn.monitoring.pipeline.analyse import Story
    from ttdn.orgs.models import OrgUnit

    source = services.add_source(None, name="Báo bản đồ (thử)")
    try:
        for n, (title, text, day) in enumerate(STORIES):
            when = dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=TZ)
            services.take_in(source, [Story(title, text, f"https://bando.example/{n}", when)], now=when)
        login(page, "cuc.phantich")
        page.goto(f"{page.base_url}/monitoring/?source={source.pk}")
        tiles = page.get_by_test_id("tilemap")
        expect(tiles).to_have_attribute("data-map", "34")
        quang_tri = tiles.locator('a[data-code="T44-2025"]')
        expect(quang_tri).to_have_attribute("aria-label", "Tỉnh Quảng Trị: 3 tin")
        expect(page.get_by_test_id("tilemap-table")).to_contain_text("Đồng Nai")
        quang_tri.click()
        listed = page.get_by_test_id("items")
        expect(listed).to_contain_text("Quảng Trị mở tuyến du lịch biển đảo Cồn Cỏ")
        expect(listed).to_contain_text("Quảng Bình quảng bá hang động")  # the old name, Quảng Trị's today
        expect(listed).not_to_contain_text("Đồng Nai")
        expect(page.get_by_test_id("total")).to_contain_text("3 tin")
        province = str(OrgUnit.objects.get(code="T44-2025").pk)
        expect(page.locator("select[name=province]")).to_have_value(province)  # the filter the tile set
        expect(tiles.locator('a[data-code="T44-2025"] g')).to_have_class(re.compile(r"\bselected\b"))

        page.goto(f"{page.base_url}/monitoring/?source={source.pk}&until=30/06/2025")
        expect(tiles).to_have_attribute("data-map", "63")
        quang_binh = tiles.locator('a[data-code="T44"]')
        expect(quang_binh).to_have_attribute(
            "aria-label", "Tỉnh Quảng Bình: 1 tin (nay thuộc Tỉnh Quảng Trị)"
        )
        quang_binh.click()
        expect(page.get_by_test_id("items")).to_contain_text("Quảng Bình quảng bá hang động")
        expect(page.get_by_test_id("total")).to_contain_text("1 tin")
    finally:
        for found in Source.objects.filter(name__endswith="(thử)"):
            Item.objects.filter(source=found, duplicate_of__isnull=False).delete()
            found.items.all().delete()
            found.delete()
