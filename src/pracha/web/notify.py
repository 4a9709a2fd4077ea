"""E-mail about cases: the reporter hears of every public change; officers of new cases.

Reporter e-mails go through an outbox: a post_save on Event writes a PendingReporterMail in
the transaction of the change (nothing rolled back is announced, nothing committed is lost).
Events of one case within PRACHA_NOTIFY_BATCH_SECONDS of the first go out as one message
listing each step; the delivery loop beside `pracha serve` sends due batches, and a commit
sends at once when there is no window. A failing mail server is logged, retried, and never
breaks the request that made the change.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from pracha.agencies.models import Agency, Officer
from pracha.cases.contact import Contact
from pracha.cases.models import Case, Event
from pracha.cases.public_actor import public_actor
from pracha.citizens.services.account import email_muted, email_recipient
from pracha.triage.merging import merged_case_ids, reporters_following
from pracha.web import names
from pracha.web.models import EmailOptOut, OfficerNotification, PendingReporterMail
from pracha.web.privacy import public_text
from pracha.web.session import private_path
from pracha.web.templatetags.pracha_web import explanation

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "pracha.web.unsubscribe"
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
# How much of the (masked) description a subject and a message quote.
SUBJECT_DESCRIPTION = 40
BODY_DESCRIPTION = 300


def absolute(path: str) -> str:
    return f"{settings.PRACHA.base_url}{path}"


def address_hash(email: str) -> str:
    return salted_hmac("pracha.web.email-opt-out", email.strip().casefold()).hexdigest()


def unsubscribe_token(case: Case, email: str) -> str:
    return signing.dumps({"c": case.pk, "a": address_hash(email)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["c"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def opted_out(email: str, case: Case) -> bool:
    digest = address_hash(email)
    return (
        EmailOptOut.objects.filter(address_hash=digest).filter(case__isnull=True).exists()
        or EmailOptOut.objects.filter(address_hash=digest, case=case).exists()
    )


def on_event_saved(sender: Any, instance: Event, created: bool, raw: bool, **_: Any) -> None:
    """Queue the reporter's e-mail in the transaction that stores the event (an outbox)."""
    if created and not raw and instance.is_public and instance.kind in REPORTER_EVENTS:
        PendingReporterMail.objects.create(event=instance, case_id=instance.case_id, at=instance.at)


def on_case_event(sender: Any, case_id: int, event_id: int, **_: Any) -> None:
    """After a commit: officers now; the reporter's batch if already due (no batch window).

    With a window, the e-mail loop beside `pracha serve` (pracha.web.mail_loop), or
    `pracha send-reporter-mail` from cron, sends the batch once it is due.
    """
    try:
        send_due_reporter_mail(case_id=case_id)
    except Exception:  # mail trouble must never undo or break the change itself
        log.exception("could not send the reporter's e-mail for case %s", case_id)
    try:
        event = Event.objects.select_related("case", "to_agency").get(pk=event_id)
        notify_officers(event)
    except Event.DoesNotExist:
        return
    except Exception:
        log.exception("could not send officers' e-mail for event %s", event_id)


# A sender that crashed mid-send frees its rows after this; a failing batch is retried this
# often before it is dropped (and logged), so one bad address cannot block a case forever.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
CASES_PER_PASS = 100


def send_due_reporter_mail(*, case_id: int | None = None, now: datetime | None = None) -> int:
    """Send every due batch (of one case, or all); the number of messages sent."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.PRACHA.notify_batch_seconds)
    rows = PendingReporterMail.objects.filter(_free(now))
    if case_id is not None:
        rows = rows.filter(case_id=case_id)
    due = (
        rows.values("case_id")
        .annotate(first=Min("at"))
        .filter(first__lte=now - window)
        .order_by("first")
        .values_list("case_id", flat=True)[:CASES_PER_PASS]
    )
    return sum(_send_case(pk, now, window) for pk in list(due))


def _free(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)


def _send_case(case_id: int, now: datetime, window: timedelta) -> int:
    """The case's due batches, oldest first, each one message per reporter."""
    sent = 0
    while rows := _claim_batch(case_id, now, window):
        try:
            sent += send_batch(case_id, [r.event_id for r in rows])
        except Exception:
            log.exception("could not e-mail the reporter of case %s; will retry", case_id)
            _release(rows)
            return sent
        PendingReporterMail.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return sent


def _claim_batch(case_id: int, now: datetime, window: timedelta) -> list[PendingReporterMail]:
    """The first due batch: the oldest free event and those within the window after it."""
    free = PendingReporterMail.objects.filter(_free(now), case_id=case_id)
    first = free.order_by("at", "pk").first()
    if first is None or first.at > now - window:
        return []
    ids = list(free.filter(at__lte=first.at + window).values_list("pk", flat=True))
    token = uuid.uuid4()
    # Only rows still free are taken, so two senders never send the same event.
    free.filter(pk__in=ids).update(claim=token, claimed_at=now)
    return list(PendingReporterMail.objects.filter(claim=token).order_by("at", "pk"))


def _release(rows: list[PendingReporterMail]) -> None:
    for row in rows:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            log.error("gave up e-mailing the reporter about event %s", row.event_id)
            row.delete()
        else:  # free again after the lease, so the retry waits a little
            PendingReporterMail.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)


