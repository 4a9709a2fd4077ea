"""Finding proposals for the public list: filters, sorting, paging."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from pracha.cases.errors import InvalidInput
from pracha.proposals.models import Proposal, State
from pracha.taxonomy.categories import category_code
from pracha.thaitext import normalise_district

SORTS = {
    "supports": ("-supports", "-created_at", "-pk"),
    "new": ("-created_at", "-pk"),
    "closing": ("closes_at", "pk"),
}
MAX_LIMIT = 100


@dataclass(frozen=True)
class Filters:
    state: str = ""
    district: str = ""
    category: str = ""
    sort: str = "supports"


def check_filters(filters: Filters) -> Filters:
    if filters.state and filters.state not in State.values:
        raise InvalidInput(f"state must be one of {', '.join(State.values)}", field="state")
    if filters.sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}", field="sort")
    category = ""
    if filters.category:
        code = category_code(filters.category)
        if code is None:
            raise InvalidInput(f"unknown category {filters.category[:60]!r}", field="category")
        category = code
    district = normalise_district(filters.district) if filters.district else ""
    return Filters(filters.state, district, category, filters.sort)


def find_proposals(filters: Filters) -> QuerySet[Proposal]:
    """Visible proposals matching the (checked) filters, sorted."""
    rows = Proposal.objects.filter(hidden_at__isnull=True).select_related("agency")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.district:
        rows = rows.filter(district=filters.district)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.sort == "closing" and not filters.state:
        rows = rows.filter(state=State.PUBLISHED)  # only those still open can close
    return rows.order_by(*SORTS[filters.sort])
