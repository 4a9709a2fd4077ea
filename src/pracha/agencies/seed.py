"""Agencies every installation needs: the city itself, which receives unrouted reports."""

from __future__ import annotations

from typing import Any

ROOT_AGENCY = {
    "code": "bma",
    "name_th": "กรุงเทพมหานคร",
    "name_en": "Bangkok Metropolitan Administration",
    "kind": "city",
}


def ensure_root_agency(**_: Any) -> None:
    from pracha.agencies.models import Agency

    Agency.objects.get_or_create(
        code=ROOT_AGENCY["code"],
        defaults={k: v for k, v in ROOT_AGENCY.items() if k != "code"},
    )
