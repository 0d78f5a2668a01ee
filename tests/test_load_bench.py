"""The load script's figures: its percentiles and its summary, on fixed numbers (the script itself is run by hand)."""

import pytest
from bench import load


def test_percentile_is_the_nearest_rank():
    samples = [float(n) for n in range(100, 0, -1)]  # 1..100, unsorted
    assert load.percentile(samples, 50) == 50
    assert load.percentile(samples, 95) == 95
    assert load.percentile(samples, 99) == 99
    assert load.percentile(samples, 100) == 100
    ten = [float(n) for n in range(1, 11)]
    assert load.percentile(ten, 50) == 5  # a sample, never an interpolation (5.5)
    assert load.percentile(ten, 90) == 9
    assert load.percentile(ten, 91) == 10
    assert load.percentile([3.0, 1.0, 2.0], 50) == 2
    assert load.percentile([3.0, 1.0, 2.0], 95) == 3
    assert load.percentile([7.5], 99) == 7.5


def test_percentile_refuses_no_samples():
    with pytest.raises(ValueError):
        load.percentile([], 95)


def test_summary_counts_requests_errors_and_kinds():
    stats = load.Stats()
    stats.times["docs"].extend([10.0, 20.0, 30.0, 40.0])
    stats.times["POST autosave"].extend([100.0, 20000.0])
    for n in range(7):
        stats.error("POST autosave", "HTTP 500", f"POST /reporting/{n}/")
    summary = stats.summary(seconds=2)
    assert summary["pages"]["docs"] == {
        "requests": 4,
        "errors": 0,
        "req_s": 2.0,
        "p50_ms": 20.0,
        "p95_ms": 40.0,
        "p99_ms": 40.0,
    }
    assert summary["overall"]["requests"] == 6
    assert summary["overall"]["errors"] == 7
    assert summary["overall"]["p99_ms"] == 20000.0
    assert summary["errors_by_kind"]["HTTP 500"]["count"] == 7
    assert len(summary["errors_by_kind"]["HTTP 500"]["first"]) == 5  # the first few, not all
