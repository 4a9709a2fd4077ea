"""Forwarding analytics: hops per case, time lost per hop, agency pairs that bounce cases.

Forwards count in the period they happened (their own date, not the case's report date);
hops per case count the cases reported in the period by how often they have been forwarded.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection

from pracha.insights.reports.indicators import Period
from pracha.insights.reports.labels import agency_labels
from pracha.insights.store.cube import BLOCK, DAY, MONTH, QUARTER, YEAR, cover
from pracha.insights.store.forwarding_facts import ANY
from pracha.insights.store.metrics import BUCKETS, HIST_COLUMNS, METRIC_INDEX, quantile
from pracha.insights.store.query import Filters, aggregate

GRAINS = (BLOCK, MONTH, QUARTER, YEAR)
PAIR_LIMIT = 50


COUNTS = ("forwards", "held_seconds", "bounces")
FACT_SQL = {
    "forwards": "COUNT(*)",
    "held_seconds": "SUM(held_seconds)",
    "bounces": "SUM(CASE WHEN bounce = TRUE THEN 1 ELSE 0 END)",
    **{f"h{i}": f"SUM(CASE WHEN bucket = {i} THEN 1 ELSE 0 END)" for i in range(BUCKETS)},
}


def pair_sums(
    first: date,
    last: date,
    agency: int | None,
    columns: tuple[str, ...] = COUNTS,
    group: tuple[str, ...] = ("from_key", "to_key"),
    only: tuple[str, set[Any]] | None = None,
    level: str = "pair",
    in_python: bool = False,
    bounced_only: bool = False,
) -> dict[Any, list[int]]:
    """Sums of `columns` per `group` (from_key and/or to_key) over first..last.

    `agency` keeps forwards from or to it; `only` = (column, values) keeps those rows, where
    the column "pair" means (from_key, to_key). `level` picks the rollup rows: "pair" (both
    agencies), "source" (sending agency, any receiver), "target" (any sender, receiving agency)
    or "all" (ANY to ANY). `bounced_only` reads only rows with bounces. `in_python`
    sums the rollup rows here instead of with GROUP BY: for many small groups (agency pairs)
    a dictionary beats SQLite's sorter.
    """
    by_grain: dict[int, list[int]] = defaultdict(list)
    days: list[int] = []
    for grain, start in cover(first, last, GRAINS):
        if grain == DAY:
            days.append(start.toordinal())
        else:
            by_grain[grain].append(start.toordinal())
    where, params = [], []
    if agency is not None:
        where.append("(from_key = %s OR to_key = %s)")
        params += [agency, agency]
    join, join_params, fact_where, fact_params = "", [], "", []
    if only is not None and only[0] == "pair":
        # Rollups: exactly these pairs, a join with a small inline table that the pair index
        # serves. Facts: a few days' rows found by day, then kept by sender and receiver (a
        # superset of the pairs; the exact pairs are picked below): joining the inline table
        # there makes SQLite walk the pairs first and read far more rows.
        pairs = sorted(only[1])
        rows = " UNION ALL ".join(["SELECT %s AS f, %s AS t"] * len(pairs))
        join = f" JOIN ({rows}) wanted ON from_key = wanted.f AND to_key = wanted.t"
        join_params = [k for pair in pairs for k in pair]
        senders, receivers = sorted({a for a, _ in pairs}), sorted({b for _, b in pairs})
        fact_where = (
            f" AND from_key IN ({', '.join(['%s'] * len(senders))})"
            f" AND to_key IN ({', '.join(['%s'] * len(receivers))})"
        )
        fact_params = senders + receivers
    elif only is not None:
        where.append(f"{only[0]} IN ({', '.join(['%s'] * len(only[1]))})")
        params += sorted(only[1])
    keys = ", ".join(group)
    where_sql = "".join(f" AND {w}" for w in where)
    tail = where_sql + (f" GROUP BY {keys}" if group else "")
    rollup_rows = {
        "pair": f" AND from_key <> {ANY} AND to_key <> {ANY}",
        "source": f" AND from_key <> {ANY} AND to_key = {ANY}",
        "target": f" AND from_key = {ANY} AND to_key <> {ANY}",
        "all": f" AND from_key = {ANY} AND to_key = {ANY}",
    }[level]
    if bounced_only:
        rollup_rows += " AND bounces > 0"
    queries = []
    if by_grain:
        times, args = [], []
        for grain, periods in sorted(by_grain.items()):
            times.append(f"(grain = %s AND period IN ({', '.join(['%s'] * len(periods))}))")
            args += [grain, *periods]
        if in_python:
            select, end = f"{keys}, {', '.join(columns)}", where_sql
        else:
            sums = ", ".join(f"SUM({c})" for c in columns)
            select, end = (f"{keys}, {sums}" if group else sums), tail
        queries.append(
            (
                f"SELECT {select} FROM insights_forwardrollup{join} "
                f"WHERE ({' OR '.join(times)}){rollup_rows}{end}",
                join_params + args + params,
            )
        )
    if days:
        sums = ", ".join(FACT_SQL[c] for c in columns)
        select = f"{keys}, {sums}" if group else sums
        bounced = " AND bounce = TRUE" if bounced_only else ""
        queries.append(
            (
                f"SELECT {select} FROM insights_forwardfact "
                f"WHERE day IN ({', '.join(['%s'] * len(days))}){bounced}{fact_where}{tail}",
                days + fact_params + params,
            )
        )
    width = len(group)
    out: dict[Any, list[int]] = defaultdict(lambda: [0] * len(columns))
    with connection.cursor() as cursor:
        for sql, args in queries:
            cursor.execute(sql, args)
            for row in cursor.fetchall():
                key = tuple(row[:width]) if width > 1 else (row[0] if width else None)
                total = out[key]
                for i, value in enumerate(row[width:]):
                    total[i] += int(value or 0)
    if only is not None and only[0] == "pair":
        return {key: row for key, row in out.items() if row[0] and key in only[1]}
    return {key: row for key, row in out.items() if row[0]}


def _hours(sums: list[int] | None) -> dict[str, float | None]:
    """Mean and median hours held from [forwards, held_seconds, bounces, h0..h63]."""
    if not sums or not sums[0]:
        return {"mean_hours_held": None, "median_hours_held": None}
    return {
        "mean_hours_held": round(sums[1] / sums[0] / 3600, 1),
        "median_hours_held": _r(quantile(sums[3:], 0.5)),
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def forwarding_report(period: Period, filters: Filters) -> dict[str, Any]:
    """Totals, the agencies that forward most, and the pairs that bounce cases most.

    Ranking pairs reads only rollup rows that hold bounces (a small share of all pairs);
    the counts shown for the top pairs are then read exactly for those pairs alone.
    Forwards follow `filters.agency` only (the forward tables keep no category or district);
    the hops per case follow every filter.
    """
    first, last, agency = period.first, period.last, filters.agency
    full = (*COUNTS, *HIST_COLUMNS)
    bounced = pair_sums(first, last, agency, ("bounces",), in_python=True, bounced_only=True)
    by_pair: dict[tuple[int, int], int] = defaultdict(int)
    for (source, target), (bounces,) in bounced.items():
        by_pair[(source, target) if source <= target else (target, source)] += bounces
    top_pairs = sorted(by_pair.items(), key=lambda kv: (-kv[1], kv[0]))[:PAIR_LIMIT]
    directed = {key for (a, b), _ in top_pairs for key in ((a, b), (b, a))}
    counts = (
        pair_sums(first, last, agency, COUNTS, only=("pair", directed), in_python=True)
        if directed
        else {}
    )
    if agency is None:
        sent = pair_sums(first, last, None, COUNTS, ("from_key",), level="source")
    else:
        sent = pair_sums(first, last, agency, COUNTS, ("from_key",))
    top_agencies = sorted(sent.items(), key=lambda kv: (-kv[1][0], kv[0]))[:PAIR_LIMIT]
    sources = {k for k, _ in top_agencies}
    if agency is None and sources:
        source_hist = pair_sums(first, last, None, full, ("from_key",), ("from_key", sources),
                                level="source")  # fmt: skip
        received = pair_sums(first, last, None, ("forwards",), ("to_key",), ("to_key", sources),
                             level="target")  # fmt: skip
        total = pair_sums(first, last, None, full, (), level="all").get(None)
    else:  # one agency: its pairs are few, sum them
        source_hist = pair_sums(first, last, agency, full, ("from_key",))
        received = pair_sums(first, last, agency, ("forwards",), ("to_key",))
        total = pair_sums(first, last, agency, full, ()).get(None)
    labels = agency_labels({k for (a, b), _ in top_pairs for k in (a, b)} | sources)
    pair_rows = []
    for (a, b), bounces in top_pairs:
        ab, ba = counts.get((a, b), [0, 0, 0]), counts.get((b, a), [0, 0, 0])
        forwards, held = ab[0] + ba[0], ab[1] + ba[1]
        pair_rows.append(
            {
                "agency_a": labels[a].key,
                "agency_a_name": labels[a].name_th,
                "agency_b": labels[b].key,
                "agency_b_name": labels[b].name_th,
                "forwards_a_to_b": ab[0],
                "forwards_b_to_a": ba[0],
                "bounces": bounces,
                "back_and_forth": bool(ab[0] and ba[0]),
                "mean_hours_held": round(held / forwards / 3600, 1) if forwards else None,
            }
        )
    agency_rows = [
        {
            "agency": labels[k].key,
            "name_th": labels[k].name_th,
            "name_en": labels[k].name_en,
            "forwarded_out": row[0],
            "received": received.get(k, [0])[0],
            "bounces": row[2],
            **_hours(source_hist.get(k)),
        }
        for k, row in top_agencies
    ]
    cases = aggregate(None, filters, first, last).get(None)
    i = METRIC_INDEX
    hops = {"0": 0, "1": 0, "2": 0, "3": 0, "4+": 0}
    if cases:
        hops = {
            "0": cases[i["reported"]] - sum(cases[i[f"hop{k}"]] for k in range(1, 5)),
            "1": cases[i["hop1"]],
            "2": cases[i["hop2"]],
            "3": cases[i["hop3"]],
            "4+": cases[i["hop4"]],
        }
    return {
        "forwards": total[0] if total else 0,
        "bounces": total[2] if total else 0,
        **_hours(total),
        "hops": [{"hops": k, "cases": v} for k, v in hops.items()],
        "pairs": pair_rows,
        "agencies": agency_rows,
    }
