"""Histogram quantiles, intervals and the covering of date ranges by periods."""

from __future__ import annotations

import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pracha.insights.store.cube import (
    BLOCK,
    DAY,
    MONTH,
    QUARTER,
    YEAR,
    cover,
    period_end,
    period_start,
)
from pracha.insights.store.metrics import (
    BUCKETS,
    EDGES,
    RELATIVE_ERROR_BOUND,
    bucket_of,
    median_interval,
    quantile,
    wilson,
)
from tests.insights.store.oracle import exact_quantile

GRAINS = (DAY, BLOCK, MONTH, QUARTER, YEAR)


def histogram(values: list[float]) -> list[int]:
    hist = [0] * BUCKETS
    for value in values:
        hist[bucket_of(value)] += 1
    return hist


def test_buckets_hold_their_edges() -> None:
    assert bucket_of(0) == 0 and bucket_of(0.2499) == 0
    for index in range(1, BUCKETS):
        assert bucket_of(EDGES[index]) == index
        assert bucket_of(EDGES[index] * 0.999999) == index - 1
    assert bucket_of(10**9) == BUCKETS - 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=15_000, allow_nan=False), min_size=1, max_size=300),
    st.sampled_from([0.1, 0.5, 0.9]),
)
def test_quantile_from_histogram_is_within_the_stated_bound(values: list[float], q: float) -> None:
    exact = exact_quantile(values, q)
    estimate = quantile(histogram(values), q)
    assert exact is not None and estimate is not None
    assert abs(estimate - exact) <= RELATIVE_ERROR_BOUND * exact + 0.25


def test_empty_histogram_has_no_quantile() -> None:
    assert quantile([0] * BUCKETS, 0.5) is None and median_interval([0] * BUCKETS) is None


def test_wilson_interval_matches_the_textbook_value() -> None:
    low, high = wilson(8, 10)  # type: ignore[misc]
    assert math.isclose(low, 0.4902, abs_tol=1e-3) and math.isclose(high, 0.9433, abs_tol=1e-3)
    assert wilson(0, 0) is None
    assert wilson(0, 5)[0] == 0.0  # type: ignore[index]


def test_median_interval_contains_the_median() -> None:
    values = [float(h) for h in range(1, 201)]
    low, high = median_interval(histogram(values))  # type: ignore[misc]
    assert low < 100 < high


@settings(max_examples=300, deadline=None)
@given(st.dates(date(2019, 1, 1), date(2027, 12, 31)), st.integers(0, 1200))
def test_cover_partitions_the_range_exactly(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    days: list[date] = []
    for grain, start in cover(first, last, GRAINS):
        assert period_start(start, grain) == start
        end = period_end(start, grain)
        days.extend(start + timedelta(days=i) for i in range((end - start).days + 1))
    assert days == [first + timedelta(days=i) for i in range(length + 1)]
    # Few pieces however long the range: years, at most 6 quarters, 4 months, 6 blocks, 12 days.
    assert len(cover(first, last, GRAINS)) <= length // 365 + 1 + 6 + 4 + 6 + 12
