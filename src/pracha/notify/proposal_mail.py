"""E-mail about citizens' proposals: who hears of each step, through the one outbox.

A public step of a proposal (pracha.proposals.signals.proposal_event_saved) writes one outbox
row in the transaction of the change; after the commit it is sent at once
(`on_proposal_event`), else by the worker's pass (pracha.notify.email.send_due_mail). One row
becomes one message to each person it concerns:

- the author and the citizens who follow (supporters follow unless they said not to) hear of
  the threshold, the answer, results, forwarding, expiry, withdrawal;
- the supporters of a duplicate hear that it was merged, and where their support went;
- the officers of the agency it is routed or forwarded to hear that it arrived;
- the agency's supervisors hear that an answer is overdue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.citizens.models import Citizen
from pracha.citizens.services.account import email_recipient
from pracha.notify import content
from pracha.notify.line_citizens import line_user
from pracha.notify.models import Channel, Delivery, LineType, MailType
from pracha.notify.outbox import PassResult, Retry, claim, queue, record
from pracha.proposals.models import Follow, ProposalEvent

log = logging.getLogger(__name__)

Kind = ProposalEvent.Kind
TO_FOLLOWERS = frozenset(
    {
        Kind.THRESHOLD_REACHED,
        Kind.ROUTED,
        Kind.FORWARDED,
        Kind.ANSWERED,
        Kind.RESULT,
        Kind.IMPLEMENTED,
        Kind.EXPIRED,
        Kind.WITHDRAWN,
    }
)
TO_AGENCY = frozenset({Kind.THRESHOLD_REACHED, Kind.ROUTED, Kind.FORWARDED})
TO_AUTHOR = frozenset({Kind.HIDDEN, Kind.RESTORED, Kind.REMOVED})
NOTIFIED = TO_FOLLOWERS | TO_AGENCY | TO_AUTHOR | {Kind.MERGED, Kind.ESCALATED}

RETRY = Retry(first_seconds=600, longest_seconds=3600, max_attempts=10, jitter=False)
LEASE = timedelta(minutes=10)
PER_PASS = 100


def enqueue(sender: Any, event: ProposalEvent, **_: Any) -> list[Delivery]:
    """The outbox row of a public step (in the step's transaction)."""
    if not event.is_public or event.kind not in NOTIFIED:
        return []
    row = {
        "event_type": MailType.PROPOSAL,
        "proposal_event": event,
        "ticket_id": event.proposal.ref,
        "occurred_at": event.at,
    }
    return queue(Channel.EMAIL, [row])


def on_proposal_event(sender: Any, event_id: int, **_: Any) -> None:
    """After the commit: send what the step calls for now (the worker retries failures)."""
    try:
        send_due(event_id=event_id)
    except Exception:  # mail trouble must never break the change itself
        log.exception("could not send the e-mail about proposal event %s", event_id)


def citizen_addresses(citizens: Iterable[Citizen]) -> list[tuple[str, str]]:
    return [
        (address, citizen.language) for citizen in citizens if (address := email_recipient(citizen))
    ]


def officer_addresses(officers: Iterable[Officer]) -> list[tuple[str, str]]:
    return [
        (o.user.email, getattr(getattr(o, "notification", None), "language", "th"))
        for o in officers
        if o.user.email and o.user.is_active
    ]


def citizens_told(event: ProposalEvent) -> list[Citizen]:
    """The citizens the step concerns (author, followers, a duplicate's supporters)."""
    proposal = event.proposal
    citizens: list[Citizen] = []
    if event.kind in TO_FOLLOWERS:
        followers = Follow.objects.filter(proposal=proposal).select_related("citizen")
        citizens += [f.citizen for f in followers]
    if event.kind in TO_FOLLOWERS | TO_AUTHOR | {Kind.MERGED} and proposal.author is not None:
        citizens.append(proposal.author)
    if event.kind == Kind.MERGED:
        told = [pk for pk in event.data.get("told", []) if isinstance(pk, int)]
        citizens += list(Citizen.objects.filter(pk__in=told))
    return citizens


def recipients(event: ProposalEvent) -> list[tuple[str, str]]:
    """(address, language) of everyone the step concerns, each address once."""
    people: list[tuple[str, str]] = citizen_addresses(citizens_told(event))
    officers = Officer.objects.select_related("user", "notification")
    if event.kind in TO_AGENCY and event.to_agency_id:
        people += officer_addresses(officers.filter(agency_id=event.to_agency_id))
    if event.kind == Kind.ESCALATED and event.to_agency_id:
        supervisors = officers.filter(agency_id=event.to_agency_id, role=Officer.Role.SUPERVISOR)
        people += officer_addresses(supervisors)
    seen: set[str] = set()
    unique = []
    for address, language in people:
        if address.casefold() not in seen:
            seen.add(address.casefold())
            unique.append((address, language))
    return unique


def messages_for(row: Delivery) -> list[EmailMessage]:
    if row.proposal_event_id is None:  # the proposal was deleted before it went out
        return []
    event = (
        ProposalEvent.objects.select_related("proposal", "agency", "to_agency")
        .filter(pk=row.proposal_event_id)
        .first()
    )
    if event is None:
        return []
    return [
        content.proposal_mail(event, address, language) for address, language in recipients(event)
    ]


def send_due(*, event_id: int | None = None, now: datetime | None = None) -> PassResult:
    """Send the due proposal rows (of one event, or all): one pass."""
    now = now or timezone.now()
    result = PassResult()
    rows = Delivery.objects.on(Channel.EMAIL).filter(event_type=MailType.PROPOSAL).due(now)
    if event_id is not None:
        rows = rows.filter(proposal_event_id=event_id)
    for row in list(rows.order_by("next_attempt_at", "pk")[:PER_PASS]):
        for taken in claim([row], now, LEASE):
            try:
                messages = messages_for(taken)
                if messages:
                    get_connection().send_messages(messages)
            except Exception as exc:
                log.exception("could not send the e-mail about proposal %s", taken.ticket_id)
                record([taken], now, ok=False, retry=RETRY, error=f"{type(exc).__name__}: {exc}")
                result.failed += 1
            else:
                record([taken], now, ok=True, retry=RETRY)
                result.delivered += len(messages)
    return result


# LINE: the citizens among those told who linked LINE hear of the step there too.
TO_CITIZENS = TO_FOLLOWERS | TO_AUTHOR | {Kind.MERGED}


def line_recipients(event: ProposalEvent) -> list[tuple[str, str]]:
    """(LINE user id, language) of the citizens the step concerns who hear on LINE, once each."""
    seen: dict[str, str] = {}
    for citizen in citizens_told(event):
        user = line_user(citizen)
        if user and user not in seen:
            seen[user] = citizen.language
    return list(seen.items())


def enqueue_line(sender: Any, event: ProposalEvent, **_: Any) -> list[Delivery]:
    """The LINE row of a public step (in the step's transaction), when someone it concerns
    hears on LINE; who exactly is decided when it is sent."""
    if not event.is_public or event.kind not in TO_CITIZENS or not line_recipients(event):
        return []
    row = {
        "event_type": LineType.PROPOSAL,
        "proposal_event": event,
        "ticket_id": event.proposal.ref,
        "occurred_at": event.at,
    }
    return queue(Channel.LINE, [row])


def line_texts(row: Delivery) -> list[tuple[str, str]]:
    """(LINE user id, text) of a LINE row: the e-mail's subject and the proposal's page."""
    event = (
        ProposalEvent.objects.select_related("proposal", "agency", "to_agency")
        .filter(pk=row.proposal_event_id)
        .first()
        if row.proposal_event_id
        else None
    )
    if event is None or not event.is_public:
        return []
    url = f"{settings.PRACHA.base_url}/proposals/{event.proposal.ref}/"
    texts = []
    for user, language in line_recipients(event):
        subject = content.proposal_mail(event, "", language).subject
        texts.append((user, f"{subject}\n{url}"))
    return texts
