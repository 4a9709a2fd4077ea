"""How a fact turns into the rollup's sums, written twice: in Python for incremental updates
and as SQL for rebuilding and for answering from the facts directly. tests/insights checks
that both give the same numbers.
"""

from __future__ import annotations

from pracha.insights.store.facts import Fact
from pracha.insights.store.metrics import BUCKETS, HIST_OFFSET, METRIC_COLUMNS, METRIC_INDEX

Vector = dict[int, int]  # metric index -> value; missing means 0

_I = METRIC_INDEX


def fact_vector(fact: Fact) -> Vector:
    v: Vector = {_I["reported"]: 1}
    if fact.is_open:
        v[_I["open"]] = 1
        v[_I["open_epoch"]] = fact.created_epoch
    if fact.close_seconds is not None:
        v[_I["close_seconds"]] = fact.close_seconds
    if fact.within_target:
        v[_I["within_target"]] = 1
    if fact.reopened:
        v[_I["reopened"]] = 1
        if fact.is_open:
            v[_I["reopened_open"]] = 1
    if fact.reopen_events:
        v[_I["reopen_events"]] = fact.reopen_events
    if fact.stars is not None:
        v[_I["stars_sum"]] = fact.stars
        v[_I["stars_sq"]] = fact.stars * fact.stars
        v[_I["ratings"]] = 1
    if fact.me_too:
        v[_I["me_too"]] = fact.me_too
    if fact.forwards:
        v[_I["forwards"]] = fact.forwards
        v[_I[f"hop{min(fact.forwards, 4)}"]] = 1
    if fact.bucket is not None:
        v[HIST_OFFSET + fact.bucket] = 1
    return v


def _when(condition: str, value: str = "1") -> str:
    return f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)"


# The same sums over rows of insights_casefact (booleans compared explicitly: SQLite stores
# them as 0/1, PostgreSQL as true/false, and both accept "= TRUE").
FACT_SQL: dict[str, str] = {
    "reported": "COUNT(*)",
    "open": _when("is_open = TRUE"),
    "open_epoch": _when("is_open = TRUE", "created_epoch"),
    "close_seconds": "SUM(COALESCE(close_seconds, 0))",
    "within_target": _when("within_target = TRUE"),
    "reopened": _when("reopened = TRUE"),
    "reopened_open": _when("reopened = TRUE AND is_open = TRUE"),
    "reopen_events": "SUM(reopen_events)",
    "stars_sum": "SUM(COALESCE(stars, 0))",
    "stars_sq": "SUM(COALESCE(stars * stars, 0))",
    "ratings": _when("stars IS NOT NULL"),
    "me_too": "SUM(me_too)",
    "forwards": "SUM(forwards)",
    "hop1": _when("forwards = 1"),
    "hop2": _when("forwards = 2"),
    "hop3": _when("forwards = 3"),
    "hop4": _when("forwards >= 4"),
    **{f"h{i}": _when(f"bucket = {i}") for i in range(BUCKETS)},
}
assert tuple(FACT_SQL) == METRIC_COLUMNS

ROLLUP_SQL: dict[str, str] = {name: f"SUM({name})" for name in METRIC_COLUMNS}
