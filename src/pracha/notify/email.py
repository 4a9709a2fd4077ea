"""The e-mail channel: the reporter hears of every public change; officers who asked for it, of
each case new in their inbox (the daily digest is pracha.notify.digest); those a citizens'
proposal concerns, of its steps (pracha.notify.proposal_mail).

Both wait in the one outbox (pracha.notify.outbox): a post_save on Event writes their rows
in the transaction of the change (nothing rolled back is announced, nothing committed is
lost). A reporter's events of one case within PRACHA_NOTIFY_BATCH_SECONDS of the first go
out as one message listing each step; officers' messages are due at once. After the commit
of a transaction that queued mail, what is due for the case is sent at once
(`send_after_commit`); the rest is sent by the worker
beside `pracha serve` (pracha.notify.worker) or `pracha send-reporter-mail` from cron. A
failing mail server is logged and retried, and never breaks the request that made the
change. The words of the messages are pracha.web's (pracha.notify.content).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from pracha.cases.contact import Contact, holds_reporter_email
from pracha.cases.models import Case, Event
from pracha.citizens.services.account import email_muted, email_recipient
from pracha.notify import consultations as consultation_mail
from pracha.notify import content, proposal_mail
from pracha.notify.journeys import journey_message
from pracha.notify.models import Channel, Delivery, DeliveryQuerySet, MailType, OfficerNotification
from pracha.notify.optout import opted_out
from pracha.notify.outbox import PassResult, Retry, Sender, claim, prune, queue, record
from pracha.reference import Reference
from pracha.triage.merging import merged_case_ids, reporters_following

log = logging.getLogger(__name__)

# Public changes a reporter hears about. Ratings and me-toos are not changes to how the case
# is handled, and photos are announced by the event that uses them.
REPORTER_EVENTS = frozenset(
    {
        Event.Kind.CREATED,
        Event.Kind.ACCEPTED,
        Event.Kind.STATE_CHANGED,
        Event.Kind.FORWARDED,
        Event.Kind.INVITED,
        Event.Kind.COMMENTED,
        Event.Kind.CLOSED,
        Event.Kind.REOPENED,
        "triage_corrected",  # an officer corrected where the case goes (pracha.triage)
    }
)
# Events that put a case into an agency's inbox (the agency is the event's to_agency).
INBOX_EVENTS = frozenset({Event.Kind.CREATED, Event.Kind.FORWARDED, Event.Kind.INVITED})
PURPOSE = "e-mail the reporter about a public change of their case"

# A sender that crashed mid-send frees its rows after this; a failing message is retried
# this often, and given up (and logged) after MAX_ATTEMPTS, so one bad address cannot block
# a case forever.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
RETRY = Retry(
    first_seconds=CLAIM_LEASE.total_seconds(),
    longest_seconds=CLAIM_LEASE.total_seconds(),
    max_attempts=MAX_ATTEMPTS,
    jitter=False,
)
CASES_PER_PASS = 100
# Sent rows name no address; they stay a week for the admin's outbox page.
KEEP = timedelta(days=7)
# Errors about one message (an address refused); any other error means the server itself.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def mail_rows(kind: str) -> DeliveryQuerySet:
    """The outbox's e-mail rows of one kind (MailType)."""
    return Delivery.objects.on(Channel.EMAIL).filter(event_type=kind)


# --- writing the rows (in the transaction of the change) -----------------------------------


def enqueue_for_event(event: Event) -> list[Delivery]:
    """The e-mail rows an event calls for: the reporter's news, officers' new case."""
    rows: list[dict[str, Any]] = []
    common = {
        "case_event": event,
        "case_id": event.case_id,
        "ticket_id": event.case.ticket_id,
        "occurred_at": event.at,
    }
    if (
        event.is_public
        and event.kind in REPORTER_EVENTS
        and not event.case.is_private
        and _someone_may_hear(event)
    ):
        rows.append({"event_type": MailType.REPORTER, **common})
    to_agency = event.to_agency_id
    if event.kind in INBOX_EVENTS and to_agency and to_agency in _asked_at_once.get(None):
        rows.append({"event_type": MailType.OFFICER, **common})
    if not rows:
        return []
    queued = queue(Channel.EMAIL, rows)
    # Officers' messages are due at once, and the reporter's when there is no batch window;
    # otherwise the worker's drain sends them when due.
    if not _window() or any(row["event_type"] == MailType.OFFICER for row in rows):
        send_after_commit(event.case_id)
    return queued


