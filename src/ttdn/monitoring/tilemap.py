"""Bản đồ ô vuông (tile map) of the provinces: each province one square placed near where it lies (north at the
top, the S of the country), the 34 of today or the 63 of before 01/07/2025, and a sequential scale of a few
classes for the counts drawn on it. Pure Python, no Django: the grid is data (``data/tiles.json``, keyed by
the registry's codes) and the page draws the SVG from what ``layout`` returns."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "tiles.json"
TILE = 40  # a tile's side, in the drawing's units
GAP = 4  # between two tiles
HEIGHT = 620  # the drawing's height on the page, in CSS pixels (its width follows the grid)
LEVELS = 5  # classes of the colour scale (``q1``..``q5`` in the stylesheet; ``q0`` is zero)


@dataclass(frozen=True)
class Tile:
    """Ô: one province's square, at ``col`` (west to east) and ``row`` (north to south)."""

    code: str
    col: int
    row: int
    label: str


@dataclass(frozen=True)
class TileSet:
    """Bộ ô: the provinces of one period, the 34 from ``valid_from`` or the 63 until ``valid_to``."""

    key: str
    tiles: tuple[Tile, ...]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def cols(self) -> int:
        return max(t.col for t in self.tiles) + 1

    @property
    def rows(self) -> int:
        return max(t.row for t in self.tiles) + 1

    def as_of(self, today: dt.date) -> dt.date:
        """The day whose provinces the set shows: its last day, or ``today`` for the set still in force."""
        return self.valid_to or max(today, self.valid_from or today)

    def codes(self) -> set[str]:
        return {t.code for t in self.tiles}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@cache
def tile_sets() -> tuple[TileSet, ...]:
    """The sets of ``data/tiles.json``, the one in force first."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    sets = [
        TileSet(
            key=item["key"],
            tiles=tuple(Tile(code, col, row, label) for code, (col, row, label) in item["tiles"].items()),
            valid_from=_date(item.get("valid_from")),
            valid_to=_date(item.get("valid_to")),
        )
        for item in raw["sets"]
    ]
    return tuple(sorted(sets, key=lambda s: s.valid_to is not None))


def for_period(until: dt.date | None) -> TileSet:
    """The map of a period ending ``until``: the set whose last day is the first on or after it (the 63 for a
    period that ends before 01/07/2025), else the set in force (an open period ends today)."""
    if until is not None:
        ended = [s for s in tile_sets() if s.valid_to is not None and until <= s.valid_to]
        if ended:
            return min(ended, key=lambda s: s.valid_to or until)
    return tile_sets()[0]


def classes(counts: Iterable[int], levels: int = LEVELS) -> list[tuple[int, int]]:
    """The scale's classes as (lowest, highest) counts: at most ``levels`` classes over the non-zero counts, cut
    at their quantiles so that a few large counts (Hà Nội, TP Hồ Chí Minh) do not leave the rest in one class."""
    values = sorted(n for n in counts if n > 0)
    if not values:
        return []
    k = min(levels, len(set(values)))
    uppers: list[int] = []
    for i in range(1, k + 1):
        upper = values[math.ceil(i * len(values) / k) - 1]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    if uppers[-1] != values[-1]:
        uppers.append(values[-1])
    ranges, low = [], values[0]
    for upper in uppers:
        ranges.append((low, upper))
        low = upper + 1
    return ranges


def shade(index: int, count: int, levels: int = LEVELS) -> int:
    """The colour (1..``levels``) of the ``index``-th (0-based) of ``count`` classes, spread over the scale."""
    if count <= 1:
        return levels - 1
    return 1 + round(index * (levels - 1) / (count - 1))


def level_of(n: int, ranges: list[tuple[int, int]], levels: int = LEVELS) -> int:
    """The colour of a count: 0 for none, else that of its class."""
    if n <= 0:
        return 0
    for i, (_, high) in enumerate(ranges):
        if n <= high:
            return shade(i, len(ranges), levels)
    return levels


@dataclass(frozen=True)
class Placed:
    """A tile on the drawing, with its count and colour."""

    tile: Tile
    x: int
    y: int
    n: int
    level: int

    @property
    def cx(self) -> int:
        return self.x + TILE // 2

    @property
    def cy(self) -> int:
        return self.y + TILE // 2


def layout(tiles: TileSet, counts: Mapping[str, int], levels: int = LEVELS) -> dict[str, object]:
    """Coordinates and colours of ``tiles`` for ``counts`` (by code), with the legend's classes."""
    ranges = classes((counts.get(t.code, 0) for t in tiles.tiles), levels)
    step = TILE + GAP
    placed = [
        Placed(t, t.col * step, t.row * step, counts.get(t.code, 0), level_of(counts.get(t.code, 0), ranges))
        for t in sorted(tiles.tiles, key=lambda t: (t.row, t.col))
    ]
    width, height = tiles.cols * step - GAP, tiles.rows * step - GAP
    return {
        "tiles": placed,
        "width": width,
        "height": height,
        "tile": TILE,
        "px_height": HEIGHT,
        "px_width": round(HEIGHT * width / height),
        "legend": [
            {"low": low, "high": high, "level": shade(i, len(ranges), levels)}
            for i, (low, high) in enumerate(ranges)
        ],
    }
