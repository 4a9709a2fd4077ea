"""Adding and taking back facts: deltas summed in Python, written with one upsert per row.

`INSERT ... ON CONFLICT (key) DO UPDATE SET x = x + excluded.x` is the same SQL on SQLite
(3.24+) and PostgreSQL, and it is atomic per row, so concurrent transactions never lose an
update. Rows are written in key order so two transactions cannot deadlock on them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import h3.api.basic_int as h3
from django.apps import apps
from django.db import connection

from pracha.insights.store.cube import (
    ALL_CATEGORIES,
    CATEGORY,
    CUBOIDS,
    DISTRICT,
    MONTH,
    STATE,
    YEAR,
)
from pracha.insights.store.facts import FACT_COLUMNS, Fact
from pracha.insights.store.metrics import METRIC_COLUMNS
from pracha.insights.store.sums import fact_vector

RollupKey = tuple[int, int, int, str, str, int, str]
HotspotKey = tuple[int, str, int, int, int]
ROLLUP_KEY_COLUMNS = ("cuboid", "grain", "period", "category", "district", "agency_key", "state")
HOTSPOT_KEY_COLUMNS = ("res", "category", "grain", "period", "cell")
HOTSPOT_COUNTS = ("reported", "open", "reopened")
HOTSPOT_RESOLUTIONS = (6, 7, 8)
HOTSPOT_GRAINS = (MONTH, YEAR)


class Deltas:
    """Changes to the rollup and hotspot tables, summed before anything is written."""

    def __init__(self) -> None:
        self.rollup: dict[RollupKey, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.hotspot: dict[HotspotKey, list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(self, facts: Iterable[Fact], sign: int) -> None:
        for fact in facts:
            vector = fact_vector(fact)
            periods = {1: fact.day, 2: fact.block, 3: fact.month, 4: fact.year, 5: fact.quarter}
            whole_case = fact.category == ALL_CATEGORIES
            for cuboid in CUBOIDS:
                if cuboid.per_category == whole_case:
                    continue
                dims = cuboid.dims
                key_tail = (
                    fact.category if CATEGORY in dims else "",
                    fact.district if DISTRICT in dims else "",
                    fact.agency_key if "agency" in dims else 0,
                    fact.state if STATE in dims else "",
                )
                for grain in cuboid.grains:
                    sums = self.rollup[(cuboid.code, grain, periods[grain], *key_tail)]
                    for index, value in vector.items():
                        sums[index] += sign * value
            if fact.cell9 is not None:
                counts = (1, int(fact.is_open), int(fact.reopened))
                for res in HOTSPOT_RESOLUTIONS:
                    cell = h3.cell_to_parent(fact.cell9, res)
                    for grain in HOTSPOT_GRAINS:
                        row = self.hotspot[(res, fact.category, grain, periods[grain], cell)]
                        for i, value in enumerate(counts):
                            row[i] += sign * value

    def write(self) -> None:
        # Only the sums some row changes: new open cases change a handful of the rollup's 80
        # (no resolution-time buckets), so the statement carries those columns alone.
        changed: dict[RollupKey, dict[int, int]] = {}
        used: set[int] = set()
        for key in sorted(self.rollup):
            sums = {i: v for i, v in self.rollup[key].items() if v}
            if sums:
                changed[key] = sums
                used.update(sums)
        columns = sorted(used)
        rows = [(*key, *(sums.get(i, 0) for i in columns)) for key, sums in changed.items()]
        upsert(
            "insights_rollup",
            ROLLUP_KEY_COLUMNS,
            tuple(METRIC_COLUMNS[i] for i in columns),
            rows,
            zeros=tuple(c for i, c in enumerate(METRIC_COLUMNS) if i not in used),
        )
        hot = [(*k, *v) for k, v in sorted(self.hotspot.items()) if any(v)]
        upsert("insights_hotspotrollup", HOTSPOT_KEY_COLUMNS, HOTSPOT_COUNTS, hot)


def upsert(
    table: str,
    keys: tuple[str, ...],
    sums: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    zeros: tuple[str, ...] = (),
) -> None:
    """Add `rows` (keys, then sums) to the table; `zeros`: sum columns no row changes, 0 in
    a new row and left alone in an existing one."""
    q = connection.ops.quote_name
    updates = ", ".join(f"{q(c)} = {q(table)}.{q(c)} + excluded.{q(c)}" for c in sums)
    conflict = f"ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE SET {updates}"
    insert_rows(table, (*keys, *sums), rows, conflict, zeros=zeros)


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    tail: str,
    zeros: Sequence[str] = (),
) -> None:
    """Upsert many rows (`tail` is the ON CONFLICT clause) in one statement on PostgreSQL:
    the columns as arrays through unnest(). Row by row costs a round trip each, a VALUES list
    costs the driver a slow parse of thousands of placeholders, and an upsert holds its
    rows' locks until the commit, so every other report would wait behind it. SQLite, in
    this process, takes them as one prepared statement stepped per row. `zeros`: further
    columns given 0 in the SQL itself."""
    if not rows:
        return
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in (*columns, *zeros))
    constants = ", 0" * len(zeros)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for kind in _column_types(table, tuple(columns)))
            cursor.execute(
                f"INSERT INTO {q(table)} ({names}) SELECT *{constants} FROM unnest({arrays}) "
                f"{tail}",
                [array_literal(column) for column in zip(*rows, strict=True)],
            )
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {q(table)} ({names}) VALUES ({marks}{constants}) {tail}", rows
        )


def array_literal(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal ('{1,2,"bang rak"}') of ints, strings and None, cast by
    the statement. psycopg adapts a list element by element in Python (about 1 microsecond
    each: 80,000 for one fold of 100 cases); joining the text is a few times faster."""
    if all(type(v) is int for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


@lru_cache(maxsize=64)
def _column_types(table: str, columns: tuple[str, ...]) -> list[str]:
    """The database types of a table's columns, from its model."""
    [model] = [m for m in apps.get_models() if m._meta.db_table == table]
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return [str(by_column[c].db_type(connection)) for c in columns]


def insert_facts(facts: Iterable[Fact]) -> None:
    bulk_insert("insights_casefact", FACT_COLUMNS, [fact.as_row() for fact in facts])


RECURRING_SQL = """
INSERT INTO insights_recurringplace
    (cell, category, district, reported, open, reopened, reopen_events, me_too,
     first_day, last_day, score)
SELECT cell9, category, MAX(district), COUNT(*),
       SUM(CASE WHEN is_open = TRUE THEN 1 ELSE 0 END),
       SUM(CASE WHEN reopened = TRUE THEN 1 ELSE 0 END),
       SUM(reopen_events), SUM(me_too), MIN(day), MAX(day),
       COUNT(*) + SUM(me_too) - 1 + 2 * SUM(reopen_events)
FROM insights_casefact
WHERE cell9 IS NOT NULL {where}
GROUP BY cell9, category
"""


def refresh_places(places: Iterable[tuple[int, str]]) -> None:
    """Recount the recurring-problem rows of these (cell, category) places from the facts."""
    with connection.cursor() as cursor:
        for cell, category in sorted(set(places)):
            cursor.execute(
                "DELETE FROM insights_recurringplace WHERE cell = %s AND category = %s",
                [cell, category],
            )
            cursor.execute(
                RECURRING_SQL.format(where="AND cell9 = %s AND category = %s"), [cell, category]
            )


def add_places(facts: Iterable[Fact]) -> None:
    """Add new facts to their recurring places, as RECURRING_SQL would count them with these
    facts included (sums grow, first and last day widen), in key order."""
    places: dict[tuple[int, str], list[Any]] = {}
    for f in facts:
        if f.cell9 is None:
            continue
        row = places.get((f.cell9, f.category))
        if row is None:
            places[(f.cell9, f.category)] = [f.district, 1, int(f.is_open), int(f.reopened),
                                             f.reopen_events, f.me_too, f.day, f.day]  # fmt: skip
            continue
        row[0] = max(row[0], f.district)
        for index, value in enumerate(
            (1, int(f.is_open), int(f.reopened), f.reopen_events, f.me_too), start=1
        ):
            row[index] += value
        row[6], row[7] = min(row[6], f.day), max(row[7], f.day)
    if not places:
        return
    # A place's score is reported + me_too - 1 + 2 * reopen_events (RECURRING_SQL): a new
    # place starts at its own; an existing one grows by the added facts' share, which is
    # their own score + 1.
    rows = [
        (cell, category, *row, row[1] + row[5] - 1 + 2 * row[4])
        for (cell, category), row in sorted(places.items())
    ]
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    t = "insights_recurringplace"
    tail = (
        "ON CONFLICT (cell, category) DO UPDATE SET "
        f"district = {greatest}({t}.district, excluded.district), "
        + "".join(f"{c} = {t}.{c} + excluded.{c}, " for c in PLACE_SUMS)
        + f"first_day = {least}({t}.first_day, excluded.first_day), "
        f"last_day = {greatest}({t}.last_day, excluded.last_day), "
        f"score = {t}.score + excluded.score + 1"
    )
    insert_rows(t, PLACE_COLUMNS, rows, tail)


PLACE_SUMS = ("reported", "open", "reopened", "reopen_events", "me_too")
PLACE_COLUMNS = ("cell", "category", "district", *PLACE_SUMS, "first_day", "last_day", "score")


def bulk_insert(table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> None:
    """Many new rows at once: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {q(table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {q(table)} ({names}) VALUES ({marks})", rows)


def recount_places() -> None:
    """Every recurring place from scratch (cheaper than one by one after a large change)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM insights_recurringplace")
        cursor.execute(RECURRING_SQL.format(where=""))
