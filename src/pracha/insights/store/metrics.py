"""What a rollup row sums, the histogram of hours to close, and quantiles read from it.

Hours to close go into log-scale buckets: bucket 0 holds [0, 15 min), bucket i (1..62) holds
[0.25 h * 1.2**(i-1), 0.25 h * 1.2**i), bucket 63 everything from ~2.3 years on. A quantile
is found by walking the cumulative counts to the bucket that holds it and interpolating
geometrically inside that bucket. Error bound: the estimate and the true value lie in the
same bucket, so they differ by less than the bucket's width, 20% of the value (at most 15 min
in bucket 0). Beyond 2.3 years the bucket's lower edge is reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

BUCKETS = 64
FIRST_EDGE_HOURS = 0.25
RATIO = 1.2
RELATIVE_ERROR_BOUND = RATIO - 1
ABSOLUTE_ERROR_BOUND_HOURS = FIRST_EDGE_HOURS

# edges[i] is the lower edge of bucket i, in hours.
EDGES: tuple[float, ...] = (0.0, *(FIRST_EDGE_HOURS * RATIO ** (i - 1) for i in range(1, BUCKETS)))

HIST_COLUMNS: tuple[str, ...] = tuple(f"h{i}" for i in range(BUCKETS))

# Sums kept per rollup row besides the histogram; every one is an integer.
COUNT_COLUMNS: tuple[str, ...] = (
    "reported",  # facts (cases, or case-category pairs in per-category groupings)
    "open",  # of them, still open
    "open_epoch",  # sum of the open ones' report times (Unix seconds): their mean age
    "close_seconds",  # sum of seconds from report to closing, over closed cases with times
    "within_target",  # closed no later than the category's target (see sla.py)
    "reopened",  # reopened at least once
    "reopened_open",  # reopened and open again now
    "reopen_events",  # sum of reopen counts
    "stars_sum",
    "stars_sq",  # sum of squared stars, for confidence intervals
    "ratings",
    "me_too",
    "forwards",  # sum of forward counts
    "hop1",  # cases forwarded exactly once
    "hop2",
    "hop3",
    "hop4",  # four times or more
)
METRIC_COLUMNS: tuple[str, ...] = COUNT_COLUMNS + HIST_COLUMNS
METRIC_INDEX = {name: i for i, name in enumerate(METRIC_COLUMNS)}
HIST_OFFSET = len(COUNT_COLUMNS)


def bucket_of(hours: float) -> int:
    if hours < FIRST_EDGE_HOURS:
        return 0
    index = math.floor(math.log(hours / FIRST_EDGE_HOURS) / math.log(RATIO)) + 1
    # Floating point can land a value sitting on an edge one bucket off; settle it exactly.
    index = max(1, min(BUCKETS - 1, index))
    while index < BUCKETS - 1 and hours >= EDGES[index + 1]:
        index += 1
    while index > 1 and hours < EDGES[index]:
        index -= 1
    return index


def quantile(hist: Sequence[int], q: float) -> float | None:
    """The q-quantile (0 < q < 1) of the values counted in `hist`, in hours; None if empty."""
    total = sum(hist)
    if total <= 0:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(hist):
        if count <= 0:
            continue
        if seen + count >= rank:
            fraction = (rank - seen) / count
            return _inside(index, fraction)
        seen += count
    return EDGES[-1]


def quantile_at_rank(hist: Sequence[int], rank: float) -> float | None:
    """The value at a (fractional) rank counted from the bottom, clamped to the data."""
    total = sum(hist)
    if total <= 0:
        return None
    return quantile(hist, min(max(rank / total, 1e-9), 1.0))


def _inside(index: int, fraction: float) -> float:
    if index == 0:
        return FIRST_EDGE_HOURS * fraction
    if index == BUCKETS - 1:
        return EDGES[-1]
    low, high = EDGES[index], EDGES[index + 1]
    return low * (high / low) ** fraction


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float] | None:
    """Wilson score interval for a proportion (95% by default); None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def median_interval(hist: Sequence[int], z: float = 1.96) -> tuple[float, float] | None:
    """Distribution-free 95% interval for the median: the order statistics at ranks
    n/2 -/+ z*sqrt(n)/2 (binomial normal approximation), read from the histogram."""
    n = sum(hist)
    if n <= 0:
        return None
    half = z * math.sqrt(n) / 2
    low = quantile_at_rank(hist, n / 2 - half)
    high = quantile_at_rank(hist, n / 2 + half)
    if low is None or high is None:
        return None
    return low, high


def mean_interval(total: float, squares: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """Normal-approximation interval for a mean from its sum and sum of squares."""
    mean = total / n
    variance = max(0.0, (squares - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    half = z * math.sqrt(variance / n) if n > 0 else 0.0
    return mean - half, mean + half
