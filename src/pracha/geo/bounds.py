"""Coordinate checks that need no boundary data."""

from __future__ import annotations

import math

# Thailand's extent with a small margin (its land and islands span about 97.35-105.64 E,
# 5.61-20.46 N). The district polygons give the exact answer; this is the first cheap gate.
THAILAND_BBOX = (97.2, 5.5, 105.8, 20.6)


class CoordinateError(ValueError):
    """Coordinates that are not a usable point; the message says why."""


def in_bbox(lat: float, lon: float) -> bool:
    west, south, east, north = THAILAND_BBOX
    return west <= lon <= east and south <= lat <= north


def check_point(lat: float, lon: float) -> None:
    for name, value in (("lat", lat), ("lon", lon)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise CoordinateError(f"{name} must be a number")
        if not math.isfinite(value):
            raise CoordinateError(f"{name} must be a finite number")
    # Thai longitudes (97-106) are out of range as latitudes: the usual sign of a swap.
    swapped = in_bbox(lon, lat)
    hint = f"; lat and lon look swapped (lat {lon}, lon {lat} is in Thailand)" if swapped else ""
    for name, value, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if abs(value) > limit:
            raise CoordinateError(f"{name} {value} is out of range (-{limit:g} to {limit:g}){hint}")
    if not in_bbox(lat, lon):
        raise CoordinateError(
            f"the point (lat {lat}, lon {lon}) is outside Thailand; "
            + ("lat and lon look swapped" if swapped else "check that lat and lon are not swapped")
        )
