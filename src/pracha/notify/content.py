"""What messages say comes from the layers that present Pracha to people.

pracha.notify decides who hears of what and when, and makes sure it gets there. The words
and documents belong to the entry points above it, which hand them over in their
AppConfig.ready():

- pracha.web writes the e-mails (in its words and languages, with links to its pages):
  `provide(reporter_mail=..., officer_mail=..., proposal_mail=...)`;
- pracha.open311 writes the case in a webhook body (a GeoReport v2 request) and the change
  an event made: `provide(webhook_case_event=...)`;
- pracha.line writes the chat messages of a status push: `provide(line_status=...)`.

So notify imports neither of them, and a message whose writer is not installed fails (and
is retried) with a clear error instead of going out half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from pracha.agencies.models import Officer
from pracha.cases.contact import Contact
from pracha.cases.models import Case, Event
from pracha.proposals.models import ProposalEvent


class ReporterMail(Protocol):
    def __call__(
        self, case: Case, events: list[Event], contact: Contact, language: str | None = None
    ) -> EmailMessage:
        """One message to one person following `case`, listing `events` (oldest first), in
        `language` (default: the one the reporter used)."""
        ...


class OfficerMail(Protocol):
    def __call__(
        self, officer: Officer, language: str, cases: list[Case], *, immediate: bool, more: int = 0
    ) -> EmailMessage:
        """New cases in the officer's inbox: one (immediate) or a digest (`more` not listed)."""
        ...


class LineStatus(Protocol):
    def __call__(self, case: Case, event: Event, language: str) -> list[Any]:
        """The LINE messages (linebot.v3 message objects) telling a reporter of `event`."""
        ...


class WebhookCaseEvent(Protocol):
    def __call__(self, event_id: int) -> dict[str, Any] | None:
        """`{"change": ..., "case": ...}` for a webhook body; None if the event is gone."""
        ...


class ProposalMail(Protocol):
    def __call__(self, event: ProposalEvent, address: str, language: str) -> EmailMessage:
        """One message to one person (a citizen who follows, or an officer) about a step of
        a proposal, in `language`."""
        ...


@dataclass
class Writers:
    reporter_mail: ReporterMail | None = None
    officer_mail: OfficerMail | None = None
    webhook_case_event: WebhookCaseEvent | None = None
    proposal_mail: ProposalMail | None = None
    line_status: LineStatus | None = None


WRITERS = Writers()
PROVIDED_BY = {
    "reporter_mail": "pracha.web",
    "officer_mail": "pracha.web",
    "webhook_case_event": "pracha.open311",
    "proposal_mail": "pracha.web",
    "line_status": "pracha.line",
}


def provide(**writers: Any) -> None:
    """Hand over writers by name (see `Writers`); called from an AppConfig.ready()."""
    known = {f.name for f in fields(Writers)}
    for name, writer in writers.items():
        if name not in known:
            raise TypeError(f"no such writer: {name!r} (known: {', '.join(sorted(known))})")
        setattr(WRITERS, name, writer)


def _need(name: str) -> Any:
    writer = getattr(WRITERS, name)
    if writer is None:
        raise ImproperlyConfigured(
            f"nothing writes {name.replace('_', ' ')}: {PROVIDED_BY[name]} provides it "
            "(is it in INSTALLED_APPS?)"
        )
    return writer


def reporter_mail(
    case: Case, events: list[Event], contact: Contact, language: str | None = None
) -> EmailMessage:
    writer: ReporterMail = _need("reporter_mail")
    return writer(case, events, contact, language)


def officer_mail(
    officer: Officer, language: str, cases: list[Case], *, immediate: bool, more: int = 0
) -> EmailMessage:
    writer: OfficerMail = _need("officer_mail")
    return writer(officer, language, cases, immediate=immediate, more=more)


def webhook_case_event(event_id: int) -> dict[str, Any] | None:
    writer: WebhookCaseEvent = _need("webhook_case_event")
    return writer(event_id)


def proposal_mail(event: ProposalEvent, address: str, language: str) -> EmailMessage:
    writer: ProposalMail = _need("proposal_mail")
    return writer(event, address, language)


def line_status(case: Case, event: Event, language: str) -> list[Any]:
    writer: LineStatus = _need("line_status")
    return writer(case, event, language)
