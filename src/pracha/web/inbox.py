"""An agency's inbox: its cases and the ones it was invited to, filtered and sorted by age."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from pracha.agencies.models import Officer
from pracha.cases.models import Case
from pracha.cases.queries import CaseFilter, filter_cases
from pracha.web.listing import Page, capped_count, keyset_page

PAGE_SIZE = 25
# sort key -> (field, descending); "oldest" first puts the longest-waiting cases on top.
SORTS = {
    "oldest": ("created_at", False),
    "newest": ("created_at", True),
    "updated": ("updated_at", True),
}
DEFAULT_SORT = "oldest"
DEFAULT_STATE = "open"
STATE_COUNT_SECONDS = 30


@dataclass
class InboxQuery:
    state: str = DEFAULT_STATE
    category: str = ""
    district: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT
    shared: str = ""  # "1": only cases other agencies invited us to

    @classmethod
    def from_params(cls, params: QueryDict) -> InboxQuery:
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            state=params.get("state", DEFAULT_STATE).strip(),
            category=params.get("category", "").strip(),
            district=params.get("district", "").strip(),
            q=params.get("q", "").strip(),
            sort=sort if sort in SORTS else DEFAULT_SORT,
            shared="1" if params.get("shared") == "1" else "",
        )


def inbox_cases(officer: Officer, query: InboxQuery) -> QuerySet[Case]:
    """Raises InvalidInput for a filter naming nothing (an unknown category or state)."""
    if query.shared:
        base = Case.objects.filter(co_agencies=officer.agency)
    else:
        base = Case.objects.visible_to_agency(officer.agency)
    state = "" if query.state == "all" else query.state
    return filter_cases(
        CaseFilter(state=state, category=query.category, district=query.district, q=query.q),
        base,
        raw_scope=Q(),  # the base holds only cases this officer may read unmasked
    )


def inbox_page(cases: QuerySet[Case], query: InboxQuery, params: QueryDict) -> Page:
    field, descending = SORTS[query.sort]
    return keyset_page(
        cases.select_related("agency").prefetch_related("categories", "co_agencies"),
        field=field,
        descending=descending,
        after=params.get("after"),
        before=params.get("before"),
        size=PAGE_SIZE,
    )


def inbox_total(cases: QuerySet[Case]) -> tuple[int, bool]:
    return capped_count(cases)


def state_counts(officer: Officer) -> dict[str, int]:
    """Cases the agency is responsible for, per state (one grouped count on an index).

    A large agency holds many thousands of cases; the counts are kept for half a minute so
    paging through the inbox does not count them all again on every page.
    """
    key = f"pracha.web.state-counts.{officer.agency_id}"
    counts = cache.get(key)
    if not isinstance(counts, dict):
        rows = (
            Case.objects.filter(agency=officer.agency)
            .order_by()
            .values("state")
            .annotate(n=Count("pk"))
        )
        counts = {row["state"]: row["n"] for row in rows}
        cache.set(key, counts, STATE_COUNT_SECONDS)
    return counts


def as_params(query: InboxQuery) -> dict[str, Any]:
    return {k: v for k, v in query.__dict__.items() if v}
