"""Hotspots: reports per H3 hexagon, by category and period; and recurring problems.

The map's zoom picks the hexagon size: zoom <= 10 resolution 6 (~36 km2), 11 -> 7 (~5 km2),
12-13 -> 8 (~0.7 km2), 14+ -> 9 (~0.1 km2, a block). Resolutions 6-8 are read from
`insights_hotspotrollup`, which counts whole calendar months: the period is widened to whole
months and the answer says which. Resolution 9 is counted from the facts for the map's view
(it needs a bounding box) and for the exact days asked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import h3.api.basic_int as h3

from pracha.cases.errors import InvalidInput
from pracha.insights.reports.indicators import Period
from pracha.insights.store.cube import ALL_CATEGORIES, MONTH, YEAR, cover, period_end
from pracha.insights.store.query import Filters, Param
from pracha.replica import read_connection

MAX_FEATURES = 5000
# Resolution 9 counts cases one by one: keep the view to a few districts' worth.
MAX_RES9_CELLS7 = 60


@dataclass(frozen=True)
class Box:
    south: float
    west: float
    north: float
    east: float

    @classmethod
    def parse(cls, text: str | None) -> Box | None:
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError as exc:
            raise InvalidInput(
                "bbox is west,south,east,north in degrees, e.g. 100.4,13.6,100.7,13.9",
                field="bbox",
            ) from exc
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise InvalidInput("bbox must have west < east and south < north", field="bbox")
        return cls(south, west, north, east)

    def holds(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def resolution_for(zoom: int) -> int:
    if zoom <= 10:
        return 6
    if zoom == 11:
        return 7
    if zoom <= 13:
        return 8
    return 9


def whole_months(period: Period) -> tuple[date, date]:
    return period.first.replace(day=1), period_end(period.last.replace(day=1), MONTH)


def _rollup_cells(res: int, category: str, first: date, last: date) -> dict[int, list[int]]:
    by_grain: dict[int, list[int]] = defaultdict(list)
    for grain, start in cover(first, last, (MONTH, YEAR)):
        by_grain[grain].append(start.toordinal())
    times: list[str] = []
    params: list[Param] = [res, category]
    for grain, periods in sorted(by_grain.items()):
        times.append(f"(grain = %s AND period IN ({', '.join(['%s'] * len(periods))}))")
        params += [grain, *periods]
    sql = (
        "SELECT cell, SUM(reported), SUM(open), SUM(reopened) FROM insights_hotspotrollup "
        f"WHERE res = %s AND category = %s AND ({' OR '.join(times)}) GROUP BY cell"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return {cell: [int(a), int(b), int(c)] for cell, a, b, c in cursor.fetchall()}


def cells_covering(box: Box, res: int) -> set[int]:
    """The cells at `res` that overlap the box: those of a grid of points closer together
    than half a cell's edge, the rim included."""
    step = h3.average_hexagon_edge_length(res, unit="km") / 2 / 111.0  # degrees
    lats = int((box.north - box.south) / step) + 2
    lons = int((box.east - box.west) / step) + 2
    if lats * lons > 40_000:
        raise InvalidInput("the view is too large for block-sized hexagons; zoom in", field="zoom")
    found = set()
    for i in range(lats):
        lat = min(box.north, box.south + i * step)
        for j in range(lons):
            found.add(h3.latlng_to_cell(lat, min(box.east, box.west + j * step), res))
    return found


def _fact_cells(
    res: int, category: str, first: date, last: date, box: Box | None, filters: Filters
) -> dict[int, list[int]]:
    """Counts per cell at `res` summed from the facts, for exact days and for the filters
    the hexagon rollups do not keep (district, agency); at resolution 9 for the box only."""
    where = ["day BETWEEN %s AND %s", "category = %s"]
    params: list[Param] = [first.toordinal(), last.toordinal(), category]
    if box is not None and res == 9:
        parents = cells_covering(box, 7)
        if len(parents) > MAX_RES9_CELLS7:
            raise InvalidInput(
                "the view is too large for block-sized hexagons; zoom in", field="zoom"
            )
        where.append(f"cell7 IN ({', '.join(['%s'] * len(parents))})")
        params += sorted(parents)
    for column, value in (("district", filters.district), ("agency_key", filters.agency)):
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    column = "cell9" if res >= 8 else "cell7"
    sql = (
        f"SELECT {column}, COUNT(*), SUM(CASE WHEN is_open = TRUE THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN reopened = TRUE THEN 1 ELSE 0 END) FROM insights_casefact "
        f"WHERE {' AND '.join(where)} AND {column} IS NOT NULL GROUP BY {column}"
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        for cell, *sums in cursor.fetchall():
            total = counts[cell if res in (7, 9) else h3.cell_to_parent(cell, res)]
            for i, value in enumerate(sums):
                total[i] += int(value or 0)
    return counts


def hotspots(
    period: Period, filters: Filters, zoom: int, box: Box | None, res: int | None = None
) -> dict[str, Any]:
    """Hexagons with their counts. Resolutions 6-8 count whole months from the hexagon
    rollups, unless a district or agency is asked for: then, as at resolution 9, the facts
    are counted for the exact days."""
    res = res or resolution_for(zoom)
    code = filters.category or ALL_CATEGORIES
    if res == 9 and box is None:
        raise InvalidInput("block-sized hexagons (zoom 14+) need a bbox", field="bbox")
    if res == 9 or filters.district is not None or filters.agency is not None:
        first, last = period.first, period.last
        counts = _fact_cells(res, code, first, last, box, filters)
    else:
        first, last = whole_months(period)
        counts = _rollup_cells(res, code, first, last)
    features: list[dict[str, Any]] = []
    for cell, (reported, still_open, reopened) in counts.items():
        if reported <= 0:
            continue
        lat, lon = h3.cell_to_latlng(cell)
        if box is not None and not box.holds(lat, lon):
            continue
        ring = [[round(x, 6), round(y, 6)] for y, x in h3.cell_to_boundary(cell)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "cell": h3.int_to_str(cell),
                    "reported": reported,
                    "open": still_open,
                    "reopened": reopened,
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                },
            }
        )
    features.sort(key=lambda f: -f["properties"]["reported"])
    return {
        "type": "FeatureCollection",
        "resolution": res,
        "category": filters.category,
        "district": filters.district,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "truncated": len(features) > MAX_FEATURES,
        "features": features[:MAX_FEATURES],
    }
