"""An agency's inbox: its cases and the ones it was invited to, filtered and sorted by age."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import QueryDict

from pracha.agencies.models import Officer
from pracha.cases.errors import NotFound
from pracha.cases.lookup import canonical_ticket_id
from pracha.cases.models import Case
from pracha.cases.queries import CaseFilter, filter_cases, raw_text_scope
from pracha.states import OPEN_STATES
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


def invited_cases(officer: Officer) -> QuerySet[Case]:
    """Cases the officer's agency was invited to help with but is not responsible for."""
    return Case.all_kinds.filter(co_agencies=officer.agency).exclude(agency=officer.agency)


def ticket_in_inbox(officer: Officer, q: str) -> Case | None:
    """The inbox case whose ticket id (full `2023-GHA47R` or short `GHA47R`) is `q`, if any:
    a ticket id typed in the search box finds its case whatever the filters say."""
    visible = Case.all_kinds.visible_to_agency(officer.agency)
    try:
        ticket_id = canonical_ticket_id(q, visible)
    except NotFound:  # not an id, no such case, or a short id several years share
        return None
    return visible.filter(ticket_id=ticket_id).first()


def ticket_elsewhere(officer: Officer, q: str) -> Case | None:
    """The case `q` names by its ticket id when it is another agency's: the inbox then links
    to it (officers may read any case) instead of answering "no cases"."""
    if not q:
        return None
    try:
        ticket_id = canonical_ticket_id(q)
    except NotFound:
        return None
    case = Case.objects.select_related("agency").filter(ticket_id=ticket_id).first()
    if case is None or Case.objects.visible_to_agency(officer.agency).filter(pk=case.pk).exists():
        return None
    return case


def inbox_cases(officer: Officer, query: InboxQuery) -> QuerySet[Case]:
    """Raises InvalidInput for a filter naming nothing (an unknown category or state)."""
    if query.q and (case := ticket_in_inbox(officer, query.q)):
        return Case.all_kinds.filter(pk=case.pk)
    if query.shared:
        base = invited_cases(officer)
    else:
        # The inbox also holds the service requests (life-event steps) sent to the agency.
        base = Case.all_kinds.visible_to_agency(officer.agency)
    state = "" if query.state == "all" else query.state
    return filter_cases(
        CaseFilter(state=state, category=query.category, district=query.district, q=query.q),
        base,
        raw_scope=raw_text_scope(officer.agency),
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
            Case.all_kinds.filter(agency=officer.agency)
            .order_by()
            .values("state")
            .annotate(n=Count("pk"))
        )
        counts = {row["state"]: row["n"] for row in rows}
        cache.set(key, counts, STATE_COUNT_SECONDS)
    return counts


def invited_count(officer: Officer) -> int:
    """Open cases the agency helps with (the "Invited" tab), kept as long as the state counts."""
    key = f"pracha.web.invited-count.{officer.agency_id}"
    count = cache.get(key)
    if not isinstance(count, int):
        count = invited_cases(officer).filter(state__in=OPEN_STATES).count()
        cache.set(key, count, STATE_COUNT_SECONDS)
    return count


@dataclass
class HiddenMatches:
    """Cases a search matches that the current filters (state, invited-only) hide."""

    count: int
    more: bool  # more than `count` (the count was capped)
    closed: bool  # the default "open" filter hid them, so every one of them is closed
    href: str  # the inbox address that shows them


def hidden_matches(officer: Officer, query: InboxQuery, shown: int) -> HiddenMatches | None:
    """For a search, how many more cases match in every state and not only invited ones
    (category and district, which the officer chose, still apply). None when nothing is hidden.
    """
    if not query.q or (query.state == "all" and not query.shared):
        return None
    wider = InboxQuery(
        state="all", category=query.category, district=query.district, q=query.q, sort=query.sort
    )
    total, more = capped_count(inbox_cases(officer, wider))
    if total <= shown and not more:
        return None
    # The current results are a subset of the wider ones; under "all open" the rest are closed.
    closed = query.state == DEFAULT_STATE and not query.shared
    return HiddenMatches(total - shown, more, closed, "?" + urlencode(as_params(wider)))


def as_params(query: InboxQuery) -> dict[str, Any]:
    return {k: v for k, v in query.__dict__.items() if v}
