"""What one case adds to the indicators: its facts, computed from the case row alone.

A case has one fact per category (the category's own target decides whether it closed in
time) and one `*` fact standing for the whole case (held to its strictest target). A case
with no category has a `-` fact instead of per-category ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import h3.api.basic_int as h3
from django.conf import settings

from pracha.cases import sla
from pracha.insights.store.cube import (
    ALL_CATEGORIES,
    BLOCK,
    MONTH,
    QUARTER,
    UNCATEGORISED,
    YEAR,
    periods_of,
)
from pracha.insights.store.metrics import bucket_of
from pracha.states import CLOSED_STATES

# Columns of CaseFact in the order facts are written and read.
FACT_COLUMNS = (
    "case_id",
    "category",
    "district",
    "agency_key",
    "state",
    "is_open",
    "day",
    "block",
    "month",
    "year",
    "created_epoch",
    "close_seconds",
    "bucket",
    "within_target",
    "reopened",
    "reopen_events",
    "stars",
    "me_too",
    "forwards",
    "cell9",
    "cell7",
    "quarter",
)
# Columns of Case that facts are computed from.
CASE_COLUMNS = (
    "id",
    "created_at",
    "closed_at",
    "state",
    "district",
    "agency_id",
    "stars",
    "reopen_count",
    "me_too_count",
    "forward_count",
    "lat",
    "lon",
)


@dataclass(frozen=True, slots=True)
class Fact:
    case_id: int
    category: str
    district: str
    agency_key: int
    state: str
    is_open: bool
    day: int
    block: int
    month: int
    year: int
    created_epoch: int
    close_seconds: int | None
    bucket: int | None
    within_target: bool
    reopened: bool
    reopen_events: int
    stars: int | None
    me_too: int
    forwards: int
    cell9: int | None
    cell7: int | None
    quarter: int

    def as_row(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FACT_COLUMNS)

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Fact:
        values = dict(zip(FACT_COLUMNS, row, strict=True))
        values["is_open"] = bool(values["is_open"])
        values["within_target"] = bool(values["within_target"])
        values["reopened"] = bool(values["reopened"])
        return cls(**values)


@cache
def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=65536)
def _hour_day(hour: int) -> int:
    """The local day of the hour starting at `hour` * 3600 Unix seconds (zones shift by whole
    hours or half hours; Bangkok by none), cached: a year of reports touches ~9,000 hours."""
    return datetime.fromtimestamp(hour * 3600, local_zone()).date().toordinal()


def local_day(moment: datetime) -> int:
    seconds = moment.timestamp()
    hour = int(seconds // 3600)
    # ZoneInfo.utcoffset() never returns None (tzinfo's may); no cast on this hot path.
    if local_zone().utcoffset(moment).total_seconds() % 3600:  # type: ignore[union-attr]
        return moment.astimezone(local_zone()).date().toordinal()
    return _hour_day(hour)


@lru_cache(maxsize=65536)
def periods(day: int) -> tuple[int, int, int, int]:
    """(day, block, month, year) period starts of a day number."""
    by_grain = periods_of(date.fromordinal(day))
    return day, by_grain[BLOCK], by_grain[MONTH], by_grain[YEAR]


@lru_cache(maxsize=65536)
def quarter_of(day: int) -> int:
    return periods_of(date.fromordinal(day))[QUARTER]


def cells(lat: float | None, lon: float | None) -> tuple[int | None, int | None]:
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    cell9 = h3.latlng_to_cell(lat, lon, 9)
    return cell9, h3.cell_to_parent(cell9, 7)


def fact_rows(case: dict[str, Any], categories: Iterable[str]) -> list[tuple[Any, ...]]:
    """The facts of one case as rows in FACT_COLUMNS order.

    `case` holds CASE_COLUMNS, `categories` its category codes.
    """
    codes = sorted(set(categories))
    created: datetime = case["created_at"]
    closed_at: datetime | None = case["closed_at"]
    state = case["state"]
    is_open = state not in CLOSED_STATES
    close_seconds = None
    if not is_open and closed_at is not None:
        close_seconds = max(0, int((closed_at - created).total_seconds()))
    bucket = bucket_of(close_seconds / 3600) if close_seconds is not None else None
    reopens = int(case["reopen_count"] or 0)
    cell9, cell7 = cells(case["lat"], case["lon"])
    head = (case["id"],)
    middle: tuple[Any, ...] = (case["district"] or "", case["agency_id"] or 0, state, is_open)
    created_day = local_day(created)
    middle += periods(created_day)
    middle += (int(created.timestamp()), close_seconds, bucket)
    tail = (
        reopens > 0,
        reopens,
        case["stars"],
        int(case["me_too_count"] or 0),
        int(case["forward_count"] or 0),
        cell9,
        cell7,
        quarter_of(created_day),
    )
    table, default = sla.targets(), sla.default_hours()

    def within(hours: float) -> bool:
        return close_seconds is not None and close_seconds <= hours * 3600

    rows = [
        (*head, code, *middle, within(table.get(code, default)), *tail)
        for code in (codes or [UNCATEGORISED])
    ]
    strictest = min((table.get(code, default) for code in codes), default=default)
    rows.append((*head, ALL_CATEGORIES, *middle, within(strictest), *tail))
    return rows


def facts_for(case: dict[str, Any], categories: Iterable[str]) -> list[Fact]:
    return [Fact.from_row(row) for row in fact_rows(case, categories)]
