"""Public representations of cases. Reporter contact is never part of them.

Citizen-written text (description, address, timeline notes) has personal data masked
(phone numbers, national ID numbers, e-mails, plates); `masked=False` is for the staff of an
agency working on the case, who need the plate of the car blocking the soi.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pracha.agencies.models import Agency
from pracha.cases.models import Case, Event, Photo
from pracha.cases.public_actor import public_actor_dict
from pracha.evidence.results import current_check, photo_check_dict
from pracha.masking.personal_data import mask_personal_data
from pracha.states import STATE_NAMES_EN, State, open311_status
from pracha.triage.explanations import event_explanation, triage_dict


def agency_dict(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {
        "code": agency.code,
        "name_th": agency.name_th,
        "name_en": agency.name_en,
        "kind": agency.kind,
    }


def photo_dict(photo: Photo) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "kind": photo.kind,
        "url": photo.public_url,
        "width": photo.width,
        "height": photo.height,
        "created_at": photo.created_at,
    }


def _text(value: str, masked: bool) -> str:
    return mask_personal_data(value) if masked else value


# Notes Pracha writes from its own data alone: triage's (pracha.triage.pipeline.summary: the
# taxonomy, the district boundaries, the routing rules' text, never the reporter's words).
# Nothing in them to mask, and masking their scores and rule text cost more CPU than the
# rest of a new case's answer.
UNMASKED_NOTES = frozenset({Event.Kind.TRIAGED})


def _note(event: Event, masked: bool) -> str:
    return event.note if event.kind in UNMASKED_NOTES else _text(event.note, masked)


def case_dict(case: Case, *, masked: bool = True) -> dict[str, Any]:
    state = State(case.state)
    try:
        url = reverse("api-v1:get_case", kwargs={"ticket_id": case.ticket_id})
    except Exception:
        url = f"/api/v1/cases/{case.ticket_id}"
    return {
        "ticket_id": case.ticket_id,
        "url": url,
        "description": _text(case.description, masked),
        "state": state.value,
        "state_name_th": state.label,
        "state_name_en": STATE_NAMES_EN[state],
        "status": open311_status(case.state),
        "categories": [
            {"code": c.code, "name_th": c.name_th, "name_en": c.name_en, "group": c.group}
            for c in case.categories.all()
        ],
        "lat": case.lat,
        "lon": case.lon,
        "address": _text(case.address, masked),
        "subdistrict": case.subdistrict,
        "district": case.district,
        "province": case.province,
        "agency": agency_dict(case.agency),
        "co_agencies": [agency_dict(a) for a in case.co_agencies.all()],
        "stars": case.stars,
        "reopen_count": case.reopen_count,
        "me_too_count": case.me_too_count,
        "forward_count": case.forward_count,
        "source": case.source,
        "photos": [photo_dict(p) for p in case.photos.all()],
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "triage": triage_dict(case),
    }


def event_dict(event: Event, *, masked: bool = True) -> dict[str, Any]:
    who = public_actor_dict(event)
    explanation = event_explanation(event)
    return {
        "kind": event.kind,
        "at": event.at,
        # Once the officer's login and agency; now the public name of who acted (both
        # languages), the same for every officer of a role in an agency.
        "actor": f"{who['actor_name_th']} / {who['actor_name_en']}"
        if who["actor_name_th"] != who["actor_name_en"]
        else who["actor_name_th"],
        **who,
        "from_state": event.from_state or None,
        "to_state": event.to_state or None,
        "from_agency": agency_dict(event.from_agency),
        "to_agency": agency_dict(event.to_agency),
        "note": _note(event, masked),
        "public": event.is_public,
        "photo_url": event.photo.public_url if event.photo else None,
        "stars": event.stars,
        # Plain-language reasons for automatic decisions (the note keeps the technical ones).
        "explanation_th": explanation[0] if explanation else None,
        "explanation_en": explanation[1] if explanation else None,
    }


def case_detail_dict(case: Case, *, masked: bool = True) -> dict[str, Any]:
    timeline = getattr(case, "timeline", None)
    if timeline is None:
        timeline = list(
            case.events.filter(is_public=True).select_related(
                "from_agency", "to_agency", "photo", "agency", "actor__officer__agency"
            )
        )
    return {
        **case_dict(case, masked=masked),
        "timeline": [event_dict(e, masked=masked) for e in timeline],
        # The after-photo check of the current closing (one query; not in the lists).
        "photo_check": photo_check_dict(current_check(case)),
    }
