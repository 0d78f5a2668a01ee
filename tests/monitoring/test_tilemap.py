"""The tile map of provinces: every province of the registry on 2026-01-01 has one tile among the 34 and every
province of 2025-06-30 one among the 63, no two tiles share a cell, the period picks the map, and the scale's
classes cover the counts."""

from __future__ import annotations

import ast
import datetime as dt
import inspect

import pytest

from ttdn.monitoring import tilemap
from ttdn.orgs.models import OrgKind, OrgUnit


def _set(key: str) -> tilemap.TileSet:
    return next(s for s in tilemap.tile_sets() if s.key == key)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "on", "count"), [("34", dt.date(2026, 1, 1), 34), ("63", dt.date(2025, 6, 30), 63)]
)
def test_every_province_of_the_day_has_exactly_one_tile(key: str, on: dt.date, count: int) -> None:
    tiles = _set(key)
    codes = [t.code for t in tiles.tiles]
    registry = set(OrgUnit.objects.valid_on(on).filter(kind=OrgKind.PROVINCE).values_list("code", flat=True))
    assert len(registry) == count
    assert sorted(codes) == sorted(registry)  # each once, none missing, none extra
    assert tiles.as_of(dt.date(2026, 1, 1)) == on or tiles.valid_to is None


@pytest.mark.parametrize("key", ["34", "63"])
def test_no_two_tiles_share_a_cell_or_a_label(key: str) -> None:
    tiles = _set(key).tiles
    assert len({(t.col, t.row) for t in tiles}) == len(tiles)
    assert len({t.label for t in tiles}) == len(tiles)
    assert all(0 < len(t.label) <= 4 for t in tiles)
    assert min(t.col for t in tiles) == 0 and min(t.row for t in tiles) == 0


def test_the_map_reads_as_the_country() -> None:
    """North at the top, the south at the bottom, Hà Nội north of Huế north of TP Hồ Chí Minh; the centre a
    narrow strip."""
    for key, hanoi, hue, hcm, camau in (
        ("34", "T01", "T46-2025", "T79-2025", "T96-2025"),
        ("63", "T01", "T46-2025", "T79", "T96"),
    ):
        at = {t.code: t for t in _set(key).tiles}
        assert at[hanoi].row < at[hue].row < at[hcm].row < at[camau].row
        assert at["T12"].row == 0  # Lai Châu, the north-west
        centre = [t for t in at.values() if at[hue].row <= t.row < at[hcm].row - 2]
        assert max(sum(1 for t in centre if t.row == r) for r in {t.row for t in centre}) <= 2


def test_the_period_picks_the_map() -> None:
    assert tilemap.for_period(None).key == "34"
    assert tilemap.for_period(dt.date(2025, 7, 1)).key == "34"
    assert tilemap.for_period(dt.date(2025, 6, 30)).key == "63"
    assert tilemap.for_period(dt.date(2012, 1, 1)).key == "63"


def test_the_scale_has_a_few_classes_over_the_counts_and_zero_apart() -> None:
    assert tilemap.classes([0, 0]) == []
    assert tilemap.classes([3]) == [(3, 3)]
    assert tilemap.classes([0, 1, 1, 1, 2, 3, 8]) == [(1, 1), (2, 3), (4, 8)]
    skewed = [1] * 20 + [2] * 5 + [3, 5, 9, 40, 1234, 52000]
    ranges = tilemap.classes(skewed)
    assert 1 < len(ranges) <= tilemap.LEVELS and ranges[0][0] == 1 and ranges[-1][1] == 52000
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    levels = [tilemap.level_of(n, ranges) for n in sorted(set(skewed))]
    assert levels == sorted(levels) and levels[-1] == tilemap.LEVELS and tilemap.level_of(0, ranges) == 0
    drawn = tilemap.layout(_set("34"), {"T01": 1234, "T79-2025": 52000})
    by_code = {t.tile.code: t for t in drawn["tiles"]}  # type: ignore[attr-defined]
    assert by_code["T79-2025"].level > by_code["T01"].level > by_code["T04"].level == 0


def test_the_engine_imports_no_django() -> None:
    tree = ast.parse(inspect.getsource(tilemap))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] in ("django", "ttdn")}
