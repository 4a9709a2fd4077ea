"""Agency scorecards that do not mislead.

- Minimum volume: an agency is ranked only with at least PRACHA_SCORECARD_MIN_CASES closed
  cases in the period (default 30); below that its figures are shown, unranked.
- Confidence intervals: Wilson 95% intervals for rates, an order-statistic interval for the
  median hours to close, a normal interval for mean stars.
- Case mix: agencies handle different problems (a canal takes longer than a streetlight).
  Each agency's on-time closings are compared with what the city as a whole achieves on the
  same categories: expected = sum over its categories of (its closed cases x the city's
  on-time rate for that category), counted per case-category pair. The ranking uses the
  standardised rate = city rate x observed/expected, and the verdict says whether the
  observed rate's interval excludes the expected rate.
- Suspect after-photos (pracha.evidence): of the agency's closings in the period that carried
  an after-photo, the share the photo check flagged (the before photo again, another case's
  photo, taken before the report or far away), with its Wilson interval. It counts closings
  made in the period by the agency then responsible, not the cases reported in it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings

from pracha.evidence.results import suspect_shares
from pracha.insights.reports.indicators import Period
from pracha.insights.reports.labels import Label, agency_labels
from pracha.insights.store.cube import AGENCY, CATEGORY
from pracha.insights.store.metrics import (
    HIST_COLUMNS,
    mean_interval,
    median_interval,
    quantile,
    wilson,
)
from pracha.insights.store.query import Filters, aggregate

AGENCY_COLUMNS = (
    "reported", "open", "within_target", "reopened", "reopened_open", "stars_sum", "stars_sq",
    "ratings", *HIST_COLUMNS,
)  # fmt: skip
MIX_COLUMNS = ("reported", "open", "within_target")
TOLERANCE = 1e-9


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def scorecards(period: Period, filters: Filters, min_cases: int | None = None) -> dict[str, Any]:
    """Every agency's scorecard; those with enough closed cases ranked by standardised rate."""
    minimum = min_cases or settings.PRACHA.scorecard_min_cases
    per_agency = aggregate(AGENCY, filters, period.first, period.last, AGENCY_COLUMNS)
    mix = aggregate((CATEGORY, AGENCY), filters, period.first, period.last, MIX_COLUMNS)
    city_rate, overall = _city_rates(mix)
    expected, observed = _expected_and_observed(mix, city_rate)
    labels = agency_labels(set(per_agency))
    suspect = suspect_shares(
        period.first, period.last, category=filters.category, district=filters.district
    )
    rows = [
        {
            **_agency_row(
                labels[agency], sums, observed[agency], expected[agency], overall, minimum
            ),
            **_suspect_photos(*suspect.get(agency, (0, 0))),
        }
        for agency, sums in per_agency.items()
    ]
    return {
        "min_cases": minimum,
        "city_on_time_rate": _r(overall),
        "ranked": _rank(rows),
        "rows": rows,
    }


Mix = dict[tuple[str, int], list[int]]  # (category, agency) -> MIX_COLUMNS


def _city_rates(mix: Mix) -> tuple[dict[str, float], float | None]:
    """The city's on-time rate per category, and over all categories, in the same scope."""
    city: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (category, _agency), (reported, still_open, within) in mix.items():
        city[category][0] += within
        city[category][1] += reported - still_open
    city_rate = {c: w / n for c, (w, n) in city.items() if n}
    all_within = sum(w for w, _ in city.values())
    all_closed = sum(n for _, n in city.values())
    return city_rate, (all_within / all_closed if all_closed else None)


def _expected_and_observed(
    mix: Mix, city_rate: dict[str, float]
) -> tuple[dict[int, float], dict[int, list[int]]]:
    """Per agency: on-time closings expected at the city's rate for its categories, and the
    observed [on time, closed], both counted per case-category pair."""
    expected: dict[int, float] = defaultdict(float)
    observed: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (category, agency), (reported, still_open, within) in mix.items():
        closed = reported - still_open
        expected[agency] += closed * city_rate.get(category, 0.0)
        observed[agency][0] += within
        observed[agency][1] += closed
    return expected, observed


