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
Both are written by pracha.open311 (pracha.notify.content); the envelope is written here.
No reporter contact, device or account id is ever part of it; citizen text is masked.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.utils import timezone

from pracha.notify import content
from pracha.notify.models import Delivery, EventType


def timestamp(value: datetime) -> str:
    """ISO 8601 in Bangkok time with its offset, to the second (as Open311 writes times):
    2024-06-01T18:30:00+07:00."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def build_body(delivery: Delivery) -> str:
    body: dict[str, Any] = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "occurred_at": timestamp(delivery.occurred_at),
    }
    if delivery.event_type == EventType.PING:
        body["subscription"] = delivery.subscription.name if delivery.subscription else ""
        body["message"] = "Pracha webhook test: the signature and your endpoint work."
        return json.dumps(body, ensure_ascii=False)
    body["sequence"] = delivery.case_event_id
    body["ticket_id"] = delivery.ticket_id
    described = (
        content.webhook_case_event(delivery.case_event_id) if delivery.case_event_id else None
    )
    if described is None:  # the case was deleted before the event could be sent
        body["change"] = None
        body["case"] = None
    else:
        body["change"] = described["change"]
        body["case"] = described["case"]
    return json.dumps(body, ensure_ascii=False)


def ensure_body(delivery: Delivery) -> str:
    """The delivery's body: built and stored once, whichever worker gets there first."""
    if delivery.body:
        return delivery.body
    built = build_body(delivery)
    Delivery.objects.filter(pk=delivery.pk, body="").update(body=built)
    delivery.body = Delivery.objects.values_list("body", flat=True).get(pk=delivery.pk)
    return delivery.body
