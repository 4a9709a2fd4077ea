"""Triage suggestions for the report form: category, district, agency, and similar reports.

They come from pracha.triage. The form never depends on them: when triage has no model yet or
refuses the input, there is simply nothing to suggest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.utils import timezone

from pracha.cases.errors import DomainError
from pracha.cases.models import Category
from pracha.intake.triage import check_triage, suggest_categories
from pracha.triage.duplicates import find_duplicates

log = logging.getLogger(__name__)

MIN_TEXT = 8  # characters before guessing a category is worth it


@dataclass
class Suggestions:
    categories: list[Category] = field(default_factory=list)
    district: str = ""
    agency: str = ""
    similar: list[dict[str, object]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.categories or self.district or self.agency or self.similar)


def _categories(codes: list[str]) -> list[Category]:
    by_code = Category.objects.in_bulk(codes, field_name="code")
    return [by_code[c] for c in codes if c in by_code]


def suggest_from_text(description: str) -> Suggestions:
    """Categories from the text alone: shown as soon as there is enough of it, before a pin."""
    if len(description.strip()) < MIN_TEXT:
        return Suggestions()
    try:
        return Suggestions(categories=_categories(suggest_categories(description)))
    except Exception:  # triage is advice: a fault in it must not stop anyone reporting
        log.exception("triage suggestions failed")
        return Suggestions()


def suggest(description: str, lat: float | None, lon: float | None, address: str) -> Suggestions:
    """Categories from the text; with a pin also the district, the likely agency and similar
    reports nearby."""
    if lat is None or lon is None:
        return suggest_from_text(description)
    found = Suggestions()
    try:
        result = check_triage(description, lat, lon, address, [])
        codes: list[str] = []
        if result is not None:
            codes = (
                list(result.suggested or result.categories) if len(description) >= MIN_TEXT else []
            )
            found.district = result.place.district
            found.agency = result.decision.agency_name
        found.categories = _categories(codes)
        for candidate in find_duplicates(
            lat=lat, lon=lon, text=description, categories=codes, at=timezone.now()
        ):
            found.similar.append(
                {
                    "ticket_id": candidate.ticket_id,
                    "state": candidate.state,
                    "distance_m": round(candidate.distance_m),
                }
            )
    except DomainError:
        return Suggestions()
    except Exception:  # triage is advice: a fault in it must not stop anyone reporting
        log.exception("triage suggestions failed")
        return Suggestions()
    return found
