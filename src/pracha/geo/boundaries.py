"""District boundaries read from the GeoJSON files shipped in `data/geo/`.

Two files: Bangkok's 50 districts from the city's GIS (fine, recent lines) and all 928 Thai
districts (coarser). Bangkok's districts come from the first; the rest of Thailand from the
second. Each file's property names are described by a `BoundaryFormat`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape

from pracha.thaitext import normalise_district, normalise_province

BANGKOK_FILE = "bangkok-districts.geojson"
THAILAND_FILE = "thailand-districts.geojson"
BANGKOK_PROVINCE_CODE = "10"
BANGKOK = "กรุงเทพมหานคร"


class BoundaryFileError(Exception):
    """A boundary file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class AreaShape:
    """One district: names, codes and its outline in longitude/latitude (WGS84)."""

    code: str
    name_th: str  # normalised (no "เขต"/"อำเภอ" prefix, official spelling)
    name_en: str
    province: str
    province_code: str
    geometry: shapely.Geometry
    kind: str = "district"


@dataclass(frozen=True)
class BoundaryFormat:
    name: str
    code: str
    name_th: str
    name_en: str
    province: str | None  # property with the province's Thai name; None: a fixed province
    province_code: str | None


BANGKOK_FORMAT = BoundaryFormat("bangkok", "dcode", "dname", "dname_e", None, None)
THAILAND_FORMAT = BoundaryFormat("thailand", "amp_code", "amp_th", "amp_en", "pro_th", "pro_code")


def _text(props: dict[str, object], key: str | None) -> str:
    value = props.get(key) if key else None
    return "" if value is None else str(value).strip()


def read_boundary_file(path: Path, fmt: BoundaryFormat) -> list[AreaShape]:
    """Every feature of a GeoJSON FeatureCollection as an AreaShape (invalid rings repaired)."""
    try:
        with path.open(encoding="utf-8") as fh:
            collection = json.load(fh)
    except (OSError, ValueError) as exc:
        raise BoundaryFileError(f"{path}: cannot read GeoJSON ({exc})") from exc
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise BoundaryFileError(f"{path}: not a GeoJSON FeatureCollection with features")
    areas: list[AreaShape] = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        code, name = _text(props, fmt.code), _text(props, fmt.name_th)
        if not code or not name:
            raise BoundaryFileError(
                f"{path}: feature {number} lacks {fmt.code!r} or {fmt.name_th!r}"
            )
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BoundaryFileError(f"{path}: feature {number} ({name}) has no geometry") from exc
        if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
            raise BoundaryFileError(f"{path}: {name} is a {geometry.geom_type}, not a polygon")
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        province_code = _text(props, fmt.province_code) or code[:2]
        province = _text(props, fmt.province) if fmt.province else ""
        if not province and province_code == BANGKOK_PROVINCE_CODE:
            province = BANGKOK
        areas.append(
            AreaShape(
                code=code,
                name_th=normalise_district(name),
                name_en=_text(props, fmt.name_en),
                province=normalise_province(province),
                province_code=province_code,
                geometry=geometry,
            )
        )
    return areas


def combine(bangkok: list[AreaShape], thailand: list[AreaShape]) -> list[AreaShape]:
    """Bangkok's fine districts, then every other province's from the national file."""
    return bangkok + [a for a in thailand if a.province_code != BANGKOK_PROVINCE_CODE]


def shipped_areas(data_dir: Path) -> list[AreaShape]:
    """The districts of `data/geo/` (928: 50 in Bangkok from the city file, 878 elsewhere)."""
    geo = data_dir / "geo"
    return combine(
        read_boundary_file(geo / BANGKOK_FILE, BANGKOK_FORMAT),
        read_boundary_file(geo / THAILAND_FILE, THAILAND_FORMAT),
    )
