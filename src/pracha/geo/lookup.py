"""The process-wide area index: built lazily, once, and rebuilt only when the boundaries change.

With a database, the active generation's areas are used (checked at most once a minute, so a
generation switched on elsewhere is picked up without a restart); without one, or while no
generation has been loaded, the files shipped in data/geo/. `shipped_index()` never touches
the database (the batch `pracha triage` command relies on that).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError

from pracha.geo.boundaries import AreaShape, shipped_areas
from pracha.geo.index import AreaIndex, Location
from pracha.geo.models import Area, Generation

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0

_lock = threading.Lock()
_shipped: AreaIndex | None = None
_generation_index: tuple[int, AreaIndex] | None = None
_generation_checked: tuple[float, int | None] | None = None


def shipped_index() -> AreaIndex:
    """The index of the boundary files in data/geo/ (no database access)."""
    global _shipped
    if _shipped is None:
        with _lock:
            if _shipped is None:
                started = time.perf_counter()
                _shipped = AreaIndex(shipped_areas(settings.PRACHA.data_dir), label="data/geo")
                logger.info(
                    "area index: %d districts from data/geo in %.2f s",
                    len(_shipped),
                    time.perf_counter() - started,
                )
    return _shipped


def generation_in_use() -> int | None:
    """Id of the active boundary generation (cached for REFRESH_SECONDS); None if none."""
    global _generation_checked
    now = time.monotonic()
    if _generation_checked is not None and now - _generation_checked[0] < REFRESH_SECONDS:
        return _generation_checked[1]
    try:
        active = Generation.objects.active()
    except DatabaseError:  # no database, or not migrated: the shipped files still answer
        active = None
    _generation_checked = (now, active.pk if active else None)
    return _generation_checked[1]


def _index_of_generation(generation_id: int) -> AreaIndex:
    global _generation_index
    cached = _generation_index
    if cached is not None and cached[0] == generation_id:
        return cached[1]
    with _lock:
        areas = [
            AreaShape(
                code=a.code,
                name_th=a.name_th,
                name_en=a.name_en,
                province=a.province,
                province_code=a.province_code,
                geometry=a.shape,
                kind=a.kind,
            )
            # Bangkok's areas first: where polygons overlap, the first one wins.
            for a in Area.objects.filter(
                generation_id=generation_id, kind=Area.Kind.DISTRICT
            ).order_by("id")
        ]
        index = AreaIndex(areas, label=f"generation {generation_id}")
        _generation_index = (generation_id, index)
        return index


def current_index() -> AreaIndex:
    generation = generation_in_use()
    if generation is None:
        return shipped_index()
    return _index_of_generation(generation)


def locate(lon: float, lat: float, address: str | None = None) -> Location:
    """The district of a point (see AreaIndex.locate); raises CoordinateError / OutsideThailand."""
    return current_index().locate(lon, lat, address)


def forget_generation() -> None:
    """Look the active generation up again on the next lookup (after switching generations)."""
    global _generation_checked, _generation_index
    with _lock:
        _generation_checked = None
        _generation_index = None
