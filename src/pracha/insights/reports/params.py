"""Reading the period and filters shared by the indicator API, the dashboard and exports."""

from __future__ import annotations

from datetime import date

from pracha.agencies.services import AgencyError, resolve_agency
from pracha.cases.errors import InvalidInput
from pracha.cases.queries import parse_states
from pracha.geo.models import Area
from pracha.insights.models import CaseFact
from pracha.insights.reports.indicators import Period
from pracha.insights.reports.labels import NO_AGENCY_KEY, UNCATEGORISED_KEY
from pracha.insights.store.cube import UNCATEGORISED
from pracha.insights.store.query import EARLIEST, Filters
from pracha.taxonomy.categories import category_code
from pracha.thaitext import normalise_district

LATEST = date(2100, 12, 31)
MAX_TEXT = 200


def parse_day(text: str | None, field: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10:
        raise InvalidInput(
            f"{field} must be a date written YYYY-MM-DD, got {text[:40]!r}", field=field
        )
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(f"{field} must be between 1970-01-01 and 2100-12-31", field=field)
    return day


def parse_period(first: str | None, last: str | None, today: date) -> Period:
    first_day, last_day = parse_day(first, field="from"), parse_day(last, "to")
    start = first_day or EARLIEST
    end = last_day or max(today, start)
    if start > end:
        raise InvalidInput("from must not be after to", field="from")
    return Period(start, end, first_day, last_day)


def _text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if "\x00" in text or len(text) > MAX_TEXT:
        raise InvalidInput(f"{field} must be at most {MAX_TEXT} characters of text", field=field)
    return text


def known_district(text: str) -> str:
    """The district `text` names, as cases store it (Thai, normalised); InvalidInput if none.

    Known: a district of a loaded boundary set (by its Thai name, any alias the normaliser
    takes, or its English name) or one that cases were reported in. While no boundaries are
    loaded at all (a fresh install, the tests), any name is taken.
    """
    name = normalise_district(text)
    areas = Area.objects.filter(kind=Area.Kind.DISTRICT)
    if name and (
        areas.filter(name_th=name).exists() or CaseFact.objects.filter(district=name).exists()
    ):
        return name
    if english := areas.filter(name_en__iexact=text).values_list("name_th", flat=True).first():
        return normalise_district(english)
    if name and not areas.exists():
        return name
    raise InvalidInput(
        f"unknown district {text!r}; GET /api/v1/indicators?by=district lists those with reports",
        field="district",
    )


def parse_filters(
    category: str | None = None,
    district: str | None = None,
    agency: str | None = None,
    state: str | None = None,
) -> Filters:
    code = None
    if text := _text(category, "category"):
        code = UNCATEGORISED if text == UNCATEGORISED_KEY else category_code(text)
        if code is None:
            raise InvalidInput(
                f"unknown category {text!r}; GET /api/v1/categories lists them",
                field="category",
            )
    district_name = known_district(text) if (text := _text(district, "district")) else None
    agency_id = None
    if text := _text(agency, field="agency"):
        if text == NO_AGENCY_KEY:
            agency_id = 0
        else:
            try:
                agency_id = resolve_agency(text).pk
            except AgencyError as exc:
                raise InvalidInput(str(exc), field="agency") from exc
    state_code = None
    if text := _text(state, "state"):
        states = parse_states(text)
        if len(states) != 1:
            raise InvalidInput("state filters take one state here", field="state")
        state_code = states.pop()
    return Filters(category=code, district=district_name, agency=agency_id, state=state_code)
