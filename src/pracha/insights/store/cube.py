"""The shape of the pre-aggregated indicators: which groupings (cuboids) at which time grains.

Every case is one *fact* per category it has, plus one "all categories" fact (category `*`).
The rollup table sums facts per cuboid, grain and period. A cuboid names the dimensions it
keeps; the others are folded away. Periods are day numbers (`date.toordinal()`) in Bangkok
time: the first day of the year, month, block or day the row covers.

Months are split into four *blocks* (days 1-7, 8-14, 15-21, 22-end) so that any date range is
covered, per key, by its whole years, at most 6 quarters, 4 months, 6 blocks and 12 days: a
query never sums more than a few thousand rows, however many cases there are.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# Time grains (stored as small integers).
DAY, BLOCK, MONTH, YEAR, QUARTER = 1, 2, 3, 4, 5
GRAIN_NAMES = {DAY: "day", BLOCK: "block", MONTH: "month", QUARTER: "quarter", YEAR: "year"}

# Dimensions a cuboid can keep.
CATEGORY, DISTRICT, AGENCY, STATE = "category", "district", "agency", "state"
DIMENSIONS = (CATEGORY, DISTRICT, AGENCY, STATE)

ALL_CATEGORIES = "*"  # the category of the one fact per case that stands for the whole case
UNCATEGORISED = "-"  # the category of a case that has none


@dataclass(frozen=True)
class Cuboid:
    code: int
    dims: frozenset[str]
    grains: tuple[int, ...]

    @property
    def per_category(self) -> bool:
        """Summed from the per-category facts (else from the one `*` fact per case)."""
        return CATEGORY in self.dims


_FINE = (DAY, BLOCK, MONTH, QUARTER, YEAR)
_COARSE = (BLOCK, MONTH, QUARTER, YEAR)

CUBOIDS: tuple[Cuboid, ...] = (
    Cuboid(1, frozenset({CATEGORY}), _FINE),
    Cuboid(2, frozenset({DISTRICT}), _FINE),
    Cuboid(3, frozenset({AGENCY}), _FINE),
    Cuboid(4, frozenset({STATE}), _FINE),
    Cuboid(5, frozenset({CATEGORY, DISTRICT}), _COARSE),
    Cuboid(6, frozenset({CATEGORY, AGENCY}), _COARSE),
    Cuboid(7, frozenset({DISTRICT, AGENCY}), _COARSE),
    Cuboid(8, frozenset({CATEGORY, STATE}), _COARSE),
    Cuboid(9, frozenset({DISTRICT, STATE}), _COARSE),
    Cuboid(10, frozenset({AGENCY, STATE}), _COARSE),
    # Two filters and a grouping (scorecards of one district's categories, say): whole
    # months and longer; the days at the edges come from the facts, which two filters narrow.
    Cuboid(11, frozenset({CATEGORY, DISTRICT, AGENCY}), (MONTH, QUARTER, YEAR)),
)
CUBOID_BY_DIMS = {c.dims: c for c in CUBOIDS}


def cuboid_for(dims: set[str] | frozenset[str]) -> Cuboid | None:
    """The cuboid keeping exactly `dims` (None: no rollup has them; answer from the facts)."""
    if not dims:
        return CUBOID_BY_DIMS[frozenset({STATE})]  # every fact is in some state: the total
    return CUBOID_BY_DIMS.get(frozenset(dims))


# --- periods ------------------------------------------------------------------------------


def block_start(day: date) -> date:
    return day.replace(day=1 + 7 * min(3, (day.day - 1) // 7))


def period_start(day: date, grain: int) -> date:
    if grain == DAY:
        return day
    if grain == BLOCK:
        return block_start(day)
    if grain == MONTH:
        return day.replace(day=1)
    if grain == QUARTER:
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day.replace(month=1, day=1)


def period_end(start: date, grain: int) -> date:
    """The last day a period starting at `start` covers."""
    if grain == DAY:
        return start
    if grain == YEAR:
        return start.replace(month=12, day=31)
    if grain == QUARTER:
        month = start.month + 2
        return start.replace(month=month, day=calendar.monthrange(start.year, month)[1])
    last = calendar.monthrange(start.year, start.month)[1]
    if grain == MONTH or start.day == 22:
        return start.replace(day=last)
    return start + timedelta(days=6)


def periods_of(day: date) -> dict[int, int]:
    """grain -> period (day number) for a fact reported on `day`."""
    return {grain: period_start(day, grain).toordinal() for grain in _FINE}


def cover(first: date, last: date, grains: tuple[int, ...]) -> list[tuple[int, date]]:
    """The fewest (grain, period start) pieces covering first..last, coarsest first.

    A day the cuboid has no day grain for comes back as (DAY, day) anyway: the caller answers
    those from the facts.
    """
    pieces: list[tuple[int, date]] = []
    day = first
    usable = [g for g in (YEAR, QUARTER, MONTH, BLOCK) if g in grains]
    while day <= last:
        for grain in usable:
            if period_start(day, grain) == day and period_end(day, grain) <= last:
                pieces.append((grain, day))
                day = period_end(day, grain) + timedelta(days=1)
                break
        else:
            pieces.append((DAY, day))
            day += timedelta(days=1)
    return pieces
