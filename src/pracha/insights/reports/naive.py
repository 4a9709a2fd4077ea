"""The same indicators computed the obvious way: GROUP BY over the live cases table.

Exact (medians from window functions), and slow on millions of cases: the benchmark prints
it beside the rollups, and `pracha insights check` compares the two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.db import connection

from pracha.cases import sla
from pracha.insights.store.facts import local_zone
from pracha.insights.store.query import Filters
from pracha.replica import read_connection
from pracha.states import CLOSED_STATES

KEY_SQL = {
    "state": "c.state",
    "category": "COALESCE(cat.code, '-')",
    "district": "c.district",
    "agency": "COALESCE(c.agency_id, 0)",
}


def _hours_sql() -> str:
    if connection.vendor == "postgresql":
        return "EXTRACT(EPOCH FROM (c.closed_at - c.created_at)) / 3600.0"
    return "(julianday(c.closed_at) - julianday(c.created_at)) * 24.0"


def _target_sql(per_category: bool) -> str:
    """Target hours of a row: its category's, or the case's strictest."""
    table = sla.targets()
    cases = " ".join(f"WHEN '{code}' THEN {hours}" for code, hours in sorted(table.items()))
    default = sla.default_hours()
    if per_category:
        return f"(CASE cat.code {cases} ELSE {default} END)"
    inner = f"(CASE k.code {cases} ELSE {default} END)"
    return (
        f"COALESCE((SELECT MIN({inner}) FROM cases_case_categories kc "
        f"JOIN cases_category k ON k.id = kc.category_id WHERE kc.case_id = c.id), {default})"
    )


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = local_zone()
    return (
        datetime.combine(first, clock.min, zone),
        datetime.combine(last + timedelta(days=1), clock.min, zone),
    )


def _where(filters: Filters, per_category: bool) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.category is not None:
        if filters.category == "-":
            where.append("cat.code IS NULL")
        else:
            where.append("cat.code = %s")
            params.append(filters.category)
    if filters.district is not None:
        where.append("c.district = %s")
        params.append(filters.district)
    if filters.agency is not None:
        where.append("COALESCE(c.agency_id, 0) = %s")
        params.append(filters.agency)
    return "".join(f" AND {w}" for w in where), params


@dataclass(frozen=True)
class _Scope:
    """The SQL pieces naive_indicators' three queries share."""

    key: str  # the grouping expression
    join: str  # the categories, when rows are per category
    extra: str  # " AND ..." for the filters
    params: list[Any]  # for `extra`
    start: datetime
    end: datetime
    closed: str  # the closed states, quoted, comma-separated
    hours: str  # hours from report to close
    target: str  # target hours

    @property
    def is_open(self) -> str:
        return f"c.state NOT IN ({self.closed})"


def _scope(by: str, filters: Filters, first: date, last: date) -> _Scope:
    per_category = by == "category" or filters.category is not None
    join = (
        " LEFT JOIN cases_case_categories cc ON cc.case_id = c.id"
        " LEFT JOIN cases_category cat ON cat.id = cc.category_id"
        if per_category
        else ""
    )
    extra, params = _where(filters, per_category)
    start, end = _bounds(first, last)
    return _Scope(
        key=KEY_SQL[by],
        join=join,
        extra=extra,
        params=params,
        start=start,
        end=end,
        closed=", ".join(f"'{s.value}'" for s in sorted(CLOSED_STATES)),
        hours=_hours_sql(),
        target=_target_sql(per_category),
    )


def naive_indicators(by: str, filters: Filters, first: date, last: date) -> dict[Any, dict]:
    """Per key: the counts and exact hours-to-close quantiles, straight from cases_case."""
    scope = _scope(by, filters, first, last)
    with read_connection().cursor() as cursor:
        rows = _counts(cursor, scope)
        _add_quantiles(cursor, scope, rows)
        _add_backlog(cursor, scope, rows)
    return rows


def _counts(cursor: Any, s: _Scope) -> dict[Any, dict]:
    """Per key, the counts of the cases reported in the period."""
    sql = f"""
        SELECT {s.key} AS k, COUNT(*),
               SUM(CASE WHEN {s.is_open} THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.state IN ({s.closed}) AND c.closed_at IS NOT NULL
                         AND {s.hours} <= {s.target} THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.stars IS NOT NULL THEN 1 ELSE 0 END),
               SUM(COALESCE(c.stars, 0)), SUM(c.me_too_count), SUM(c.forward_count)
        FROM cases_case c{s.join}
        WHERE c.created_at >= %s AND c.created_at < %s{s.extra}
        GROUP BY {s.key}"""
    rows: dict[Any, dict] = {}
    cursor.execute(sql, [s.start, s.end, *s.params])
    for k, reported, still_open, within, reopened, ratings, stars, me_too, fwd in cursor:
        rows[k] = {
            "reported": reported,
            "open": int(still_open or 0),
            "closed": reported - int(still_open or 0),
            "closed_within_target": int(within or 0),
            "reopened": int(reopened or 0),
            "ratings": int(ratings or 0),
            "mean_stars": (stars / ratings) if ratings else None,
            "me_too": int(me_too or 0),
            "forwards": int(fwd or 0),
            "median_hours_to_close": None,
            "p90_hours_to_close": None,
            "backlog": 0,
        }
    return rows


def _add_quantiles(cursor: Any, s: _Scope, rows: dict[Any, dict]) -> None:
    """Exact quantiles: the ceil(q*n)-th smallest time to close in each group."""
    cursor.execute(
        f"""
            SELECT k, h, rn, n FROM (
                SELECT {s.key} AS k, CASE WHEN {s.hours} < 0 THEN 0 ELSE {s.hours} END AS h,
                       ROW_NUMBER() OVER (PARTITION BY {s.key} ORDER BY {s.hours}) AS rn,
                       COUNT(*) OVER (PARTITION BY {s.key}) AS n
                FROM cases_case c{s.join}
                WHERE c.created_at >= %s AND c.created_at < %s AND c.state IN ({s.closed})
                  AND c.closed_at IS NOT NULL{s.extra}
            ) ranked WHERE rn = (n + 1) / 2 OR rn = (9 * n + 9) / 10""",
        [s.start, s.end, *s.params],
    )
    for k, h, rn, n in cursor:
        row = rows.get(k)
        if row is None:
            continue
        if rn == (n + 1) // 2:
            row["median_hours_to_close"] = float(h)
        if rn == (9 * n + 9) // 10:
            row["p90_hours_to_close"] = float(h)


def _add_backlog(cursor: Any, s: _Scope, rows: dict[Any, dict]) -> None:
    """Per key, the cases still open that were reported before the period ended."""
    cursor.execute(
        f"SELECT {s.key}, COUNT(*) FROM cases_case c{s.join} "
        f"WHERE c.created_at < %s AND {s.is_open}{s.extra} GROUP BY {s.key}",
        [s.end, *s.params],
    )
    for k, backlog in cursor:
        rows.setdefault(k, {"reported": 0})["backlog"] = backlog


def timed(work: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started
