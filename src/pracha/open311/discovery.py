"""The Open311 service discovery document (/open311/discovery.xml and .json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from pracha.open311.definitions import DEFINITIONS_FILE
from pracha.taxonomy.categories import TAXONOMY_FILE

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def changeset() -> str:
    """When the services or their definitions last changed (clients refresh caches on it)."""
    latest = max(TAXONOMY_FILE.stat().st_mtime, DEFINITIONS_FILE.stat().st_mtime)
    return datetime.fromtimestamp(latest, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def discovery_dict(endpoint_url: str) -> dict[str, Any]:
    stamp = changeset()
    return {
        "changeset": stamp,
        "contact": (
            f"Pracha for {settings.PRACHA.open311_jurisdiction}: {settings.PRACHA.base_url}/"
        ),
        "key_service": (
            "Reading is open to everyone. To file requests, ask the administrators for an "
            "api_key (they issue one with `pracha apikey create NAME`)."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": stamp,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
