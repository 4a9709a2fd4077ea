"""The words of Pracha's e-mails: the reporter's news of their report, officers' new cases.

pracha.notify decides who is written to and when, and sends; it gets these writers from
apps.py (pracha.notify.content). They live here because they speak as the web pages do
(names, dates, languages) and link to them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from pracha.agencies.models import Agency, Officer
from pracha.cases.contact import Contact
from pracha.cases.models import Case, Event
from pracha.cases.public_actor import public_actor
from pracha.notify.optout import unsubscribe_token
from pracha.web import names
from pracha.web.privacy import public_text
from pracha.web.session import private_path
from pracha.web.templatetags.pracha_web import explanation

# How much of the (masked) description a subject and a message quote.
SUBJECT_DESCRIPTION = 40
BODY_DESCRIPTION = 300


def absolute(path: str) -> str:
    return f"{settings.PRACHA.base_url}{path}"


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
