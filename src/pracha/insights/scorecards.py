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
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings

from pracha.insights.cube import AGENCY, CATEGORY
from pracha.insights.indicators import Period
from pracha.insights.labels import agency_labels
from pracha.insights.metrics import (
    HIST_COLUMNS,
    mean_interval,
    median_interval,
    quantile,
    wilson,
)
from pracha.insights.query import Filters, aggregate

AGENCY_COLUMNS = (
    "reported", "open", "within_target", "reopened", "reopened_open", "stars_sum", "stars_sq",
    "ratings", *HIST_COLUMNS,
)  # fmt: skip
MIX_COLUMNS = ("reported", "open", "within_target")
TOLERANCE = 1e-9


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def scorecards(period: Period, filters: Filters, min_cases: int | None = None) -> dict[str, Any]:
    minimum = min_cases or settings.PRACHA.scorecard_min_cases
    per_agency = aggregate(AGENCY, filters, period.first, period.last, AGENCY_COLUMNS)
    mix = aggregate((CATEGORY, AGENCY), filters, period.first, period.last, MIX_COLUMNS)
    # The city's on-time rate per category, over the same scope.
    city: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (category, _agency), (reported, still_open, within) in mix.items():
        city[category][0] += within
        city[category][1] += reported - still_open
    city_rate = {c: w / n for c, (w, n) in city.items() if n}
    all_within = sum(w for w, _ in city.values())
    all_closed = sum(n for _, n in city.values())
    overall = all_within / all_closed if all_closed else None
    expected: dict[int, float] = defaultdict(float)
    observed: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (category, agency), (reported, still_open, within) in mix.items():
        closed = reported - still_open
        expected[agency] += closed * city_rate.get(category, 0.0)
        observed[agency][0] += within
        observed[agency][1] += closed
    labels = agency_labels(set(per_agency))
    rows: list[dict[str, Any]] = []
    for agency, sums in per_agency.items():
        s = dict(zip(AGENCY_COLUMNS, sums, strict=True))
        hist = sums[len(AGENCY_COLUMNS) - len(HIST_COLUMNS) :]
        closed = s["reported"] - s["open"]
        timed = sum(hist)
        within_pairs, closed_pairs = observed[agency]
        rate = within_pairs / closed_pairs if closed_pairs else None
        exp_rate = expected[agency] / closed_pairs if closed_pairs else None
        ratio = within_pairs / expected[agency] if expected[agency] else None
        interval = wilson(within_pairs, closed_pairs)
        verdict = "too few cases"
        if closed >= minimum and interval and exp_rate is not None:
            # A tolerance: Wilson's bound at 100% on time comes out as 0.9999999999, which
            # read as "worse than" an expected 100%.
            if interval[0] > exp_rate + TOLERANCE:
                verdict = "better than expected"
            elif interval[1] < exp_rate - TOLERANCE:
                verdict = "worse than expected"
            else:
                verdict = "as expected"
        ever_closed = closed + s["reopened_open"]
        reopen_ci = wilson(s["reopened"], ever_closed)
        median_ci = median_interval(hist)
        stars_ci = (
            mean_interval(s["stars_sum"], s["stars_sq"], s["ratings"]) if s["ratings"] else None
        )
        rows.append(
            {
                "agency": labels[agency].key,
                "name_th": labels[agency].name_th,
                "name_en": labels[agency].name_en,
                "reported": s["reported"],
                "closed": closed,
                "eligible": closed >= minimum,
                "on_time_rate": _r(rate),
                "on_time_low": _r(interval[0]) if interval else None,
                "on_time_high": _r(interval[1]) if interval else None,
                "expected_on_time_rate": _r(exp_rate),
                "observed_to_expected": _r(ratio),
                "standardised_on_time_rate": _r(overall * ratio)
                if overall is not None and ratio is not None
                else None,
                "verdict": verdict,
                "median_hours_to_close": _r(quantile(hist, 0.5), 1) if timed else None,
                "median_low": _r(median_ci[0], 1) if median_ci else None,
                "median_high": _r(median_ci[1], 1) if median_ci else None,
                "reopen_rate": _r(s["reopened"] / ever_closed) if ever_closed else None,
                "reopen_low": _r(reopen_ci[0]) if reopen_ci else None,
                "reopen_high": _r(reopen_ci[1]) if reopen_ci else None,
                "mean_stars": _r(s["stars_sum"] / s["ratings"], 2) if s["ratings"] else None,
                "stars_low": _r(stars_ci[0], 2) if stars_ci else None,
                "stars_high": _r(stars_ci[1], 2) if stars_ci else None,
                "ratings": s["ratings"],
                "rank": None,
            }
        )
    ranked = sorted(
        (r for r in rows if r["eligible"] and r["standardised_on_time_rate"] is not None),
        key=lambda r: (-r["standardised_on_time_rate"], -r["closed"]),
    )
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, -r["closed"]))
    return {
        "min_cases": minimum,
        "city_on_time_rate": _r(overall),
        "ranked": len(ranked),
        "rows": rows,
    }
