"""GET requests: the specification's filters and its default window (90 days, 1,000 requests).

- `service_request_id`: comma-delimited ids; overrides every other filter.
- `service_code`, `status`: comma-delimited (status: open, closed).
- `start_date`, `end_date`: W3C datetimes on requested_datetime, at most 90 days apart; with
  one of them the window is the 90 days after the start or before the end; with neither,
  the most recent 90 days. Dates must lie in 1970-2100.
- `page`, `page_size` (the most widely implemented extension): pages of at most 1,000.

Requests come newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from pracha.cases.errors import InvalidInput
from pracha.cases.lookup import stored_ticket_ids
from pracha.cases.models import Case, Category
from pracha.open311.formats import parse_w3c
from pracha.states import CLOSED_STATES

WINDOW = timedelta(days=90)
# Dates outside these years are typing mistakes or probes; refusing them also keeps the
# 90-day window arithmetic inside the years Python can represent (0001-9999).
EARLIEST = date(1970, 1, 1)
LATEST = date(2100, 12, 31)
MAX_REQUESTS = 1000
MAX_IDS = 1000


@dataclass(frozen=True)
class RequestQuery:
    ids: list[str] | None
    service_codes: list[str]
    statuses: list[str]
    start: datetime | None
    end: datetime | None
    page: int
    page_size: int


def _list(params: QueryDict, name: str) -> list[str]:
    values: list[str] = []
    for raw in params.getlist(name):
        if "\x00" in raw:  # PostgreSQL refuses NUL in text; nothing could match it anyway
            raise InvalidInput(f"{name} contains a NUL character", field=name)
        for part in raw.split(","):
            part = part.strip()
            if part and part not in values:
                values.append(part)
    return values


def _date(params: QueryDict, name: str) -> datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    parsed = parse_w3c(raw) if "\x00" not in raw else None
    if parsed is None:
        raise InvalidInput(
            f"{name} {raw[:40]!r} is not a W3C datetime such as 2024-06-01T00:00:00+07:00",
            field=name,
        )
    if not EARLIEST <= parsed.date() <= LATEST:
        raise InvalidInput(
            f"{name} must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}", field=name
        )
    return parsed


def _positive(params: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or not 1 <= int(raw) <= maximum:
        raise InvalidInput(f"{name} must be a whole number from 1 to {maximum}", field=name)
    return int(raw)


def parse_request_query(params: QueryDict) -> RequestQuery:
    page = _positive(params, "page", 1, 1_000_000)
    page_size = _positive(params, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    ids = _list(params, "service_request_id")
    if len(ids) > MAX_IDS:
        raise InvalidInput(
            f"at most {MAX_IDS} service_request_id values at once", field="service_request_id"
        )
    if ids:  # "This overrides all other arguments."
        return RequestQuery(ids, [], [], None, None, page, page_size)
    statuses = [s.lower() for s in _list(params, "status")]
    wrong = [s for s in statuses if s not in {"open", "closed"}]
    if wrong:
        raise InvalidInput(f"status must be open or closed, not {wrong[0][:40]!r}", field="status")
    codes = _list(params, "service_code")
    if codes:
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InvalidInput(
                f"unknown service_code {unknown[0][:40]!r}; services.json lists them",
                field="service_code",
            )
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start and end:
        if end < start:
            raise InvalidInput("end_date is before start_date", field="end_date")
        if end - start > WINDOW:
            raise InvalidInput(
                "start_date and end_date may not span more than 90 days", field="end_date"
            )
    return RequestQuery(
        ids=ids or None,
        service_codes=codes,
        statuses=statuses,
        start=start,
        end=end,
        page=page,
        page_size=page_size,
    )


def window(query: RequestQuery, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The requested_datetime range searched: given, or 90 days on the side not given."""
    if query.start and query.end:
        return query.start, query.end
    if query.start:
        return query.start, query.start + WINDOW
    end = query.end or now or timezone.now()
    return end - WINDOW, end


def select_cases(query: RequestQuery, base: QuerySet[Case]) -> list[Case]:
    if query.ids is not None:
        # Full or short ids (`GHA47R`), in any letter case, as requests/{id} takes them.
        cases = base.filter(ticket_id__in=stored_ticket_ids(query.ids))
    else:
        start, end = window(query)
        cases = base.filter(created_at__gte=start, created_at__lte=end)
        if query.service_codes:
            cases = cases.filter(categories__code__in=query.service_codes).distinct()
        if set(query.statuses) == {"open"}:
            cases = cases.exclude(state__in=CLOSED_STATES)
        elif set(query.statuses) == {"closed"}:
            cases = cases.filter(state__in=CLOSED_STATES)
    offset = (query.page - 1) * query.page_size
    return list(cases.order_by("-created_at", "-id")[offset : offset + query.page_size])