def _someone_may_hear(event: Event) -> bool:
    """Whether any reporter could be mailed about the event. A new case is followed by its own
    reporter alone (nothing is merged into it yet): their contact's e-mail address or their
    account's. Without either a row would only make the worker find no one to tell, for every
    report made without one. Later events are queued either way, as reporters of cases merged
    since may follow the case."""
    case = event.case
    return (
        event.kind != Event.Kind.CREATED
        or case.citizen_id is not None  # the account's address is read when the mail is sent
        or holds_reporter_email(case)
    )


# The agencies with officers who asked for a message per new case, asked for each new case;
# one read for all agencies (there are few such officers), and a change reaches every
# process within a few seconds (pracha.reference).
_asked_at_once: Reference[None, frozenset[int]] = Reference(
    lambda _: frozenset(
        immediate_officers().values_list("officer__agency_id", flat=True).distinct()
    ),
    models=("notify.OfficerNotification", "agencies.Officer"),
)


class _CaseMailPass:
    """The after-commit pass of one case's e-mail. The passes a transaction schedules for one
    case share `batch`: the first to run sends, the others find it done."""

    def __init__(self, case_id: int, batch: list[bool]) -> None:
        self.case_id = case_id
        self.batch = batch

    def __call__(self) -> None:
        if self.batch[0]:
            return
        self.batch[0] = True
        send_due_now(self.case_id)


def send_after_commit(case_id: int) -> None:
    """Send what is due for the case once the transaction that queued its mail commits: one
    pass per case and transaction, however many events it wrote, and none for a transaction
    that queued no mail (older rows that fell due are the worker's drain's)."""
    waiting = (
        f.batch
        for _, f, _ in transaction.get_connection().run_on_commit
        if isinstance(f, _CaseMailPass) and f.case_id == case_id and not f.batch[0]
    )
    transaction.on_commit(_CaseMailPass(case_id, next(waiting, [False])))


def immediate_officers(agency_id: int | None = None) -> QuerySet[OfficerNotification]:
    """The officers (of the agency, if named) who asked for a message for every new case."""
    chosen = OfficerNotification.objects.filter(mode=OfficerNotification.Mode.IMMEDIATE)
    return chosen if agency_id is None else chosen.filter(officer__agency_id=agency_id)


# --- sending ------------------------------------------------------------------------------


@dataclass
class MailPass(PassResult):
    """`delivered` counts messages sent (to reporters and officers), `failed` failed sends."""

    to_officers: int = 0

    def add(self, other: MailPass) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.to_officers += other.to_officers


class MailServerDown(Exception):
    """Raised inside a pass when the server failed: the other due rows are held."""


def send_due_now(case_id: int) -> None:
    """After the commit of a transaction that queued mail for the case (send_after_commit):
    what is due for it now (officers' mail; the reporter's batch when there is no window).
    With a window, the worker or `pracha send-reporter-mail` sends the batch once it is due."""
    try:
        send_due_mail(case_id=case_id)
    except Exception:  # mail trouble must never undo or break the change itself
        log.exception("could not send the e-mail about case %s", case_id)


def send_due_mail(*, case_id: int | None = None, now: datetime | None = None) -> MailPass:
    """One pass of the e-mail channel (of one case, or all): reporters' due batches, then
    officers' messages."""
    now = now or timezone.now()
    result = MailPass()
    with contextlib.suppress(MailServerDown):  # the rest waits for the failed message's retry
        _reporter_batches(case_id, now, result)
        _officer_messages(case_id, now, result)
        if case_id is None:  # a full pass also tells citizens of their life-event steps
            _journey_messages(now, result)
    if case_id is None:
        # A full pass also sends the news of citizens' proposals, then stores the close of
        # consultations past their date and tells their respondents.
        proposals = proposal_mail.send_due(now=now)
        result.delivered += proposals.delivered
        result.failed += proposals.failed
        consultation_mail.send_due(now, result)
    return result


