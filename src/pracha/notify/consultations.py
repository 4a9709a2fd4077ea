"""E-mail to the respondents of a consultation who asked for it, when it closes (its results
are public) and when its agency publishes what it changed because of them.

The rows are written from the consultations' signals, inside the transaction of the close or
the publication: one e-mail outbox row per respondent who asked, naming the response (in
the row's JSON `body`). They go out in the e-mail channel's pass (pracha.notify.email), after
that pass has stored the close of every consultation whose date has passed, so "closes by
date" needs no job of its own beside `pracha serve`. A respondent who since deleted their
account, withdrew the wish, or switched e-mail off in "My Pracha" is not written to.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import get_connection
from django.utils import timezone

from pracha.citizens.services.account import email_recipient
from pracha.consultations import mail
from pracha.consultations.models import Consultation, Response
from pracha.consultations.services.closing import close_due
from pracha.notify.models import Channel, Delivery, MailType
from pracha.notify.outbox import PassResult, Retry, claim, queue, record

log = logging.getLogger(__name__)

KINDS = {MailType.CONSULTATION_CLOSED: mail.CLOSED, MailType.CONSULTATION_CHANGES: mail.CHANGES}
RETRY = Retry(first_seconds=600, longest_seconds=3600, max_attempts=10, jitter=False)
PER_PASS = 200
LEASE = timedelta(minutes=10)


def enqueue(consultation: Consultation, kind: str) -> list[Delivery]:
    """One row per respondent who asked to hear (call it in the change's transaction)."""
    asked = Response.objects.filter(consultation=consultation, notify=True, citizen__isnull=False)
    rows: list[dict[str, Any]] = [
        {
            "event_type": kind,
            "ticket_id": consultation.ref[:32],
            "body": json.dumps({"consultation": consultation.pk, "response": pk}),
        }
        for pk in asked.values_list("pk", flat=True)
    ]
    return queue(Channel.EMAIL, rows) if rows else []


def send_due(now: datetime, result: PassResult) -> None:
    """Store the closes that are due, then send the due consultation e-mails."""
    if close_due(now):
        now = max(now, timezone.now())  # the rows the closes just wrote are due too
    rows = Delivery.objects.on(Channel.EMAIL).due(now).filter(event_type__in=list(KINDS))
    for row in claim(list(rows.order_by("pk")[:PER_PASS]), now, LEASE):
        try:
            sent = _send(row)
        except Exception as exc:  # one address's trouble must not stop the others
            log.exception("could not send consultation e-mail %s; will retry", row.pk)
            record([row], now, ok=False, retry=RETRY, error=f"{type(exc).__name__}: {exc}")
            result.failed += 1
            continue
        record([row], now, ok=True, retry=RETRY, error="" if sent else "nobody to tell")
        result.delivered += sent


def _send(row: Delivery) -> int:
    ids = json.loads(row.body or "{}")
    response = (
        Response.objects.select_related("consultation", "citizen")
        .filter(pk=ids.get("response"), notify=True, citizen__isnull=False)
        .first()
    )
    if response is None or response.citizen is None:
        return 0
    address = email_recipient(response.citizen)
    if not address:
        return 0
    message = mail.message(
        response.consultation, KINDS[MailType(row.event_type)], address, response.citizen.language
    )
    get_connection().send_messages([message])
    return 1
