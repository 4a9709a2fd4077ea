"""Pracha's categories and cases in GeoReport v2's words, plus FixMyStreet-style extensions.

Nothing here reads the reporter's contact or the Open311 device and account ids: they never
appear in any output. Citizen-written text is masked as in the JSON API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from pracha.agencies.models import Agency
from pracha.cases.models import Case, Category, Event
from pracha.cases.public_actor import public_actor
from pracha.cases.sla import case_target_hours
from pracha.masking.personal_data import mask_personal_data
from pracha.open311.definitions import answer_dicts, attributes_of
from pracha.open311.formats import w3c
from pracha.states import CLOSED_STATES, STATE_NAMES_EN, State, open311_status

Absolute = Callable[[str], str]
# Thai postcodes: five digits, 10000 (Bangkok) to 96xxx; addresses from geocoders end with one.
_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{4})(?!\d)")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def category_name(category: Category, lang: str) -> str:
    return category.name_en if lang == "en" else category.name_th


def service_dict(category: Category, lang: str) -> dict[str, Any]:
    first, second = (
        category_name(category, lang),
        category_name(category, "th" if lang == "en" else "en"),
    )
    words: list[str] = []
    for word in [second, *_split(category.aliases), *_split(category.keywords)]:
        if word and word not in words and word != first:
            words.append(word)
    return {
        "service_code": category.code,
        "service_name": first,
        "description": f"{first} ({second})" if second != first else first,
        "metadata": bool(attributes_of(category.code)),
        "type": "realtime",
        "keywords": ", ".join(words),
        "group": category.group,
    }


def definition_dict(category: Category, lang: str) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [a.as_open311(lang) for a in attributes_of(category.code)],
    }


def hours_text(hours: float) -> str:
    return str(int(hours)) if float(hours).is_integer() else f"{hours:g}"


def service_notice(codes: list[str], lang: str) -> str:
    hours = hours_text(case_target_hours(codes))
    if lang == "en":
        return f"Target: resolved within {hours} hours. Follow every step with the ticket id."
    return f"เป้าหมาย: ดำเนินการให้เสร็จภายใน {hours} ชั่วโมง ติดตามทุกขั้นตอนได้ด้วยเลขเรื่อง"


def agency_name(agency: Agency | None, lang: str) -> str | None:
    if agency is None:
        return None
    return (agency.name_en or agency.name_th) if lang == "en" else agency.name_th


def agency_ref(agency: Agency | None) -> dict[str, str] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name_th": agency.name_th, "name_en": agency.name_en}


def state_name(state: str, lang: str) -> str:
    return STATE_NAMES_EN[State(state)] if lang == "en" else State(state).label


def requests_queryset() -> QuerySet[Case]:
    """Cases with everything the representation reads, in a fixed number of queries."""
    public_events = Event.objects.filter(is_public=True).select_related(
        "agency", "from_agency", "to_agency", "photo", "actor__officer__agency"
    )
    return Case.objects.select_related("agency", "open311").prefetch_related(
        "categories",
        "photos",
        "co_agencies",
        Prefetch("events", queryset=public_events.order_by("at", "id"), to_attr="public_events"),
    )


def _events(case: Case) -> list[Event]:
    events = getattr(case, "public_events", None)
    if events is None:
        events = list(case.events.filter(is_public=True).order_by("at", "id"))
    return events


def status_notes(case: Case, lang: str) -> str:
    """The current state and, when the move into it came with a public note, that note."""
    note = ""
    for event in reversed(_events(case)):
        if event.to_state == case.state:
            note = mask_personal_data(event.note.strip())
            break
    name = state_name(case.state, lang)
    return f"{name}: {note}" if note else name


def _submission(case: Case) -> Any:
    try:
        return case.open311
    except Case.open311.RelatedObjectDoesNotExist:
        return None


def request_dict(
    case: Case, lang: str, absolute: Absolute, *, extensions: bool = False
) -> dict[str, Any]:
    categories = list(case.categories.all())
    codes = [c.code for c in categories]
    address = mask_personal_data(case.address)
    postcodes = _POSTCODE.findall(address)
    photos = list(case.photos.all())
    before = [p for p in photos if p.kind == "before" and p.public_url]
    submission = _submission(case)
    closed = case.state in CLOSED_STATES
    updated = case.closed_at if closed and case.closed_at else case.updated_at
    data: dict[str, Any] = {
        "service_request_id": case.ticket_id,
        "status": open311_status(case.state),
        "status_notes": status_notes(case, lang),
        "service_name": category_name(categories[0], lang) if categories else "",
        "service_code": codes[0] if codes else "",
        "description": mask_personal_data(case.description),
        "agency_responsible": agency_name(case.agency, lang),
        "service_notice": None if closed else service_notice(codes, lang),
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(case.created_at + timedelta(hours=case_target_hours(codes))),
        "address": address,
        "address_id": submission.address_id if submission and submission.address_id else None,
        "zipcode": postcodes[-1] if postcodes else None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": absolute(before[0].public_url) if before else None,
    }
    if extensions:
        data["extended_attributes"] = extended_attributes(case, categories, lang, absolute)
    return data


def extended_attributes(
    case: Case, categories: list[Category], lang: str, absolute: Absolute
) -> dict[str, Any]:
    """What GeoReport v2 has no field for: the detailed state, agencies and the timeline."""
    submission = _submission(case)
    events = _events(case)
    answers = (
        answer_dicts(submission.service_code, submission.attributes, lang) if submission else []
    )
    return {
        "ticket_id": case.ticket_id,
        "detailed_status": case.state,
        "detailed_status_name_th": state_name(case.state, "th"),
        "detailed_status_name_en": state_name(case.state, "en"),
        "url": absolute(f"/t/{case.ticket_id}/"),
        "service_codes": [c.code for c in categories],
        "agency": agency_ref(case.agency),
        "co_agencies": [agency_ref(a) for a in case.co_agencies.all()],
        "district": case.district,
        "subdistrict": case.subdistrict,
        "province": case.province,
        "interface_used": case.source,
        "comment_count": sum(1 for e in events if e.kind == Event.Kind.COMMENTED),
        "forward_count": case.forward_count,
        "reopen_count": case.reopen_count,
        "me_too_count": case.me_too_count,
        "stars": case.stars,
        "closed_datetime": w3c(case.closed_at),
        "media_urls": [absolute(p.public_url) for p in case.photos.all() if p.public_url],
        "answers": answers,
        "updates": [update_dict(e, lang, absolute) for e in events],
    }


def update_dict(event: Event, lang: str, absolute: Absolute) -> dict[str, Any]:
    """One public timeline event, in the shape of FixMyStreet's service request updates."""
    actor = public_actor(event)
    return {
        "update_id": event.pk,
        "kind": event.kind,
        "status": open311_status(event.to_state) if event.to_state else None,
        "detailed_status": event.to_state or None,
        "description": mask_personal_data(event.note),
        "updated_datetime": w3c(event.at),
        # Who acted by kind and agency, in the answer's language (never an officer's login).
        "actor": actor.name(lang),
        "actor_kind": actor.kind.value,
        "agency": agency_name(event.agency, lang),
        "from_agency": agency_ref(event.from_agency),
        "to_agency": agency_ref(event.to_agency),
        "media_url": absolute(event.photo.public_url) if event.photo else None,
    }
