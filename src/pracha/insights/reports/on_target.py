"""The "closed on target" headline, counting open cases that are already late as missed.

`within_target_rate` (indicators.py) divides the cases closed in time by the cases closed, so
a month where 921 of 1,000 cases are still open, years past their target, reads 98.7%. The
headline asks instead: of the cases whose outcome is decided, how many were closed in time?

- met: closed no later than the target (the rollups' `within_target`);
- missed: closed late, or still open past the target (late whatever happens next);
- not yet decided: still open and within the target; left out, and the page says how many.

A case is held to its strictest category's target (sla.py), or to a category's own target
when the figures are filtered by that category, as the rollups do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pracha.cases import sla
from pracha.insights.store.cube import ALL_CATEGORIES
from pracha.insights.store.query import Filters, Param
from pracha.replica import read_connection


def _target_sql() -> tuple[str, list[Param]]:
    """SQL for the target in hours of the fact's category, and its parameters."""
    params: list[Param] = []
    whens = []
    for code, hours in sorted(sla.targets().items()):
        whens.append("WHEN %s THEN %s")
        params += [code, float(hours)]
    params.append(float(sla.default_hours()))
    if not whens:
        return "%s", params
    return f"CASE category {' '.join(whens)} ELSE %s END", params


def open_past_target(filters: Filters, first: date, last: date, now: float) -> int:
    """Cases reported first..last, still open at `now` (Unix seconds) and past their target."""
    target, target_params = _target_sql()
    where, params = filters.conditions()
    conditions = ["is_open = TRUE", "day >= %s", "day <= %s", "category <> %s", *where]
    sql = (
        f"SELECT COUNT(*) FROM (SELECT case_id, MIN(created_epoch) AS reported, "
        f"MIN({target}) AS hours FROM insights_casefact WHERE {' AND '.join(conditions)} "
        "GROUP BY case_id) AS open_cases WHERE reported + hours * 3600 < %s"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(
            sql,
            [
                *target_params,
                first.toordinal(),
                last.toordinal(),
                ALL_CATEGORIES,
                *params,
                now,
            ],
        )
        return int(cursor.fetchone()[0])


def on_target(met: int, closed_timed: int, still_open: int, late_open: int) -> dict[str, Any]:
    """The headline's figures: `met` of the `closed_timed` closed cases (with times) closed in
    time; `late_open` of the `still_open` cases are past their target."""
    decided = closed_timed + late_open  # closed (in time or late) + open and already late
    return {
        "open_past_target": late_open,
        "open_within_target": max(still_open - late_open, 0),
        "on_target_rate": round(met / decided, 4) if decided else None,
    }
