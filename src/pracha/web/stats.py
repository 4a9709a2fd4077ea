"""Headline numbers for the home page, computed in one query and cached for a few minutes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db.models import Avg, Count, Q

from pracha.cases.models import Case
from pracha.states import CLOSED_STATES, State

CACHE_KEY = "pracha.web.headline"
# Minutes-old numbers are fine on a home page; the count walks the whole table.
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Headline:
    total: int
    open: int
    done: int
    average_stars: float | None


def headline() -> Headline:
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, dict):
        return Headline(**cached)
    row = Case.objects.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(state__in=CLOSED_STATES)),
        done=Count("pk", filter=Q(state=State.DONE)),
        average_stars=Avg("stars"),
    )
    stars = row["average_stars"]
    numbers = Headline(
        total=row["total"],
        open=row["open"],
        done=row["done"],
        average_stars=round(float(stars), 1) if stars is not None else None,
    )
    cache.set(CACHE_KEY, asdict(numbers), CACHE_SECONDS)
    return numbers
