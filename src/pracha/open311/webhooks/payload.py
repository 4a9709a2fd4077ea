"""The JSON each delivery carries. Built at the first attempt and then kept, so every retry of
an event sends the same bytes (and the same signature) under the same event id.

```
{"id": "<event uuid>", "type": "case.state_changed", "occurred_at": "...+07:00",
 "sequence": 4711, "ticket_id": "2024-ABC123",
 "change": {"kind", "from_state", "to_state", "from_status", "to_status", "from_agency",
            "to_agency", "agency", "actor", "note", "photo_url"},
 "case": {GeoReport v2 request fields + "extended_attributes"}}
```
`case` is the case as it stood when the event was first sent; `change` is what the event did.
No reporter contact, device or account id is ever part of it; citizen text is masked.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from pracha.cases.models import Event
from pracha.cases.public_actor import public_actor
from pracha.masking.personal_data import mask_personal_data
from pracha.open311.formats import w3c
from pracha.open311.georeport import agency_ref, request_dict, requests_queryset
from pracha.open311.models import EventType, WebhookDelivery
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


def build_body(delivery: WebhookDelivery) -> str:
    body: dict[str, Any] = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "occurred_at": w3c(delivery.occurred_at),
    }
    if delivery.event_type == EventType.PING:
        body["subscription"] = delivery.subscription.name
        body["message"] = "Pracha webhook test: the signature and your endpoint work."
        return json.dumps(body, ensure_ascii=False)
    body["sequence"] = delivery.case_event_id
    body["ticket_id"] = delivery.ticket_id
    event = (
        Event.objects.select_related(
            "case", "agency", "from_agency", "to_agency", "photo", "actor__officer__agency"
        )
        .filter(pk=delivery.case_event_id)
        .first()
        if delivery.case_event_id
        else None
    )
    if event is None:  # the case was deleted before the event could be sent
        body["change"] = None
        body["case"] = None
        return json.dumps(body, ensure_ascii=False)
    body["change"] = change_dict(event)
    case = requests_queryset().get(pk=event.case_id)
    case_body = request_dict(case, LANGUAGE, absolute, extensions=True)
    case_body["extended_attributes"].pop("updates", None)  # GET the request for the timeline
    body["case"] = case_body
    return json.dumps(body, ensure_ascii=False)


def ensure_body(delivery: WebhookDelivery) -> str:
    """The delivery's body: built and stored once, whichever worker gets there first."""
    if delivery.body:
        return delivery.body
    built = build_body(delivery)
    WebhookDelivery.objects.filter(pk=delivery.pk, body="").update(body=built)
    delivery.body = WebhookDelivery.objects.values_list("body", flat=True).get(pk=delivery.pk)
    return delivery.body
