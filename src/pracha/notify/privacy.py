"""What notify holds about a reporter, for `pracha privacy erase` (pracha.audit.signals).

Webhook bodies are the only copies of a reporter's text here: e-mail rows name events, not
people, and an opt-out keeps only a keyed hash of the address (kept after erasure, so the
person is still not written to). Erasure leaves no copy of the old text in the case's
webhook bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db.models import Q

from pracha.cases.models import Case
from pracha.masking.personal_data import mask_personal_data
from pracha.notify.models import WebhookDelivery

# Fields of a webhook body that identify the delivery itself; never citizen text.
_DELIVERY_KEYS = {"id", "type", "occurred_at", "sequence", "ticket_id", "service_request_id"}


def erase_reporter(
    sender: Any, case: Case, scrub: Callable[[str], str] = mask_personal_data, **_: Any
) -> None:
    erase_webhook_bodies(case, scrub)


def erase_webhook_bodies(case: Case, scrub: Callable[[str], str]) -> None:
    """The stored bodies of the case's deliveries still hold the text as it was sent.

    - Not yet delivered (pending, retrying or given up): the body is blanked. It is rebuilt
      from the case, now erased, if it is ever sent; its bytes and signature then differ from
      an earlier failed attempt, but the event id is the same, which is what receivers
      de-duplicate on. Keeping the old body would send the erased text out again.
    - Delivered: the receiver has its copy and nothing will send the row again, so the
      stored body is only Pracha's record of what went where. Every string in it except the
      delivery's own ids is scrubbed like the case's text, so the record of the event stays
      (type, time, ticket, states) without the reporter's data; a body that is not JSON is
      blanked.
    """
    rows = WebhookDelivery.objects.filter(
        Q(ticket_id=case.ticket_id) | Q(case=case) | Q(case_event__case=case)
    ).exclude(body="")
    rows.filter(delivered_at__isnull=True).update(body="")
    for delivery in rows.filter(delivered_at__isnull=False).only("pk", "body"):
        try:
            body = json.loads(delivery.body)
        except ValueError:
            scrubbed = ""
        else:
            scrubbed = json.dumps(_scrub_json(body, scrub), ensure_ascii=False)
        if scrubbed != delivery.body:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(body=scrubbed)


def _scrub_json(value: Any, scrub: Callable[[str], str], key: str = "") -> Any:
    if isinstance(value, str):
        return value if key in _DELIVERY_KEYS else scrub(value)
    if isinstance(value, list):
        return [_scrub_json(item, scrub, key) for item in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, scrub, k) for k, v in value.items()}
    return value
