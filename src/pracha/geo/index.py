"""Which district a point is in: an in-memory STRtree over the district polygons.

Built once per process from a list of AreaShape (the shipped files or the active boundary
generation in the database) and then only read, so one index serves every thread. Geometry
is projected to metres (see projection.py) and prepared, so a lookup is a bounding-box probe
plus one or two point-in-polygon tests on the few candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from pracha.geo.address import AddressPlaces, places_in_address
from pracha.geo.boundaries import BANGKOK_PROVINCE_CODE, AreaShape
from pracha.geo.bounds import CoordinateError, check_point
from pracha.geo.projection import project, project_point
from pracha.thaitext import normalise_district, normalise_province

# A point this close to the edge of its district is "near the boundary": the polygons and
# the geocoded address can reasonably disagree about which side it is on.
NEAR_BOUNDARY_M = 15.0
# A report that comes with the district its source system gave it (Traffy Fondue's exports
# name one) keeps that district when the point lies this close to it: the systems draw the
# borders from different boundary data, mostly metres apart, and the office that acts
# is the one the source delivered the ticket to. Learnt from who acted (2023-05 and 2023-06
# exports): where that district and ours differed, its office acted on 27 tickets and ours
# on 3; 100 m is the smallest distance that fixes all it can there (README, Routing).
SOURCE_DISTRICT_M = 100.0
# Points in a sliver between polygons (where two boundary files meet) or just off the
# coast get the nearest district this close; farther out they are not in Thailand.
COAST_TOLERANCE_M = 2_000.0


class OutsideThailand(CoordinateError):
    """A point in no Thai district, not even near one."""


@dataclass(frozen=True)
class Location:
    """Where a point is: its district (Thai and English), province and, when an address
    names one, sub-district; how the district was decided and how sure that is."""

    district: str
    district_en: str
    province: str
    province_code: str
    area_code: str
    subdistrict: str
    near_boundary: bool  # within NEAR_BOUNDARY_M of the district's edge
    # "polygon" | "address" (near a border, the address's side) | "nearest" | "source" (the
    # district the report's source system gave, within SOURCE_DISTRICT_M)
    method: str
    distance_m: float  # 0 inside the polygon; how far the point is from it otherwise
    # Other districts within NEAR_BOUNDARY_M (SOURCE_DISTRICT_M for the method "source")
    neighbours: tuple[str, ...] = ()
    # With the method "source": the district the point alone (and its address) gave
    point_district: str = ""

    @property
    def in_bangkok(self) -> bool:
        return self.province_code == BANGKOK_PROVINCE_CODE


class AreaIndex:
    def __init__(self, areas: Sequence[AreaShape], *, label: str = "") -> None:
        if not areas:
            raise ValueError("an area index needs at least one area")
        self.areas = list(areas)
        self.label = label
        self._shapes = np.array([project(a.geometry) for a in self.areas], dtype=object)
        self._edges = shapely.boundary(self._shapes)
        shapely.prepare(self._shapes)
        shapely.prepare(self._edges)
        self._tree = shapely.STRtree(self._shapes)
        # Earlier areas win where polygons overlap (Bangkok's fine file before the national
        # one), so candidates are tried in list order.
        self._by_name: dict[str, list[int]] = {}
        for i, area in enumerate(self.areas):
            self._by_name.setdefault(area.name_th, []).append(i)

    def __len__(self) -> int:
        return len(self.areas)

    # --- lookups ---------------------------------------------------------------------------

    def containing(self, lon: float, lat: float) -> int | None:
        """Index of the first area whose polygon holds the point, or None (no checks)."""
        x, y = project_point(lon, lat)
        return self._containing(x, y, shapely.Point(x, y))

    def _containing(self, x: float, y: float, point: shapely.Point) -> int | None:
        candidates = self._tree.query(point)
        if candidates.size == 0:
            return None
        if candidates.size > 1:
            candidates = np.sort(candidates)
        inside = shapely.contains_xy(self._shapes[candidates], x, y)
        hits = candidates[inside]
        return int(hits[0]) if hits.size else None

    def locate(
        self, lon: float, lat: float, address: str | None = None, source_district: str = ""
    ) -> Location:
        """The district of a point; OutsideThailand / CoordinateError when it has none.

        `source_district`: the district another system (the ticket's source) gave the
        report; it wins within SOURCE_DISTRICT_M of the point (see the constant)."""
        check_point(lat, lon)
        x, y = project_point(lon, lat)
        point = shapely.Point(x, y)
        places = places_in_address(address)
        found = self._containing(x, y, point)
        if found is None:
            location = self._outside_polygons(lon, lat, point, places.district, places.subdistrict)
        else:
            location = self._inside_polygon(found, point, places)
        if source_district:
            return self._source_side(location, point, source_district, places)
        return location

    def _source_side(
        self, location: Location, point: shapely.Point, source_district: str, places: AddressPlaces
    ) -> Location:
        """`location`, or the source's district when that is near the point."""
        wanted = normalise_district(source_district)
        if wanted == location.district:
            return location
        for i in self._by_name.get(wanted, []):
            if self.areas[i].province != location.province:
                continue
            distance = float(self._shapes[i].distance(point))
            if distance <= SOURCE_DISTRICT_M:
                near = self._tree.query(point, predicate="dwithin", distance=SOURCE_DISTRICT_M)
                return self._location(
                    i,
                    places.district,
                    places.subdistrict,
                    near_boundary=True,
                    method="source",
                    distance=distance,
                    neighbours=sorted(int(j) for j in near if int(j) != i),
                    point_district=location.district,
                )
        return location

    def _inside_polygon(self, found: int, point: shapely.Point, places: AddressPlaces) -> Location:
        near = bool(shapely.dwithin(self._edges[found], point, NEAR_BOUNDARY_M))
        neighbours: list[int] = []
        if near:
            nearby = self._tree.query(point, predicate="dwithin", distance=NEAR_BOUNDARY_M)
            neighbours = sorted(int(i) for i in nearby if int(i) != found)
        chosen, method = found, "polygon"
        if near and places.district and places.district != self.areas[found].name_th:
            # The address was geocoded from the same point with other boundary data; on a
            # border its side is as likely right as ours, and it is what the reporter saw.
            named = self._named(places.district, places.province, neighbours)
            if named is not None:
                chosen, method = named, "address"
        return self._location(
            chosen,
            places.district,
            places.subdistrict,
            near_boundary=near,
            method=method,
            distance=0.0 if chosen == found else float(self._shapes[chosen].distance(point)),
            neighbours=[i for i in [found, *neighbours] if i != chosen],
        )

    def _named(self, district: str, province: str, candidates: Sequence[int]) -> int | None:
        for i in candidates:
            area = self.areas[i]
            if area.name_th == district and (not province or area.province == province):
                return i
        return None

    def _outside_polygons(
        self, lon: float, lat: float, point: shapely.Point, district: str, subdistrict: str
    ) -> Location:
        """A point in no polygon: a gap between boundary files, the coast, or abroad."""
        close = self._tree.query(point, predicate="dwithin", distance=COAST_TOLERANCE_M)
        if close.size == 0:
            raise self._outside_error(lon, lat, point)
        close = np.sort(close)
        distances = shapely.distance(self._shapes[close], point)
        chosen = self._named(district, "", close.tolist()) if district else None
        method = "address" if chosen is not None else "nearest"
        if chosen is None:
            chosen = int(close[int(np.argmin(distances))])  # argmin: first of equals
        distance = float(distances[close.tolist().index(chosen)])
        return self._location(
            chosen,
            district,
            subdistrict,
            near_boundary=distance <= NEAR_BOUNDARY_M,
            method=method,
            distance=distance,
            neighbours=[int(i) for i in close if int(i) != chosen],
        )

    def _outside_error(self, lon: float, lat: float, point: shapely.Point) -> OutsideThailand:
        nearest, distance = self._tree.query_nearest(point, return_distance=True)
        area = self.areas[int(nearest[0])]
        message = (
            f"the point (lat {lat}, lon {lon}) is not in Thailand: it is "
            f"{float(distance[0]) / 1000:.1f} km from the nearest Thai district "
            f"({area.name_th}, {area.province})"
        )
        if self._swapped_inside(lon, lat):
            message += f"; lat and lon look swapped (lat {lon}, lon {lat} is in Thailand)"
        return OutsideThailand(message)

    def _swapped_inside(self, lon: float, lat: float) -> bool:
        try:
            check_point(lon, lat)
        except CoordinateError:
            return False
        return self.containing(lat, lon) is not None

    def _location(
        self,
        index: int,
        address_district: str,
        address_subdistrict: str,
        *,
        near_boundary: bool,
        method: str,
        distance: float,
        neighbours: Sequence[int],
        point_district: str = "",
    ) -> Location:
        area = self.areas[index]
        # The address's sub-district belongs to the address's district; keep it only when
        # that is the district decided here (or the address names no district).
        keep = not address_district or address_district == area.name_th
        return Location(
            district=area.name_th,
            district_en=area.name_en,
            province=area.province,
            province_code=area.province_code,
            area_code=area.code,
            subdistrict=address_subdistrict if keep else "",
            near_boundary=near_boundary,
            method=method,
            distance_m=distance,
            neighbours=tuple(dict.fromkeys(self.areas[i].name_th for i in neighbours)),
            point_district=point_district,
        )

    def distance_to(self, name: str, lon: float, lat: float, province: str = "") -> float | None:
        """Metres from the point to the area called `name` (0 inside it); None if none is."""
        indices = self._by_name.get(normalise_district(name), [])
        wanted = normalise_province(province) if province else ""
        for i in indices:
            if not wanted or self.areas[i].province == wanted:
                x, y = project_point(lon, lat)
                return float(self._shapes[i].distance(shapely.Point(x, y)))
        return None

    def find(self, name: str, province: str = "") -> AreaShape | None:
        """The area called `name` (any spelling normalise_district accepts), if one is."""
        indices = self._by_name.get(normalise_district(name), [])
        wanted = normalise_province(province) if province else ""
        for i in indices:
            if not wanted or self.areas[i].province == wanted:
                return self.areas[i]
        return None