def _agency_row(
    label: Label,
    sums: list[int],
    observed: list[int],
    expected: float,
    overall: float | None,
    minimum: int,
) -> dict[str, Any]:
    """One agency's scorecard, not ranked yet."""
    s = dict(zip(AGENCY_COLUMNS, sums, strict=True))
    hist = sums[len(AGENCY_COLUMNS) - len(HIST_COLUMNS) :]
    closed = s["reported"] - s["open"]
    return {
        "agency": label.key,
        "name_th": label.name_th,
        "name_en": label.name_en,
        "reported": s["reported"],
        "closed": closed,
        "eligible": closed >= minimum,
        **_on_time(observed, expected, overall, eligible=closed >= minimum),
        **_close_times(hist),
        **_reopens(s["reopened"], closed + s["reopened_open"]),
        **_stars(s["stars_sum"], s["stars_sq"], s["ratings"]),
        "ratings": s["ratings"],
        "rank": None,
    }


def _on_time(
    observed: list[int], expected: float, overall: float | None, eligible: bool
) -> dict[str, Any]:
    """The on-time rate with its interval, against what the agency's case mix leads to expect."""
    within_pairs, closed_pairs = observed
    rate = within_pairs / closed_pairs if closed_pairs else None
    exp_rate = expected / closed_pairs if closed_pairs else None
    ratio = within_pairs / expected if expected else None
    interval = wilson(within_pairs, closed_pairs)
    return {
        "on_time_rate": _r(rate),
        "on_time_low": _r(interval[0]) if interval else None,
        "on_time_high": _r(interval[1]) if interval else None,
        "expected_on_time_rate": _r(exp_rate),
        "observed_to_expected": _r(ratio),
        "standardised_on_time_rate": _r(overall * ratio)
        if overall is not None and ratio is not None
        else None,
        "verdict": _verdict(interval, exp_rate) if eligible else "too few cases",
    }


def _verdict(interval: tuple[float, float] | None, expected_rate: float | None) -> str:
    """Whether the observed rate's interval lies above, below or around the expected rate."""
    if not interval or expected_rate is None:
        return "too few cases"
    # A tolerance: Wilson's bound at 100% on time comes out as 0.9999999999, which would
    # read as "worse than" an expected 100%.
    if interval[0] > expected_rate + TOLERANCE:
        return "better than expected"
    if interval[1] < expected_rate - TOLERANCE:
        return "worse than expected"
    return "as expected"


def _close_times(hist: list[int]) -> dict[str, float | None]:
    """Median hours to close, with its interval, from the histogram of closing times."""
    median_ci = median_interval(hist)
    return {
        "median_hours_to_close": _r(quantile(hist, 0.5), 1) if sum(hist) else None,
        "median_low": _r(median_ci[0], 1) if median_ci else None,
        "median_high": _r(median_ci[1], 1) if median_ci else None,
    }


def _reopens(reopened: int, ever_closed: int) -> dict[str, float | None]:
    """Share of closings reopened, with its interval."""
    reopen_ci = wilson(reopened, ever_closed)
    return {
        "reopen_rate": _r(reopened / ever_closed) if ever_closed else None,
        "reopen_low": _r(reopen_ci[0]) if reopen_ci else None,
        "reopen_high": _r(reopen_ci[1]) if reopen_ci else None,
    }


def _stars(total: int, squares: int, ratings: int) -> dict[str, float | None]:
    """Mean stars, with its interval."""
    stars_ci = mean_interval(total, squares, ratings) if ratings else None
    return {
        "mean_stars": _r(total / ratings, 2) if ratings else None,
        "stars_low": _r(stars_ci[0], 2) if stars_ci else None,
        "stars_high": _r(stars_ci[1], 2) if stars_ci else None,
    }


def _suspect_photos(suspect: int, checked: int) -> dict[str, Any]:
    """Share of closings with an after-photo that the photo check flagged, with its interval."""
    interval = wilson(suspect, checked)
    return {
        "photo_closings": checked,
        "suspect_closings": suspect,
        "suspect_share": _r(suspect / checked) if checked else None,
        "suspect_low": _r(interval[0]) if interval else None,
        "suspect_high": _r(interval[1]) if interval else None,
    }


def _rank(rows: list[dict[str, Any]]) -> int:
    """Number the eligible rows by standardised on-time rate (best first; more closed cases
    break ties), put them first in that order, and say how many were ranked."""
    ranked = sorted(
        (r for r in rows if r["eligible"] and r["standardised_on_time_rate"] is not None),
        key=lambda r: (-r["standardised_on_time_rate"], -r["closed"]),
    )
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, -r["closed"]))
    return len(ranked)
