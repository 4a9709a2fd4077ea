"""Signal receivers: webhook outbox rows with each timeline event, and privacy follow-ups.

The device and account ids an Open311 client sent identify a person as their contact does,
so `pracha privacy export` lists them and `erase` blanks them (through the signals of
pracha.audit.signals), and `purge-expired` blanks them with the contact (its audit entry,
written in the same transaction, is the cue). Erasure also scrubs what else here holds the
reporter's text: free-form answers to the service definition and stored webhook bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case
from pracha.masking.personal_data import mask_personal_data
from pracha.open311.definitions import scrub_answers
from pracha.open311.models import Submission, WebhookDelivery
from pracha.states import CLOSED_STATES

PRIVATE_FIELDS = {"device_id": "", "account_id": ""}


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, raw: bool, **_: Any) -> None:
    if not created or raw:
        return
    if instance.action == "privacy.purge_expired":
        cutoff = parse_datetime(str(instance.detail.get("closed_before", "")))
        if cutoff is not None:
            Submission.objects.filter(
                case__state__in=CLOSED_STATES, case__closed_at__lt=cutoff
            ).update(**PRIVATE_FIELDS)


def held_about_reporter(sender: Any, case: Case, **_: Any) -> dict[str, str] | None:
    """What an Open311 client told us about the person who filed `case`."""
    row = Submission.objects.filter(case=case).values(*PRIVATE_FIELDS).first()
    if row is None or not any(row.values()):
        return None
    return {name: value for name, value in row.items() if value}


def erase_reporter(
    sender: Any, case: Case, scrub: Callable[[str], str] = mask_personal_data, **_: Any
) -> None:
    """Blank the device and account ids, scrub the free-form answers, and leave no copy of
    the old text in the case's webhook bodies (see `erase_webhook_bodies`)."""
    submission = Submission.objects.filter(case=case).first()
    if submission is not None:
        answers = scrub_answers(submission.service_code, submission.attributes or {}, scrub)
        Submission.objects.filter(pk=submission.pk).update(**PRIVATE_FIELDS, attributes=answers)
    erase_webhook_bodies(case, scrub)


# Fields of a webhook body that identify the delivery itself; never citizen text.
_DELIVERY_KEYS = {"id", "type", "occurred_at", "sequence", "ticket_id", "service_request_id"}


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
        Q(ticket_id=case.ticket_id) | Q(case_event__case=case)
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