def send_due_reporter_mail(*, case_id: int | None = None, now: datetime | None = None) -> int:
    """Send every due batch of reporters' news (of one case, or all); messages sent."""
    result = MailPass()
    with contextlib.suppress(MailServerDown):  # the rest waits for the failed batch's retry
        _reporter_batches(case_id, now or timezone.now(), result)
    return result.delivered


def _window() -> timedelta:
    return timedelta(seconds=settings.PRACHA.notify_batch_seconds)


def _reporter_batches(case_id: int | None, now: datetime, result: MailPass) -> None:
    window = _window()
    if case_id is None:  # a full pass; one case's pass after its commit writes nothing else
        _finish_orphans(now)
    rows = mail_rows(MailType.REPORTER).due(now).filter(case__isnull=False)
    if case_id is not None:
        rows = rows.filter(case_id=case_id)
    due = (
        rows.values("case_id")
        .annotate(first=Min("occurred_at"))
        .filter(first__lte=now - window)
        .order_by("first")
        .values_list("case_id", flat=True)[:CASES_PER_PASS]
    )
    for pk in list(due):
        while batch := claim_batch(pk, now, window):
            _send(batch, now, lambda b=batch, c=pk: send_batch(c, b), result)


def claim_batch(case_id: int, now: datetime, window: timedelta) -> list[Delivery]:
    """Take the case's first due batch: its oldest free event and those within the window
    after it. Only rows still free are taken, so two senders never send the same event."""
    free = mail_rows(MailType.REPORTER).due(now).filter(case_id=case_id)
    first = free.order_by("occurred_at", "pk").first()
    if first is None or first.occurred_at > now - window:
        return []
    batch = list(
        free.filter(occurred_at__lte=first.occurred_at + window).order_by("occurred_at", "pk")
    )
    return claim(batch, now, CLAIM_LEASE)


def _send(rows: list[Delivery], now: datetime, send: Any, result: MailPass) -> None:
    """Send a message (or several) for `rows`, record the outcome in the outbox and add it
    to `result`. Raises MailServerDown when the server itself failed."""
    kind, ticket = rows[0].event_type, rows[0].ticket_id
    try:
        sent: MailPass = send()
    except DatabaseError:
        raise
    except Exception as exc:
        log.exception("could not send the %s e-mail of case %s; will retry", kind, ticket)
        error = f"{type(exc).__name__}: {exc}"[:500]
        for row in record(rows, now, ok=False, retry=RETRY, error=error):
            log.error("gave up the %s e-mail about event %s", kind, row.case_event_id)
        if not isinstance(exc, MESSAGE_ERRORS) and isinstance(exc, OSError):
            # The server is down or refuses us: every other message would wait for its
            # timeout too. Hold them until this one's retry, and end this pass.
            held_until = min(r.next_attempt_at for r in rows)
            Delivery.objects.on(Channel.EMAIL).due(now).update(next_attempt_at=held_until)
            result.failed += 1
            raise MailServerDown from exc
        result.failed += 1
        return
    record(rows, now, ok=True, retry=RETRY)
    result.add(sent)


def _finish_orphans(now: datetime) -> None:
    """Rows whose case was deleted before they went out: there is no one to tell."""
    orphans = mail_rows(MailType.REPORTER).pending().filter(case__isnull=True)
    orphans.update(delivered_at=now, last_error="the case was deleted; nothing to send")


