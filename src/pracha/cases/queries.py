"""Finding cases: the filters shared by the API, pages and exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from pracha.agencies.services import AgencyError, resolve_agency
from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.models import Case, Category, Event
from pracha.cases.states import CLOSED_STATES, OPEN_STATES, State, state_from_traffy
from pracha.cases.taxonomy import category_code
from pracha.geo.names import normalise_district

MAX_LIMIT = 200
ORDERINGS = {
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}


@dataclass
class CaseFilter:
    state: str | None = None
    category: str | None = None
    district: str | None = None
    agency: str | None = None
    q: str | None = None


def parse_states(raw: str) -> set[str]:
    """`done`, `เสร็จสิ้น`, `open`, `closed`, or several joined by commas."""
    states: set[str] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        if part == "open":
            states |= {s.value for s in OPEN_STATES}
        elif part == "closed":
            states |= {s.value for s in CLOSED_STATES}
        elif part in State.values:
            states.add(part)
        elif (mapped := state_from_traffy(part)) is not None:
            states.add(mapped.value)
        else:
            raise InvalidInput(
                f"unknown state {part!r}; use one of {', '.join(State.values)}, open, closed",
                field="state",
            )
    return states


def filter_cases(f: CaseFilter, base: object | None = None) -> object:
    cases = Case.objects.all() if base is None else base
    if f.state:
        cases = cases.filter(state__in=parse_states(f.state))
    if f.category:
        code = category_code(f.category)
        if code is None:
            raise InvalidInput(f"unknown category {f.category!r}", field="category")
        category = Category.objects.filter(code=code).first()
        cases = cases.filter(categories=category)
    if f.district:
        cases = cases.filter(district=normalise_district(f.district))
    if f.agency:
        try:
            cases = cases.filter(agency=resolve_agency(f.agency))
        except AgencyError as exc:
            raise InvalidInput(str(exc), field="agency") from exc
    if f.q:
        text = f.q.strip()
        if "\x00" in text or len(text) > 200:
            raise InvalidInput("q must be at most 200 characters of text", field="q")
        if text:
            cases = cases.filter(
                Q(ticket_id__iexact=text)
                | Q(description__icontains=text)
                | Q(address__icontains=text)
            )
    return cases


def with_related(cases: object) -> object:
    return cases.select_related("agency").prefetch_related("categories", "co_agencies", "photos")


def page(
    cases: object, limit: int, offset: int, order: str = "-created_at"
) -> tuple[list[Case], int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be from 1 to {MAX_LIMIT}", field="limit")
    if offset < 0:
        raise InvalidInput("offset must not be negative", field="offset")
    if order not in ORDERINGS:
        raise InvalidInput(f"order must be one of {', '.join(ORDERINGS)}", field="order")
    count = cases.count()
    items = list(with_related(cases.order_by(*ORDERINGS[order]))[offset : offset + limit])
    return items, count


def get_case(ticket_id: str, *, with_timeline: bool = False, staff: bool = False) -> Case:
    ticket_id = (ticket_id or "").strip().upper()
    if not ticket_id or len(ticket_id) > 32:
        raise NotFound(f"no case {ticket_id[:40]!r}")
    cases = with_related(Case.objects.filter(ticket_id=ticket_id))
    if with_timeline:
        events = Event.objects.select_related("from_agency", "to_agency", "photo")
        if not staff:
            events = events.filter(is_public=True)
        cases = cases.prefetch_related(Prefetch("events", queryset=events, to_attr="timeline"))
    case = cases.first()
    if case is None:
        raise NotFound(f"no case {ticket_id!r}")
    return case
