"""Finding cases: the filters shared by the API, pages and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from pracha.agencies.models import Agency
from pracha.agencies.services import AgencyError, resolve_agency
from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.lookup import canonical_ticket_id
from pracha.cases.models import Case, CaseKind, Category, Event
from pracha.cases.searchtext import fold
from pracha.states import CLOSED_STATES, OPEN_STATES, State, state_from_traffy
from pracha.taxonomy.categories import category_code
from pracha.thaitext import normalise_district

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000
MAX_FILTER_CHARS = 200
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


def _filter_text(value: str | None, field: str) -> str:
    """A filter value, stripped; refused when it could not be a name (NUL, far too long)."""
    text = (value or "").strip()
    if "\x00" in text or len(text) > MAX_FILTER_CHARS:
        raise InvalidInput(
            f"{field} must be at most {MAX_FILTER_CHARS} characters of text", field=field
        )
    return text


def raw_text_scope(agency: Agency) -> Q:
    """Cases whose unmasked text `agency`'s officers may search: only those it is responsible
    for. An invited helper reads a case's text but searches, like the public, the masked text:
    search must never be a way to probe personal data for anyone but the responsible agency."""
    return Q(agency=agency)


def text_match(text: str, raw_scope: Q | None = None) -> Q:
    """Cases whose ticket id is `text` (with or without its "2023-" prefix), or whose public
    (masked) text contains it; inside `raw_scope` also those whose raw text contains it.

    Public search never reads the raw description: a query could then match characters the
    public never sees, and growing it one character at a time rebuilds a hidden phone number.
    """
    match = (
        Q(ticket_id__iexact=text)
        | Q(ticket_id__iendswith=f"-{text}")
        | Q(search_text__icontains=fold(text))
    )
    if raw_scope is not None:
        match |= raw_scope & (Q(description__icontains=text) | Q(address__icontains=text))
    return match


def filter_cases(
    f: CaseFilter, base: QuerySet[Case] | None = None, *, raw_scope: Q | None = None
) -> QuerySet[Case]:
    """Cases matching `f`. `q` searches the masked text only, except inside `raw_scope`
    (`Q()` for all of `base`): cases whose officers may read the text unmasked."""
    cases = Case.objects.all() if base is None else base
    if state := _filter_text(f.state, "state"):
        states = parse_states(state)
        if states:  # "state= , " names no state: no filter rather than no cases
            cases = cases.filter(state__in=states)
    if category := _filter_text(f.category, "category"):
        code = category_code(category)
        if code is None:
            raise InvalidInput(
                f"unknown category {category!r}; GET /api/v1/categories lists them",
                field="category",
            )
        cases = cases.filter(categories__code=code)
    if district := _filter_text(f.district, "district"):
        cases = cases.filter(district=normalise_district(district))
    if agency := _filter_text(f.agency, "agency"):
        try:
            cases = cases.filter(agency=resolve_agency(agency))
        except AgencyError as exc:
            raise InvalidInput(str(exc), field="agency") from exc
    if text := _filter_text(f.q, "q"):
        cases = cases.filter(text_match(text, raw_scope))
    return cases


def with_related(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("agency", "triage").prefetch_related(
        "categories", "co_agencies", "photos"
    )


def page(
    cases: QuerySet[Case], limit: int, offset: int, order: str = "-created_at"
) -> tuple[list[Case], int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be from 1 to {MAX_LIMIT}", field="limit")
    if not 0 <= offset <= MAX_OFFSET:
        # Databases refuse offsets past a 64-bit integer; no list is that long anyway.
        raise InvalidInput(f"offset must be from 0 to {MAX_OFFSET}", field="offset")
    if order not in ORDERINGS:
        raise InvalidInput(f"order must be one of {', '.join(ORDERINGS)}", field="order")
    count = cases.count()
    items = list(with_related(cases.order_by(*ORDERINGS[order]))[offset : offset + limit])
    return items, count


def private_cases_of(agency: Agency) -> QuerySet[Case]:
    """The service requests `agency` works on: never public, only in its own inbox."""
    return Case.all_kinds.exclude(kind=CaseKind.REPORT).visible_to_agency(agency)


def prime_new_case(case: Case, categories: list[Category], events: list[Event]) -> Case:
    """Fill a just-created case's related caches from the objects its creator holds, as
    `get_case(..., with_timeline=True)` would read them: a report filed is answered without
    reading it back. Only for a case nothing else has changed since (no co-agencies, no
    photos); `events` are all its events."""
    prime_related(case, "categories", sorted(categories, key=lambda c: (c.sort_order, c.code)))
    prime_related(case, "co_agencies", [])
    prime_related(case, "photos", [])
    case.timeline = sorted(  # type: ignore[attr-defined]
        (e for e in events if e.is_public), key=lambda e: (e.at, e.pk)
    )
    return case


def prime_related(case: Case, name: str, objects: list[Any]) -> None:
    """Hold `objects` as what `case.<name>.all()` returns, as prefetch_related would (in the
    order the relation's model is ordered by), so reading them makes no query."""
    cache = case.__dict__.setdefault("_prefetched_objects_cache", {})
    related = getattr(case, name).all()
    related._result_cache, related._prefetch_done = objects, True
    cache[name] = related


def is_primed(case: Case) -> bool:
    return hasattr(case, "timeline") and hasattr(case, "_prefetched_objects_cache")


def get_case(
    ticket_id: str,
    *,
    with_timeline: bool = False,
    staff: bool = False,
    agency: Agency | None = None,
) -> Case:
    """A public report; with `agency` (an officer's), also a service request it works on.
    Anyone else asking for a service request gets NotFound, as for no case at all."""
    if agency is not None:
        private = private_cases_of(agency).filter(ticket_id=ticket_id.strip())
        if private.exists():
            return _one(private, ticket_id, with_timeline=with_timeline, staff=staff)
    # Either form people copy (`2023-GHA47R` or `GHA47R`); see cases/lookup.py.
    ticket_id = canonical_ticket_id(ticket_id)
    return _one(Case.objects.filter(ticket_id=ticket_id), ticket_id, with_timeline, staff)


def _one(cases: QuerySet[Case], ticket_id: str, with_timeline: bool, staff: bool) -> Case:
    cases = with_related(cases)
    if with_timeline:
        # agency and actor's officer: who acted, as the public timeline names them.
        events = Event.objects.select_related(
            "from_agency", "to_agency", "photo", "agency", "actor__officer__agency"
        )
        if not staff:
            events = events.filter(is_public=True)
        cases = cases.prefetch_related(Prefetch("events", queryset=events, to_attr="timeline"))
    case = cases.first()
    if case is None:
        raise NotFound(f"no case {ticket_id!r}")
    return case
