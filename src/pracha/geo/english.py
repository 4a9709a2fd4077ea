"""Bangkok's 50 districts in English, spelt one way everywhere: pages, agency names, the
dashboard and open data.

The names are the BMA boundary file's (data/geo/bangkok-districts.geojson, `dname_e`, as the
geo areas store them and the insights filters accept them), with each word capitalised
("Thon buri" -> "Thon Buri"). So `จตุจักร` is "Chatu Chak" and its office "Chatu Chak District
Office" on every page; a different spelling would need the boundary file and the stored areas
changed with it, or English filter values would stop matching.
"""

from __future__ import annotations

import json
from functools import cache

from django.conf import settings

from pracha.thaitext import normalise_district

BOUNDARY_FILE = "bangkok-districts.geojson"


def official_spelling(name: str) -> str:
    """`Thon  buri` -> `Thon Buri`: spaces folded, each word capitalised (as insights did)."""
    return " ".join(word[:1].upper() + word[1:] for word in (name or "").split())


@cache
def bangkok_districts_en() -> dict[str, str]:
    """Normalised Thai district name -> official English name; empty without the file."""
    path = settings.PRACHA.data_dir / "geo" / BOUNDARY_FILE
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError):
        return {}
    names: dict[str, str] = {}
    for feature in features:
        props = feature.get("properties") or {}
        if props.get("dname"):
            names[normalise_district(str(props["dname"]))] = official_spelling(
                str(props.get("dname_e") or "")
            )
    return dict(sorted(names.items()))


def district_office_name_en(district: str) -> str:
    """`จตุจักร` -> `Chatu Chak District Office`; empty for a district outside Bangkok."""
    english = bangkok_districts_en().get(normalise_district(district))
    return f"{english} District Office" if english else ""
