"""Agencies every installation starts with: the city (which receives unrouted reports), its
departments and the utilities Bangkok's reports are most often sent to (known_agencies.csv)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pracha.agencies.models import Agency
from pracha.geo.english import district_office_name_en

KNOWN_AGENCIES = Path(__file__).with_name("known_agencies.csv")


def ensure_known_agencies(**_: Any) -> None:
    """Create the known agencies, or give existing ones (e.g. from an import) their code."""
    with KNOWN_AGENCIES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_name = {
        a.name_th: a for a in Agency.objects.filter(name_th__in=[r["name_th"] for r in rows])
    }
    for row in rows:
        agency = by_name.get(row["name_th"]) or Agency.objects.filter(code=row["code"]).first()
        parent = by_name.get(row["parent"]) if row["parent"] else None
        if agency is None:
            agency = Agency(name_th=row["name_th"])
        agency.code, agency.name_en, agency.kind = row["code"], row["name_en"], row["kind"]
        agency.parent = parent or agency.parent
        agency.save()
        by_name[row["name_th"]] = agency


def name_district_offices(**_: Any) -> None:
    """post_migrate: district offices without an English name get their district's official
    one (`Chatu Chak District Office`), so installations that imported them in Thai only have
    English pages that say where a case went. Names an administrator wrote are kept."""
    offices = Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE, name_en="")
    for agency in offices.exclude(district=""):
        if english := district_office_name_en(agency.district):
            Agency.objects.filter(pk=agency.pk).update(name_en=english)
