"""Forwarding analytics: hops per case, time lost per hop, agency pairs that bounce cases.

Forwards count in the period they happened (their own date, not the case's report date);
hops per case count the cases reported in the period by how often they have been forwarded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from pracha.insights.reports.indicators import Period
from pracha.insights.reports.labels import Label, agency_labels
from pracha.insights.store.cube import BLOCK, DAY, MONTH, QUARTER, YEAR, cover
from pracha.insights.store.forwarding_facts import ANY
from pracha.insights.store.metrics import BUCKETS, HIST_COLUMNS, METRIC_INDEX, quantile
from pracha.insights.store.query import Filters, aggregate
from pracha.replica import read_connection

GRAINS = (BLOCK, MONTH, QUARTER, YEAR)
PAIR_LIMIT = 50
Pair = tuple[int, int]  # (from_key, to_key), or either order where a pair is undirected


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
    periods, days = _cover(first, last)
    pairs = only[1] if only is not None and only[0] == "pair" else None
    selection = _selection(agency, None if pairs is not None else only, columns, group)
    wanted = _PairFilter() if pairs is None else _pair_filter(pairs)
    queries = []
    if periods:
        rows = _rollup_rows(level, bounced_only)
        queries.append(_rollup_query(selection, periods, wanted, rows, in_python))
    if days:
        queries.append(_fact_query(selection, days, wanted, bounced_only))
    out = _sum_rows(queries, len(group), len(columns))
    if pairs is not None:
        return {key: row for key, row in out.items() if row[0] and key in pairs}
    return {key: row for key, row in out.items() if row[0]}


def _placeholders(values: Collection[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _cover(first: date, last: date) -> tuple[dict[int, list[int]], list[int]]:
    """The rollup periods (by grain) and the single days that cover first..last, as ordinals.

    Single days are read from the facts table, which the rollups do not repeat at day grain.
    """
    periods: dict[int, list[int]] = defaultdict(list)
    days: list[int] = []
    for grain, start in cover(first, last, GRAINS):
        if grain == DAY:
            days.append(start.toordinal())
        else:
            periods[grain].append(start.toordinal())
    return periods, days


@dataclass(frozen=True)
class _Selection:
    """What both the rollup and the facts query select, and the conditions they share."""

    columns: tuple[str, ...]
    group: tuple[str, ...]
    where_sql: str  # " AND ..." per condition on the agency and on `only`
    params: list[Any]

    @property
    def keys(self) -> str:
        return ", ".join(self.group)

    @property
    def tail(self) -> str:
        """The shared conditions, then the GROUP BY."""
        return self.where_sql + (f" GROUP BY {self.keys}" if self.group else "")

    def select(self, sums: str) -> str:
        return f"{self.keys}, {sums}" if self.group else sums


def _selection(
    agency: int | None,
    only: tuple[str, set[Any]] | None,
    columns: tuple[str, ...],
    group: tuple[str, ...],
) -> _Selection:
    """The conditions for `agency` and for `only` on a single column (not pairs)."""
    where, params = [], []
    if agency is not None:
        where.append("(from_key = %s OR to_key = %s)")
        params += [agency, agency]
    if only is not None:
        where.append(f"{only[0]} IN ({_placeholders(only[1])})")
        params += sorted(only[1])
    return _Selection(columns, group, "".join(f" AND {w}" for w in where), params)


@dataclass(frozen=True)
class _PairFilter:
    """How each table keeps only some (from_key, to_key) pairs; empty: every pair."""

    join: str = ""  # rollups: a join with the wanted pairs
    join_params: tuple[int, ...] = ()
    fact_where: str = ""  # facts: conditions on sender and receiver
    fact_params: tuple[int, ...] = ()


def _pair_filter(pairs: set[tuple[int, int]]) -> _PairFilter:
    """Rollups: exactly these pairs, a join with a small inline table that the pair index
    serves. Facts: a few days' rows found by day, then kept by sender and receiver (a superset
    of the pairs; pair_sums picks the exact pairs): joining the inline table there makes
    SQLite walk the pairs first and read far more rows."""
    ordered = sorted(pairs)
    rows = " UNION ALL ".join(["SELECT %s AS f, %s AS t"] * len(ordered))
    senders, receivers = sorted({a for a, _ in ordered}), sorted({b for _, b in ordered})
    return _PairFilter(
        join=f" JOIN ({rows}) wanted ON from_key = wanted.f AND to_key = wanted.t",
        join_params=tuple(k for pair in ordered for k in pair),
        fact_where=(
            f" AND from_key IN ({_placeholders(senders)})"
            f" AND to_key IN ({_placeholders(receivers)})"
        ),
        fact_params=(*senders, *receivers),
    )


def _rollup_rows(level: str, bounced_only: bool) -> str:
    """The rollup rows of one `level`: ANY (-1) stands for every sender or receiver."""
    rows = {
        "pair": f" AND from_key <> {ANY} AND to_key <> {ANY}",
        "source": f" AND from_key <> {ANY} AND to_key = {ANY}",
        "target": f" AND from_key = {ANY} AND to_key <> {ANY}",
        "all": f" AND from_key = {ANY} AND to_key = {ANY}",
    }[level]
    return rows + (" AND bounces > 0" if bounced_only else "")


def _rollup_query(
    selection: _Selection,
    periods: dict[int, list[int]],
    wanted: _PairFilter,
    rows: str,
    in_python: bool,
) -> tuple[str, list[Any]]:
    """The rollup rows of `periods`: summed by GROUP BY, or each row for _sum_rows to add."""
    times, args = [], []
    for grain, starts in sorted(periods.items()):
        times.append(f"(grain = %s AND period IN ({_placeholders(starts)}))")
        args += [grain, *starts]
    if in_python:
        select, end = f"{selection.keys}, {', '.join(selection.columns)}", selection.where_sql
    else:
        select = selection.select(", ".join(f"SUM({c})" for c in selection.columns))
        end = selection.tail
    sql = (
        f"SELECT {select} FROM insights_forwardrollup{wanted.join} "
        f"WHERE ({' OR '.join(times)}){rows}{end}"
    )
    return sql, [*wanted.join_params, *args, *selection.params]


def _fact_query(
    selection: _Selection, days: list[int], wanted: _PairFilter, bounced_only: bool
) -> tuple[str, list[Any]]:
    """The forwards of single days, from the facts table."""
    select = selection.select(", ".join(FACT_SQL[c] for c in selection.columns))
    bounced = " AND bounce = TRUE" if bounced_only else ""
    sql = (
        f"SELECT {select} FROM insights_forwardfact "
        f"WHERE day IN ({_placeholders(days)}){bounced}{wanted.fact_where}{selection.tail}"
    )
    return sql, [*days, *wanted.fact_params, *selection.params]


def _sum_rows(queries: list[tuple[str, list[Any]]], width: int, size: int) -> dict[Any, list[int]]:
    """Run the queries and add up their rows by the first `width` values (the group's key)."""
    out: dict[Any, list[int]] = defaultdict(lambda: [0] * size)
    with read_connection().cursor() as cursor:
        for sql, args in queries:
            cursor.execute(sql, args)
            for row in cursor.fetchall():
                key = tuple(row[:width]) if width > 1 else (row[0] if width else None)
                total = out[key]
                for i, value in enumerate(row[width:]):
                    total[i] += int(value or 0)
    return out


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
    top_pairs = _top_bouncing_pairs(first, last, agency)
    counts = _pair_counts(first, last, agency, top_pairs)
    top_agencies = _top_senders(first, last, agency)
    sources = {k for k, _ in top_agencies}
    source_hist, received, total = _sender_figures(first, last, agency, sources)
    labels = agency_labels({k for (a, b), _ in top_pairs for k in (a, b)} | sources)
    return {
        "forwards": total[0] if total else 0,
        "bounces": total[2] if total else 0,
        **_hours(total),
        "hops": _hops(filters, first, last),
        "pairs": [_pair_row(pair, bounces, counts, labels) for pair, bounces in top_pairs],
        "agencies": [
            _agency_row(k, sums, received, source_hist, labels) for k, sums in top_agencies
        ],
    }


def _top_bouncing_pairs(first: date, last: date, agency: int | None) -> list[tuple[Pair, int]]:
    """The PAIR_LIMIT pairs (either direction, lower key first) that bounced most cases."""
    bounced = pair_sums(first, last, agency, ("bounces",), in_python=True, bounced_only=True)
    by_pair: dict[Pair, int] = defaultdict(int)
    for (source, target), (bounces,) in bounced.items():
        by_pair[(source, target) if source <= target else (target, source)] += bounces
    return sorted(by_pair.items(), key=lambda kv: (-kv[1], kv[0]))[:PAIR_LIMIT]


def _pair_counts(
    first: date, last: date, agency: int | None, top_pairs: list[tuple[Pair, int]]
) -> dict[Pair, list[int]]:
    """COUNTS of the top pairs in both directions, read for those pairs alone."""
    directed = {key for (a, b), _ in top_pairs for key in ((a, b), (b, a))}
    if not directed:
        return {}
    return pair_sums(first, last, agency, COUNTS, only=("pair", directed), in_python=True)


def _top_senders(first: date, last: date, agency: int | None) -> list[tuple[int, list[int]]]:
    """The PAIR_LIMIT agencies that forwarded most, with their COUNTS."""
    if agency is None:
        sent = pair_sums(first, last, None, COUNTS, ("from_key",), level="source")
    else:
        sent = pair_sums(first, last, agency, COUNTS, ("from_key",))
    return sorted(sent.items(), key=lambda kv: (-kv[1][0], kv[0]))[:PAIR_LIMIT]


def _sender_figures(
    first: date, last: date, agency: int | None, sources: set[int]
) -> tuple[dict[Any, list[int]], dict[Any, list[int]], list[int] | None]:
    """Hours held per sending agency, forwards each received, and the period's total.

    The whole city reads the per-agency rollup rows of the top senders; one agency's pairs
    are few, so they are summed instead.
    """
    full = (*COUNTS, *HIST_COLUMNS)
    if agency is None and sources:
        source_hist = pair_sums(first, last, None, full, ("from_key",), ("from_key", sources),
                                level="source")  # fmt: skip
        received = pair_sums(first, last, None, ("forwards",), ("to_key",), ("to_key", sources),
                             level="target")  # fmt: skip
        total = pair_sums(first, last, None, full, (), level="all").get(None)
    else:
        source_hist = pair_sums(first, last, agency, full, ("from_key",))
        received = pair_sums(first, last, agency, ("forwards",), ("to_key",))
        total = pair_sums(first, last, agency, full, ()).get(None)
    return source_hist, received, total


def _pair_row(
    pair: Pair, bounces: int, counts: dict[Pair, list[int]], labels: dict[int, Label]
) -> dict[str, Any]:
    """One pair of agencies: forwards each way, bounces, mean hours held."""
    a, b = pair
    ab, ba = counts.get((a, b), [0, 0, 0]), counts.get((b, a), [0, 0, 0])
    forwards, held = ab[0] + ba[0], ab[1] + ba[1]
    return {
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


def _agency_row(
    key: int,
    sums: list[int],
    received: dict[Any, list[int]],
    source_hist: dict[Any, list[int]],
    labels: dict[int, Label],
) -> dict[str, Any]:
    """One sending agency: forwarded out, received, bounces, hours held."""
    return {
        "agency": labels[key].key,
        "name_th": labels[key].name_th,
        "name_en": labels[key].name_en,
        "forwarded_out": sums[0],
        "received": received.get(key, [0])[0],
        "bounces": sums[2],
        **_hours(source_hist.get(key)),
    }


def _hops(filters: Filters, first: date, last: date) -> list[dict[str, Any]]:
    """Cases reported in the period by how often they have been forwarded (0 to 4+)."""
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
    return [{"hops": k, "cases": v} for k, v in hops.items()]
