"""Answering "sum the facts per X for these filters and dates" from the rollups.

The date range is covered by year, month, block and day periods (cube.cover). Periods the
chosen cuboid holds are read from `insights_rollup`; days it does not hold, and groupings no
cuboid holds (three dimensions at once), are summed from `insights_casefact` directly, with
the same sums. Either way the answer is the same numbers; only the work differs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pracha.insights.store.cube import (
    AGENCY,
    ALL_CATEGORIES,
    CATEGORY,
    DISTRICT,
    STATE,
    Cuboid,
    cover,
    cuboid_for,
)
from pracha.insights.store.metrics import METRIC_COLUMNS
from pracha.insights.store.sums import FACT_SQL
from pracha.replica import read_connection

COLUMN = {CATEGORY: "category", DISTRICT: "district", AGENCY: "agency_key", STATE: "state"}
EARLIEST = date(1970, 1, 1)
Sums = list[int]
Param = str | int | float  # a value bound to a %s placeholder


@dataclass(frozen=True)
class Filters:
    category: str | None = None  # category code, or "-" for uncategorised
    district: str | None = None
    agency: int | None = None  # agency id; 0 for cases with no agency
    state: str | None = None

    def dims(self) -> set[str]:
        named = {
            CATEGORY: self.category,
            DISTRICT: self.district,
            AGENCY: self.agency,
            STATE: self.state,
        }
        return {dim for dim, value in named.items() if value is not None}

    def conditions(self) -> tuple[list[str], list[Param]]:
        where: list[str] = []
        params: list[Param] = []
        for dim, value in (
            (CATEGORY, self.category),
            (DISTRICT, self.district),
            (AGENCY, self.agency),
            (STATE, self.state),
        ):
            if value is not None:
                where.append(f"{COLUMN[dim]} = %s")
                params.append(value)
        return where, params


@dataclass
class Plan:
    """How one aggregate will be answered (kept for tests and the benchmark's report)."""

    cuboid: Cuboid | None
    rollup_pieces: list[tuple[int, date]] = field(default_factory=list)
    fact_days: list[date] = field(default_factory=list)
    fact_range: tuple[date, date] | None = None


def _dims(group: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if group is None:
        return ()
    return (group,) if isinstance(group, str) else group


def plan(group: str | tuple[str, ...] | None, filters: Filters, first: date, last: date) -> Plan:
    dims = filters.dims() | set(_dims(group))
    cuboid = cuboid_for(dims)
    if cuboid is None:
        return Plan(None, fact_range=(first, last))
    result = Plan(cuboid)
    for grain, start in cover(first, last, cuboid.grains):
        if grain in cuboid.grains:
            result.rollup_pieces.append((grain, start))
        else:
            result.fact_days.append(start)
    return result


def aggregate(
    group: str | tuple[str, ...] | None,
    filters: Filters,
    first: date,
    last: date,
    columns: tuple[str, ...] = METRIC_COLUMNS,
    *,
    open_only: bool = False,
) -> dict[Any, Sums]:
    """Sums of `columns` per value of `group` (or one entry under None) over first..last.

    With several group dimensions the keys are tuples. Keys are the columns' values: str, or
    int for the agency (hence Any, which callers unpack and index by).

    `open_only` lets the facts path skip closed cases when only open sums are asked for.
    """
    how = plan(group, filters, first, last)
    totals: dict[Any, Sums] = defaultdict(lambda: [0] * len(columns))
    parts = []
    if how.rollup_pieces:
        parts.append(_from_rollup(how, group, filters, columns))
    if how.fact_days or how.fact_range:
        parts.append(_from_facts(how, group, filters, columns, open_only))
    width = len(_dims(group))
    for sql, params in parts:
        with read_connection().cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                if width == 0:
                    key: object = None
                elif isinstance(group, str):
                    key = row[0]
                else:
                    key = tuple(row[:width])
                sums = totals[key]
                for i, value in enumerate(row[width:]):
                    sums[i] += int(value or 0)
    return {key: sums for key, sums in totals.items() if any(sums)}


def _select(group: str | tuple[str, ...] | None, sums: list[str]) -> str:
    return ", ".join([COLUMN[d] for d in _dims(group)] + sums)


def _group_by(group: str | tuple[str, ...] | None) -> str:
    dims = _dims(group)
    return f" GROUP BY {', '.join(COLUMN[d] for d in dims)}" if dims else ""


def _from_rollup(
    how: Plan, group: str | tuple[str, ...] | None, filters: Filters, columns: tuple[str, ...]
) -> tuple[str, list[Param]]:
    assert how.cuboid is not None
    by_grain: dict[int, list[int]] = defaultdict(list)
    for grain, start in how.rollup_pieces:
        by_grain[grain].append(start.toordinal())
    times = []
    params: list[Param] = [how.cuboid.code]
    for grain, periods in sorted(by_grain.items()):
        times.append(f"(grain = %s AND period IN ({', '.join(['%s'] * len(periods))}))")
        params += [grain, *periods]
    where, values = filters.conditions()
    sql = (
        f"SELECT {_select(group, [f'SUM({c})' for c in columns])} FROM insights_rollup "
        f"WHERE cuboid = %s AND ({' OR '.join(times)})"
        + "".join(f" AND {w}" for w in where)
        + _group_by(group)
    )
    return sql, params + values


def _from_facts(
    how: Plan,
    group: str | tuple[str, ...] | None,
    filters: Filters,
    columns: tuple[str, ...],
    open_only: bool,
) -> tuple[str, list[Param]]:
    per_category = CATEGORY in _dims(group) or filters.category is not None
    where, params = filters.conditions()
    if filters.category is None:
        where.insert(0, "category <> %s" if per_category else "category = %s")
        params.insert(0, ALL_CATEGORIES)
    if how.fact_range:
        where.append("day BETWEEN %s AND %s")
        params += [how.fact_range[0].toordinal(), how.fact_range[1].toordinal()]
    else:
        where.append(f"day IN ({', '.join(['%s'] * len(how.fact_days))})")
        params += [d.toordinal() for d in how.fact_days]
    if open_only:
        where.append("is_open = TRUE")
    sql = (
        f"SELECT {_select(group, [FACT_SQL[c] for c in columns])} FROM insights_casefact "
        f"WHERE {' AND '.join(where)}" + _group_by(group)
    )
    return sql, params


def series(
    filters: Filters,
    first: date,
    last: date,
    grains: tuple[int, ...],
    columns: tuple[str, ...] = ("reported", "open"),
) -> dict[date, Sums]:
    """Sums per period start over first..last, using at most the given grains (a day the
    rollup has no day grain for is summed from the facts)."""
    dims = filters.dims()
    cuboid = cuboid_for(dims)
    pieces: list[tuple[int, date]] = []
    days: list[date] = []
    if cuboid is None:
        fact_range: tuple[date, date] | None = (first, last)
    else:
        fact_range = None
        usable = tuple(g for g in cuboid.grains if g in grains)
        for grain, start in cover(first, last, usable):
            if grain in usable:
                pieces.append((grain, start))
            else:
                days.append(start)
    out: dict[date, Sums] = defaultdict(lambda: [0] * len(columns))
    if pieces:
        assert cuboid is not None
        how = Plan(cuboid, rollup_pieces=pieces)
        sql, args = _from_rollup(how, None, filters, columns)
        sql = sql.replace("SELECT ", "SELECT grain, period, ", 1) + " GROUP BY grain, period"
        with read_connection().cursor() as cursor:
            cursor.execute(sql, args)
            for _grain, period, *sums in cursor.fetchall():
                bucket = out[date.fromordinal(period)]
                for i, value in enumerate(sums):
                    bucket[i] += int(value or 0)
    if days or fact_range:
        how = Plan(None, fact_days=days, fact_range=fact_range)
        sql, args = _from_facts(how, None, filters, columns, False)
        sql = sql.replace("SELECT ", "SELECT day, ", 1) + " GROUP BY day"
        with read_connection().cursor() as cursor:
            cursor.execute(sql, args)
            for day, *sums in cursor.fetchall():
                bucket = out[date.fromordinal(day)]
                for i, value in enumerate(sums):
                    bucket[i] += int(value or 0)
    return dict(out)
