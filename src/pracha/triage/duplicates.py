"""Earlier open cases that may be the same problem as a new one: close by, recent, alike.

A candidate is an open case within RADIUS_M and WINDOW_DAYS before the new report whose
text is similar (SIMILAR), or a little similar and in a shared category (SIMILAR_IN_CATEGORY).
Closed cases are left out: a citizen cannot say "me too" to them, and a problem that comes
back after a fix is a new report. The thresholds come from the 2022 tickets: of 744,052 pairs
within 100 m and 14 days, 15% read at least 0.3 alike (the re-sent identical reports among
them); below 0.2 unrelated reports dominate even within one category.

The search is a latitude/longitude box on the (lat, lon, created_at) index, then exact
distances (bench/triage_duplicates.py measures it against the same search without the index).
Categories are read only for the cases alike enough for a shared one to matter, so a report
with unrelated neighbours (most of them) costs one statement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import cast

from django.db import connection

from pracha.cases.categories import codes_by_case
from pracha.cases.models import Case, CaseKind
from pracha.inserts import kept_cursor
from pracha.states import CLOSED_STATES
from pracha.triage.similarity import cosine, trigrams

RADIUS_M = 100.0
WINDOW_DAYS = 14
SIMILAR = 0.3
SIMILAR_IN_CATEGORY = 0.2
MAX_SHOWN = 5
MAX_SCANNED = 2000  # nearby recent cases compared at most (a busy corner, a flood)
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Candidate:
    case_id: int
    ticket_id: str
    state: str
    distance_m: float
    similarity: float
    same_category: bool


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


def find_duplicates(
    *,
    lat: float,
    lon: float,
    text: str,
    categories: list[str],
    at: datetime,
    exclude: int | None = None,
) -> list[Candidate]:
    """The most likely duplicates of a report, best first (at most MAX_SHOWN)."""
    dlat = RADIUS_M / METRES_PER_DEGREE
    dlon = RADIUS_M / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    rows = nearby_open_cases(
        (lat - dlat, lat + dlat), (lon - dlon, lon + dlon), at - timedelta(days=WINDOW_DAYS), at
    )
    if exclude is not None:
        rows = [row for row in rows if row[0] != exclude]
    if not rows:
        return []
    grams = trigrams(text)
    alike = []  # close enough and at least a little similar: candidates if the category agrees
    for pk, ticket_id, state, other_lat, other_lon, description in rows:
        if other_lat is None or other_lon is None:
            continue  # never: lat__range and lon__range leave out cases without a place
        distance = distance_m(lat, lon, other_lat, other_lon)
        if distance > RADIUS_M:
            continue
        score = cosine(grams, trigrams(description))
        if score >= SIMILAR_IN_CATEGORY:
            alike.append((pk, ticket_id, state, distance, score))
    if not alike:
        return []  # most reports: no categories to read
    codes_of = codes_by_case([row[0] for row in alike])
    wanted = set(categories)
    found = []
    for pk, ticket_id, state, distance, score in alike:
        shared = not wanted.isdisjoint(codes_of.get(pk, ()))
        if score >= SIMILAR or shared:
            found.append(Candidate(pk, ticket_id, state, distance, score, shared))
    found.sort(key=lambda c: (-c.similarity, c.distance_m, c.ticket_id))
    return found[:MAX_SHOWN]


def nearby_open_cases(
    lats: tuple[float, float], lons: tuple[float, float], since: datetime, until: datetime
) -> list[tuple[int, str, str, float, float, str]]:
    """(pk, ticket_id, state, lat, lon, description) of open reports in the box, filed in
    [since, until], at most MAX_SCANNED.

    One statement written out once: every report asks it, and building it through the ORM
    cost more CPU than running it. No ORDER BY: sorting by time would lead the planner to
    the created_at index and a scan of two weeks of cases; the box is small and is ranked by
    the caller instead.
    """
    closed = sorted(CLOSED_STATES)
    adapt = connection.ops.adapt_datetimefield_value
    with kept_cursor(connection) as cursor:  # prepared once per connection on PostgreSQL
        cursor.execute(
            _nearby_sql(len(closed)),
            [CaseKind.REPORT.value, *lats, *lons, adapt(since), adapt(until), *closed],
        )
        return cast("list[tuple[int, str, str, float, float, str]]", cursor.fetchall())


@cache
def _nearby_sql(closed_states: int) -> str:
    meta = Case._meta
    column = {f.name: connection.ops.quote_name(f.column or f.name) for f in meta.concrete_fields}
    table = connection.ops.quote_name(meta.db_table)
    not_in = ", ".join(["%s"] * closed_states)
    return (
        f"SELECT {column['id']}, {column['ticket_id']}, {column['state']}, {column['lat']}, "
        f"{column['lon']}, {column['description']} FROM {table} "
        f"WHERE {column['kind']} = %s AND {column['lat']} BETWEEN %s AND %s "
        f"AND {column['lon']} BETWEEN %s AND %s "
        f"AND {column['created_at']} >= %s AND {column['created_at']} <= %s "
        f"AND {column['state']} NOT IN ({not_in}) LIMIT {MAX_SCANNED}"
    )
