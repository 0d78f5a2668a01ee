"""The attention chart's axis says its peak in the reader's language, singular or plural."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ttdn.monitoring.selectors import bar_chart

DAY = dt.date(2026, 11, 20)


def _axis(counts: list[int], language: str) -> str:
    chart = bar_chart([(DAY + dt.timedelta(days=i), n) for i, n in enumerate(counts)])
    with translation.override(language):
        return render_to_string("monitoring/_bars.html", {"chart": chart, "label": "x"})


@pytest.mark.parametrize(
    ("counts", "language", "said"),
    [
        ([0, 1, 0], "en", "peak 1 story a day"),
        ([0, 2, 1], "en", "peak 2 stories a day"),
        ([0, 0, 0], "en", "peak 0 stories a day"),
        ([3, 1], "vi", "cao nhất 3 tin/ngày"),
    ],
)
def test_the_peak_is_said_in_the_readers_language(counts: list[int], language: str, said: str) -> None:
    html = _axis(counts, language)
    assert said in html
    assert "20/11/2026" in html


def test_bars_are_as_tall_as_their_counts() -> None:
    chart = bar_chart([(DAY, 4), (DAY + dt.timedelta(days=1), 1), (DAY + dt.timedelta(days=2), 0)], height=60)
    heights = [bar["h"] for bar in chart["bars"]]  # type: ignore[index]
    assert heights == [60, 15, 0]
