"""The LINE channel: a reporter who filed from LINE hears of every public change of their
report in the chat, in their account's language.

Rows wait in the one outbox (pracha.notify.outbox), written with the change (one row per
timeline event of a case whose reporter, or the reporter of a case merged into it, has a LINE
account). The worker pushes them: a failure is retried with backoff; a 429 (too many
requests) holds every LINE row until LINE's Retry-After has passed; a user who blocked the
account (unfollow: their LINE notifications are off) gets nothing more. Each push carries an
X-Line-Retry-Key derived from the row and the user, the same on every retry, so LINE never
shows a retried push twice. The words are pracha.line's (pracha.notify.content).

`BEFORE_PASS` holds work pracha.line hands over to the same loop (its inbox's retry pass),
since notify cannot import the app above it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from pracha.cases.models import Case, Event
from pracha.citizens.models import Channel as CitizenChannel
from pracha.citizens.models import ChannelKind, Citizen
from pracha.citizens.services.account import notification_settings
from pracha.notify import content, journeys, line_api, proposal_mail
from pracha.notify.email import REPORTER_EVENTS
from pracha.notify.line_citizens import text_message
from pracha.notify.models import Channel, Delivery, LineType
from pracha.notify.outbox import PassResult, Retry, Sender, claim, prune, queue, record
from pracha.triage.merging import merged_case_ids

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
RETRY = Retry(first_seconds=30, longest_seconds=3600, max_attempts=12)
ROWS_PER_PASS = 100
KEEP = timedelta(days=7)
DEFAULT_RATE_WAIT_SECONDS = 60  # a 429 without Retry-After

# Work pracha.line adds to every pass (its inbox retry and draft expiry).
BEFORE_PASS: list[Callable[[], object]] = []


def line_address(citizen: Citizen) -> str:
    """The LINE user id of the account ("" without one)."""
    channel = CitizenChannel.objects.filter(citizen=citizen, kind=ChannelKind.LINE).first()
    return channel.address if channel else ""


def line_followers(case: Case) -> list[tuple[str, str]]:
    """(LINE user id, language) of the accounts to push news of `case` to: its reporter's and
    those of cases merged into it, each once, unless their LINE notifications are off."""
    linked = Case.objects.filter(pk__in=[case.pk, *merged_case_ids(case)], citizen__isnull=False)
    seen: dict[str, str] = {}
    for own in linked.select_related("citizen").order_by("pk"):
        citizen = own.citizen
        if citizen is None or not notification_settings(citizen)[ChannelKind.LINE]:
            continue
        address = line_address(citizen)
        if address and address not in seen:
            seen[address] = citizen.language
    return list(seen.items())


def enqueue_for_event(event: Event) -> list[Delivery]:
    """The LINE row an event calls for (in the event's transaction)."""
    if not (event.is_public and event.kind in REPORTER_EVENTS and line_api.configured()):
        return []
    if event.kind == Event.Kind.CREATED:
        return []  # the chat itself answered with the ticket id
    if not line_followers(event.case):
        return []
    row = {
        "event_type": LineType.STATUS,
        "case_event": event,
        "case_id": event.case_id,
        "ticket_id": event.case.ticket_id,
        "occurred_at": event.at,
    }
    return queue(Channel.LINE, [row])


def retry_key(row: Delivery, user_id: str) -> uuid.UUID:
    """The same for every try of one row to one user, and different for each user."""
    return uuid.uuid5(row.event_id, user_id)


def send_due(now: datetime | None = None) -> PassResult:
    """One pass of the LINE channel: the work handed over by pracha.line, then due pushes."""
    for work in BEFORE_PASS:
        try:
            work()
        except DatabaseError:
            raise
        except Exception:
            log.exception("LINE background work failed; pushes go on")
    result = PassResult()
    if not line_api.configured():
        return result
    now = now or timezone.now()
    rows = list(
        Delivery.objects.on(Channel.LINE).due(now).order_by("next_attempt_at", "pk")[:ROWS_PER_PASS]
    )
    taken = claim(rows, now, CLAIM_LEASE)
    for index, row in enumerate(taken):
        try:
            push_row(row)
        except line_api.LineCallFailed as exc:
            result.failed += 1
            record([row], now, ok=False, retry=RETRY, status=exc.status, error=str(exc))
            if exc.rate_limited:
                # LINE says when to come back: then, not after the usual backoff.
                until = now + timedelta(seconds=exc.retry_after or DEFAULT_RATE_WAIT_SECONDS)
                rest = [r.pk for r in taken[index:]]  # this row and those not tried yet
                Delivery.objects.filter(pk__in=rest).update(next_attempt_at=until, claim=None)
                hold_until(until)
                break
            continue
        except DatabaseError:
            raise
        except Exception as exc:
            log.exception("could not write the LINE push of case %s", row.ticket_id)
            result.failed += 1
            record([row], now, ok=False, retry=RETRY, error=f"{type(exc).__name__}: {exc}")
            continue
        record([row], now, ok=True, retry=RETRY, status=200)
        result.delivered += 1
    return result


def hold_until(until: datetime) -> None:
    """LINE said "too many requests": no LINE row is tried again before `until`."""
    Delivery.objects.on(Channel.LINE).pending().filter(next_attempt_at__lt=until).update(
        next_attempt_at=until, claim=None
    )


# Rows that are short texts to citizens: who hears and what, decided when sent.
TEXT_WRITERS: dict[str, Callable[[Delivery], list[tuple[str, str]]]] = {
    LineType.PROPOSAL: proposal_mail.line_texts,
    LineType.JOURNEY: journeys.line_texts,
}


def push_row(row: Delivery) -> None:
    """Push the row: a proposal's or a journey's text to the citizens it concerns, or a case's
    event to everyone following the case on LINE."""
    writer = TEXT_WRITERS.get(row.event_type)
    if writer is not None:
        for user_id, text in writer(row):
            line_api.push(user_id, [text_message(text)], retry_key(row, user_id))
        return
    event = (
        Event.objects.select_related("case", "agency", "to_agency", "from_agency")
        .filter(pk=row.case_event_id)
        .first()
        if row.case_event_id
        else None
    )
    if event is None or not event.is_public:
        return  # the case was deleted, or the event hidden, before it went out
    for user_id, language in line_followers(event.case):
        messages: list[Any] = content.line_status(event.case, event, language)
        if messages:
            line_api.push(user_id, messages, retry_key(row, user_id))


def report(result: PassResult) -> str:
    parts = []
    if result.delivered:
        parts.append(f"LINE pushes: {result.delivered} sent")
    if result.failed:
        parts.append(f"LINE pushes: {result.failed} failed")
    return "; ".join(parts)


def keep() -> timedelta:
    return KEEP


def prune_sent(now: datetime | None = None) -> int:
    return prune(Channel.LINE, KEEP, now)


SENDER = Sender(
    channel=Channel.LINE,
    what="LINE push",
    send_due=send_due,
    report=report,
    keep=keep,
    batch=ROWS_PER_PASS,
)
