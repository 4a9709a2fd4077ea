"""What a webhook says about a case event, as Open311 presents it: the change the event made
and the case as a GeoReport v2 request. pracha.notify writes the rest of the body (id, type,
times) and sends it; this is handed to it in apps.py (pracha.notify.content).

`case` is the case as it stands when the event is first sent; `change` is what the event
did. No reporter contact, device or account id is ever part of it; citizen text is masked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from pracha.cases.models import Event
from pracha.cases.public_actor import public_actor
from pracha.masking.personal_data import mask_personal_data
from pracha.open311.georeport import agency_ref, request_dict, requests_queryset
from pracha.states import open311_status

LANGUAGE = "th"


def absolute(url: str) -> str:
    return settings.PRACHA.base_url + url if url.startswith("/") else url


def change_dict(event: Event) -> dict[str, Any]:
    actor = public_actor(event)
    return {
        "kind": event.kind,
        "from_state": event.from_state or None,
        "to_state": event.to_state or None,
        "from_status": open311_status(event.from_state) if event.from_state else None,
        "to_status": open311_status(event.to_state) if event.to_state else None,
        "from_agency": agency_ref(event.from_agency),
        "to_agency": agency_ref(event.to_agency),
        "agency": agency_ref(event.agency),
        # The public name of who acted (never an officer's login), and the kind of actor.
        "actor": actor.label,
        "actor_kind": actor.kind.value,
        "note": mask_personal_data(event.note) if event.is_public else None,
        "photo_url": absolute(event.photo.public_url) if event.photo_id and event.photo else None,
    }


def case_event_document(event_id: int) -> dict[str, Any] | None:
    """`{"change": ..., "case": ...}` for the webhook body of a timeline event; None when
    the event is gone (its case was deleted before the event could be sent)."""
    event = (
        Event.objects.select_related(
            "case", "agency", "from_agency", "to_agency", "photo", "actor__officer__agency"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return None
    case = requests_queryset().get(pk=event.case_id)
    case_body = request_dict(case, LANGUAGE, absolute, extensions=True)
    case_body["extended_attributes"].pop("updates", None)  # GET the request for the timeline
    return {"change": change_dict(event), "case": case_body}
