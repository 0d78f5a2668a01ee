"""The tile map on the stories page: originals counted per province (not duplicates), by today's body on the
34 and by the body named on the story's day on the 63 of a period ending before 01/07/2025, lit within the
reader's scope only; the SVG carries no script, escapes names and links each tile to the filtered list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from ttdn.accounts.models import User
from ttdn.monitoring import selectors, services
from ttdn.monitoring.models import Item
from ttdn.monitoring.pipeline.analyse import Story
from ttdn.monitoring.selectors import Filters
from ttdn.orgs.models import OrgUnit

TZ = dt.timezone(dt.timedelta(hours=7))
STORIES = [
    # (title, text, day)
    (
        "Quảng Trị đón đoàn khách quốc tế đầu tiên",
        "Tỉnh Quảng Trị đón đoàn khách quốc tế tới thăm.",
        "2026-10-02",
    ),
    (
        "Quảng Trị mở tuyến du lịch biển mới năm nay",
        "Tỉnh Quảng Trị và Đà Nẵng mở tuyến du lịch.",
        "2026-10-05",
    ),
    ("Hà Nội đón các đại sứ dự hội nghị thường niên", "Thành phố Hà Nội đón các đại sứ.", "2026-10-06"),
    (
        "Quảng Bình quảng bá hang động tới du khách châu Âu",
        "Tỉnh Quảng Bình quảng bá hang động.",
        "2025-03-10",
    ),
    ("Thừa Thiên Huế mở lễ hội nghề truyền thống năm nay", "Tỉnh Thừa Thiên Huế mở lễ hội.", "2024-11-05"),
    ("Quảng Nam đón khách tới phố cổ Hội An mùa hè", "Tỉnh Quảng Nam đón khách tới phố cổ.", "2025-05-20"),
]


def _when(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=TZ)


@pytest.fixture
def stories() -> None:
    source = services.add_source(None, name="Báo bản đồ thử")
    for n, (title, text, day) in enumerate(STORIES):
        services.take_in(
            source, [Story(title, text, f"https://bando.example/{n}", _when(day))], now=_when(day)
        )
    # the first story again under another address: a duplicate, not counted
    services.take_in(
        source,
        [Story(STORIES[0][0], STORIES[0][1], "https://bando.example/0-lai", _when("2026-10-02"))],
        now=_when("2026-10-02"),
    )
    assert Item.objects.filter(source=source, duplicate_of__isnull=False).count() == 1


def _counts(user: User, filters: Filters) -> tuple[str, dict[str, int]]:
    found = selectors.province_map(user, filters)
    return str(found["key"]), {t["code"]: t["n"] for t in found["tiles"] if t["n"]}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_34_count_originals_by_todays_body_and_the_63_by_the_body_named(stories: None) -> None:
    central = User.objects.get(username="cuc.phantich")
    key, counts = _counts(central, Filters())
    # Quảng Trị: two stories of 2026 (the duplicate not counted) and Quảng Bình's of 2025
    assert key == "34" and counts == {"T44-2025": 3, "T48-2025": 2, "T01": 1, "T46-2025": 1}
    assert _counts(central, Filters(duplicates=True)) == (key, counts)  # duplicates never count on the map

    key, counts = _counts(central, Filters(until=dt.date(2025, 6, 30)))
    # the names of the day: Quảng Bình, Quảng Nam, Thừa Thiên Huế (on the tile of Huế, its name since 2025)
    assert key == "63" and counts == {"T44": 1, "T49": 1, "T46-2025": 1}
    assert _counts(central, Filters(until=dt.date(2025, 7, 1)))[0] == "34"
    assert _counts(central, Filters(since=dt.date(2025, 1, 1), until=dt.date(2025, 4, 1)))[1] == {"T44": 1}


@pytest.mark.django_db
def test_a_provinces_analyst_sees_only_the_provinces_tiles_lit(stories: None) -> None:
    analyst = User.objects.get(username="quangtri.phantich")
    assert _counts(analyst, Filters()) == ("34", {"T44-2025": 3})  # Đà Nẵng, named beside it, stays dark
    assert _counts(analyst, Filters(until=dt.date(2025, 6, 30))) == ("63", {"T44": 1})
    found = selectors.province_map(analyst, Filters())
    linked = {t["code"] for t in found["tiles"] if t["province"]}  # type: ignore[attr-defined]
    assert linked == {"T44-2025"}  # the only province the analyst may filter by


@pytest.mark.django_db
def test_the_page_draws_the_map_without_script_with_names_escaped_and_tiles_linked(stories: None) -> None:
    OrgUnit.objects.filter(code="T01").update(name='Thành phố <b>Hà Nội</b> & "Thủ đô"')
    client = Client()
    client.force_login(User.objects.get(username="cuc.phantich"))
    page = client.get("/monitoring/").content.decode()
    svg = page[page.index('<svg class="tilemap"') : page.index("</svg>", page.index('<svg class="tilemap"'))]
    assert 'data-map="34"' in svg and "<script" not in svg.lower() and not re.search(r"\son[a-z]+\s*=", svg)
    assert "style=" not in svg and "<b>" not in svg
    assert "<title>Thành phố &lt;b&gt;Hà Nội&lt;/b&gt; &amp; &quot;Thủ đô&quot;: 1 tin</title>" in svg
    assert len(re.findall(r"<rect ", svg)) == 34
    qt = OrgUnit.objects.get(code="T44-2025")
    link = re.search(r'<a href="\?province=(\d+)"[^>]*data-code="T44-2025"', svg)
    assert link and int(link.group(1)) == qt.pk
    assert "<title>Tỉnh Quảng Trị: 3 tin</title>" in svg and 'class="tile q5"' in svg  # the most, the darkest
    listed = client.get(f"/monitoring/?province={qt.pk}").content.decode()
    assert "Quảng Bình quảng bá hang động" in listed and "Hà Nội đón các đại sứ" not in listed
    assert 'class="tile q5 selected"' in listed

    old = client.get("/monitoring/?until=30/06/2025").content.decode()
    assert 'data-map="63"' in old and "Tỉnh Quảng Bình: 1 tin (nay thuộc Tỉnh Quảng Trị)" in old
    assert f"until=30%2F06%2F2025&amp;province={qt.pk}" in old  # the old tile filters by today's province
    assert len(re.findall(r"<rect ", old.split('<svg class="tilemap"')[1].split("</svg>")[0])) == 63
