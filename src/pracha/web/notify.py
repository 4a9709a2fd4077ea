"""E-mail about cases: the reporter hears of every public change; officers of new cases.

Receivers run on `case_event_committed`, which is sent after the change has committed, so no
message announces something that was rolled back. A failing mail server is logged and never
breaks the request that made the change.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac

from pracha.agencies.models import Agency, Officer
from pracha.audit.contact import Contact
from pracha.cases.models import Case, Event
from pracha.cases.services.tickets import citizen_token
from pracha.triage.merging import reporters_following
from pracha.web import names
from pracha.web.models import EmailOptOut, OfficerNotification

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


def on_case_event(sender: Any, case_id: int, event_id: int, **_: Any) -> None:
    try:
        event = Event.objects.select_related("case", "agency", "to_agency", "from_agency").get(
            pk=event_id
        )
    except Event.DoesNotExist:
        return
    for send in (notify_reporter, notify_officers):
        try:
            send(event)
        except Exception:  # mail trouble must never undo or break the change itself
            log.exception("could not send %s for event %s", send.__name__, event_id)


def notify_reporter(event: Event) -> bool:
    """E-mail everyone following the case: its reporter and those of duplicates merged in."""
    if not event.is_public or event.kind not in REPORTER_EVENTS:
        return False
    case = event.case
    sent = False
    for contact in reporters_following(case, None, PURPOSE):
        if contact.email and not opted_out(contact.email, case):
            send_reporter_message(event, contact)
            sent = True
    return sent


def news_agency(event: Event) -> Agency | None:
    """The agency the reporter should read about: where the case went, or who accepted it
    (an "accepted" mail must say which agency accepted, issue 23.1)."""
    if event.to_agency_id:
        return event.to_agency
    if event.kind == Event.Kind.ACCEPTED:
        return event.agency
    return None


def send_reporter_message(event: Event, contact: Contact) -> None:
    case = event.case
    own = contact.ticket_id == case.ticket_id
    if own:
        language = case.language
    else:  # the reporter of a merged duplicate: in the language of their own report
        language = (
            Case.objects.filter(ticket_id=contact.ticket_id)
            .values_list("language", flat=True)
            .first()
        )
    language = language if language in {"th", "en"} else "th"
    unsubscribe = absolute(f"/unsubscribe/{unsubscribe_token(case, contact.email)}/")
    with translation.override(language):
        context = {
            "case": case,
            "event": event,
            "name": contact.name,
            "merged_from": "" if own else contact.ticket_id,
            "what": names.event_label(event.kind),
            "state": names.state_name(case.state),
            "when": names.format_when(event.at),
            "to_agency": names.localised(agency) if (agency := news_agency(event)) else "",
            "ticket_url": absolute(f"/t/{case.ticket_id}/"),
            # The private rate/reopen link belongs to the case's own reporter only.
            "manage_url": absolute(f"/t/{case.ticket_id}/?k={citizen_token(case.ticket_id)}")
            if own
            else "",
            "unsubscribe_url": unsubscribe,
            "closed": case.is_closed,
        }
        subject = render_to_string("web/email/reporter_subject.txt", context)
        body = render_to_string("web/email/reporter_update.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[contact.email],
        headers={
            # RFC 8058: mail programs offer their own one-click "unsubscribe" button.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


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