def send_batch(case_id: int, rows: list[Delivery]) -> MailPass:
    """One message to everyone following the case, listing the rows' events."""
    case = Case.objects.filter(pk=case_id).first()
    events = list(
        Event.objects.filter(
            pk__in=[r.case_event_id for r in rows], is_public=True, kind__in=REPORTER_EVENTS
        )
        .select_related("agency", "to_agency", "from_agency", "actor")
        .order_by("at", "pk")
    )
    if case is None or not events:  # hidden again before it went out: nothing to say
        return MailPass()
    contacts = [
        contact
        for contact in reporters_following(case, None, PURPOSE)
        if contact.email and not opted_out(contact.email, case) and not email_muted(contact.email)
    ]
    messages = [content.reporter_mail(case, events, contact) for contact in contacts]
    messages += account_messages(case, events, {c.email.casefold() for c in contacts})
    if messages:
        get_connection().send_messages(messages)
    return MailPass(delivered=len(messages))


def account_messages(case: Case, events: list[Event], sent_to: set[str]) -> list[EmailMessage]:
    """Reporters signed in when they filed (or who claimed the case, or one merged into it):
    a message at their account's e-mail in its language, unless they switched e-mail off in
    "My Pracha" (pracha.citizens) or already get it as the report's contact."""
    linked = Case.objects.filter(pk__in=[case.pk, *merged_case_ids(case)], citizen__isnull=False)
    messages = []
    for own in linked.select_related("citizen").order_by("pk"):
        citizen = own.citizen
        address = email_recipient(citizen) if citizen is not None else ""
        if citizen is None or not address or address in sent_to or opted_out(address, case):
            continue
        sent_to.add(address)
        contact = Contact(own.ticket_id, "", "", address)
        messages.append(content.reporter_mail(case, events, contact, language=citizen.language))
    return messages


def _officer_messages(case_id: int | None, now: datetime, result: MailPass) -> None:
    rows = mail_rows(MailType.OFFICER).due(now)
    if case_id is not None:
        rows = rows.filter(case_id=case_id)
    for row in list(rows.order_by("next_attempt_at", "pk")[:CASES_PER_PASS]):
        if taken := claim([row], now, CLAIM_LEASE):
            _send(taken, now, lambda r=row: _officer_message(r), result)


def _journey_messages(now: datetime, result: MailPass) -> None:
    rows = mail_rows(MailType.JOURNEY).due(now)
    for row in list(rows.order_by("next_attempt_at", "pk")[:CASES_PER_PASS]):
        if taken := claim([row], now, CLAIM_LEASE):
            _send(taken, now, lambda r=row: _journey_message(r), result)


def _journey_message(row: Delivery) -> MailPass:
    message = journey_message(row)
    if message is None:
        return MailPass()
    get_connection().send_messages([message])
    return MailPass(delivered=1)


def _officer_message(row: Delivery) -> MailPass:
    event = (
        Event.objects.select_related("case", "to_agency").filter(pk=row.case_event_id).first()
        if row.case_event_id
        else None
    )
    if event is None:  # the case was deleted meanwhile
        return MailPass()
    sent = notify_officers(event)
    return MailPass(delivered=sent, to_officers=sent)


def notify_officers(event: Event) -> int:
    """Officers who asked for an immediate message when a case arrives in their inbox."""
    if event.kind not in INBOX_EVENTS or event.to_agency_id is None:
        return 0
    preferences = immediate_officers(event.to_agency_id).select_related(
        "officer__user", "officer__agency"
    )
    messages = [
        content.officer_mail(p.officer, p.language, [event.case], immediate=True)
        for p in preferences
        if p.officer.user.email and p.officer.user.is_active
    ]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def waiting_for_batch() -> int:
    """Reporters' events not yet e-mailed."""
    return mail_rows(MailType.REPORTER).pending().count()


def report(result: PassResult) -> str:
    officers = result.to_officers if isinstance(result, MailPass) else 0
    parts = []
    if result.delivered - officers:
        parts.append(f"reporter e-mails: {result.delivered - officers} sent")
    if officers:
        parts.append(f"officer e-mails: {officers} sent")
    return "; ".join(parts)


def keep() -> timedelta:
    return KEEP


def prune_sent(now: datetime | None = None) -> int:
    return prune(Channel.EMAIL, KEEP, now)


SENDER = Sender(
    channel=Channel.EMAIL,
    what="reporter e-mail",
    send_due=send_due_mail,
    report=report,
    keep=keep,
    batch=CASES_PER_PASS,
)
