"""Recurring problems: the same kind of problem at the same place, re-reported or reopened.

A place is an H3 cell at resolution 9 (~175 m across, about a block). For each place and
category `insights_recurringplace` keeps the reports, reopenings and me-toos ever made; the
score is (reports + me-toos - 1) + 2 x reopenings, so one report scores 0, a second report
or a "me too" 1, a reopening 2. A place is listed from a score of 2 (say three reports, or a
report reopened once), most pressing first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import h3.api.basic_int as h3

from pracha.cases.models import Case
from pracha.insights.models import CaseFact, RecurringPlace
from pracha.insights.reports.labels import Label, category_labels, district_label
from pracha.insights.store.cube import ALL_CATEGORIES, UNCATEGORISED

MIN_SCORE = 2
MAX_LIMIT = 500
SAMPLE_TICKETS = 5


def recurring(
    *,
    category: str | None = None,
    district: str | None = None,
    active_from: date | None = None,
    active_to: date | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The most pressing recurring places (at most `limit`, up to MAX_LIMIT), with a few of
    their newest tickets."""
    top = _top_places(category, district, active_from, active_to, limit)
    if not top:
        return []
    found = _newest_cases(top)
    tickets = dict(
        Case.objects.filter(pk__in={i for ids in found.values() for i in ids}).values_list(
            "pk", "ticket_id"
        )
    )
    labels = category_labels()
    return [
        _place_row(place, labels.get(place.category), found[(place.cell, place.category)], tickets)
        for place in top
    ]


def _top_places(
    category: str | None,
    district: str | None,
    active_from: date | None,
    active_to: date | None,
    limit: int,
) -> list[RecurringPlace]:
    """Places of one real category scoring MIN_SCORE or more, active in the period."""
    places = RecurringPlace.objects.filter(score__gte=MIN_SCORE).exclude(
        category__in=[ALL_CATEGORIES, UNCATEGORISED]
    )
    if category:
        places = places.filter(category=category)
    if district:
        places = places.filter(district=district)
    if active_from:
        places = places.filter(last_day__gte=active_from.toordinal())
    if active_to:
        places = places.filter(first_day__lte=active_to.toordinal())
    return list(places.order_by("-score", "-last_day", "cell")[: max(1, min(limit, MAX_LIMIT))])


def _newest_cases(top: list[RecurringPlace]) -> dict[tuple[int, str], list[int]]:
    """The ids of the SAMPLE_TICKETS newest cases at each (cell, category)."""
    found: dict[tuple[int, str], list[int]] = {}
    for place in top:
        newest = CaseFact.objects.filter(cell9=place.cell, category=place.category)
        found[(place.cell, place.category)] = list(
            newest.order_by("-day").values_list("case_id", flat=True)[:SAMPLE_TICKETS]
        )
    return found


def _place_row(
    place: RecurringPlace, label: Label | None, case_ids: list[int], tickets: dict[int, str]
) -> dict[str, Any]:
    """One recurring place as the API and the dashboard show it."""
    lat, lon = h3.cell_to_latlng(place.cell)
    return {
        "cell": h3.int_to_str(place.cell),
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "category": place.category,
        "category_th": label.name_th if label else place.category,
        "category_en": label.name_en if label else place.category,
        "district": place.district,
        "district_en": district_label(place.district).name_en,
        "reported": place.reported,
        "open": place.open,
        "reopened": place.reopened,
        "reopen_events": place.reopen_events,
        "me_too": place.me_too,
        "first_reported": date.fromordinal(place.first_day).isoformat(),
        "last_reported": date.fromordinal(place.last_day).isoformat(),
        "score": place.score,
        "tickets": [tickets[i] for i in case_ids if i in tickets],
    }