def send_batch(case_id: int, event_ids: list[int]) -> int:
    """One message to everyone following the case, listing the events; messages sent."""
    case = Case.objects.filter(pk=case_id).first()
    events = list(
        Event.objects.filter(pk__in=event_ids, is_public=True, kind__in=REPORTER_EVENTS)
        .select_related("agency", "to_agency", "from_agency", "actor")
        .order_by("at", "pk")
    )
    if case is None or not events:  # hidden again before it went out: nothing to say
        return 0
    contacts = [
        contact
        for contact in reporters_following(case, None, PURPOSE)
        if contact.email and not opted_out(contact.email, case) and not email_muted(contact.email)
    ]
    messages = [reporter_message(case, events, contact) for contact in contacts]
    messages += account_messages(case, events, {c.email.casefold() for c in contacts})
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


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
        messages.append(reporter_message(case, events, contact, language=citizen.language))
    return messages


def news_agency(event: Event) -> Agency | None:
    """The agency the reporter should read about: where the case went, or who accepted it
    (an "accepted" mail must say which agency accepted, issue 23.1)."""
    if event.to_agency_id:
        return event.to_agency
    if event.kind == Event.Kind.ACCEPTED:
        return event.agency
    return None


def contact_language(case: Case, contact: Contact) -> str:
    """The case's language; a merged duplicate's reporter reads that of their own report."""
    if contact.ticket_id == case.ticket_id:
        language: str | None = case.language
    else:
        language = (
            Case.objects.filter(ticket_id=contact.ticket_id)
            .values_list("language", flat=True)
            .first()
        )
    return language if language in {"th", "en"} else "th"


def masked_start(text: str, length: int = SUBJECT_DESCRIPTION) -> str:
    """The start of a citizen's text with personal data masked, on one line."""
    flat = " ".join(public_text(text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def step(event: Event, language: str) -> dict[str, str]:
    """One event as the reporter reads it: what, when, who (agency and role, never a login)."""
    if event.kind in names.TECHNICAL_EVENTS:
        note = explanation(event)  # how triage decided, in plain words
    else:
        note = public_text(event.note or "")
    return {
        "what": names.event_label(event.kind),
        "when": names.format_when(event.at),
        "by": public_actor(event).name(language),
        "agency": names.localised(agency) if (agency := news_agency(event)) else "",
        "note": note.strip(),
    }


def reporter_message(
    case: Case, events: list[Event], contact: Contact, language: str | None = None
) -> EmailMessage:
    own = contact.ticket_id == case.ticket_id
    language = language or contact_language(case, contact)
    unsubscribe = absolute(f"/unsubscribe/{unsubscribe_token(case, contact.email)}/")
    with translation.override(language):
        steps = [step(e, language) for e in events]
        labels = list(dict.fromkeys(s["what"] for s in steps))
        context = {
            "case": case,
            "ticket": case.ticket_id,
            "name": contact.name,
            "merged_from": "" if own else contact.ticket_id,
            "first_filed": events[0].kind == Event.Kind.CREATED,
            "steps": steps,
            "what": ", ".join(labels),
            "start": masked_start(case.description),
            "description": masked_start(case.description, BODY_DESCRIPTION),
            "state": names.state_name(case.state),
            "ticket_url": absolute(f"/t/{case.ticket_id}/"),
            # The private rate/reopen link belongs to the case's own reporter only; it lands
            # on the rate/reopen box (#feedback).
            "manage_url": absolute(manage_path(case.ticket_id)) if own else "",
            "unsubscribe_url": unsubscribe,
            "closed": case.is_closed,
        }
        subject = render_to_string("web/email/reporter_subject.txt", context)
        body = render_to_string("web/email/reporter_update.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[contact.email],
        headers={
            # RFC 8058: mail programs offer their own one-click "unsubscribe" button.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def manage_path(ticket_id: str) -> str:
    return private_path(ticket_id) + "#feedback"


def mask_email(email: str) -> str:
    """`somsri@example.org` -> `s***@example.org`: enough to recognise, not to harvest."""
    local, at, domain = email.strip().partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def notify_officers(event: Event) -> int:
    """Officers who asked for an immediate message when a case arrives in their inbox."""
    if event.kind not in INBOX_EVENTS or event.to_agency_id is None:
        return 0
    preferences = OfficerNotification.objects.filter(
        mode=OfficerNotification.Mode.IMMEDIATE, officer__agency_id=event.to_agency_id
    ).select_related("officer__user", "officer__agency")
    messages = [
        officer_message(p.officer, p.language, [event.case], immediate=True)
        for p in preferences
        if p.officer.user.email and p.officer.user.is_active
    ]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def officer_message(
    officer: Officer,
    language: str,
    cases: list[Case],
    *,
    immediate: bool,
    more: int = 0,
) -> EmailMessage:
    with translation.override(language if language in {"th", "en"} else "th"):
        context = {
            "officer": officer,
            "agency": names.localised(officer.agency),
            "cases": [
                {
                    "ticket_id": c.ticket_id,
                    "description": " ".join((c.description or "").split())[:200],
                    "when": names.format_when(c.created_at),
                    "url": absolute(f"/office/case/{c.ticket_id}/"),
                }
                for c in cases
            ],
            "more": more,
            "immediate": immediate,
            "inbox_url": absolute("/office/"),
            "settings_url": absolute("/office/settings/"),
        }
        subject = render_to_string("web/email/officer_subject.txt", context)
        body = render_to_string("web/email/officer_cases.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[officer.user.email])
