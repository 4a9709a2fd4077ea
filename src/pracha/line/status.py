"""The chat message telling a LINE reporter of a public change of their report: handed to
pracha.notify (`content.provide(line_status=...)`), which pushes it through its outbox."""

from __future__ import annotations

from typing import Any

from pracha.cases.models import Case, Event
from pracha.line.messages import public_url, rating_buttons, text
from pracha.line.words import say, state_name
from pracha.states import CLOSED_STATES
from pracha.triage.models import MergedCase


def _agency(event: Event, language: str) -> str:
    agency = event.to_agency or event.agency
    if agency is None:
        return ""
    english = getattr(agency, "name_en", "") if language == "en" else ""
    return str(english or getattr(agency, "name_th", "") or agency)


def what_happened(case: Case, event: Event, language: str) -> str:
    kind = event.kind
    if kind == Event.Kind.FORWARDED:
        return say("status_forwarded", language, agency=_agency(event, language))
    if kind == Event.Kind.INVITED:
        return say("status_invited", language, agency=_agency(event, language))
    if kind == Event.Kind.COMMENTED:
        return say("status_comment", language, note=(event.note or "")[:1000])
    if kind == Event.Kind.REOPENED:
        return say("status_reopened", language)
    if kind == Event.Kind.TRIAGE_CORRECTED:
        return say("status_corrected", language)
    if kind == Event.Kind.CLOSED:
        merged = MergedCase.objects.filter(duplicate=case).select_related("original").first()
        if merged is not None:
            return say("status_merged", language, ticket=merged.original.ticket_id)
        closed = say("status_closed", language, state=state_name(event.to_state, language))
        if case.photos.filter(kind="after").exists():
            closed += ", " + say("status_after_photo", language)
        return closed
    return state_name(event.to_state or case.state, language)


def status_messages(case: Case, event: Event, language: str) -> list[Any]:
    body = say(
        "status",
        language,
        ticket=case.ticket_id,
        what=what_happened(case, event, language),
        url=public_url(case.ticket_id),
    )
    messages = [text(body)]
    merged = MergedCase.objects.filter(duplicate=case).exists()
    if event.kind == Event.Kind.CLOSED and case.state in CLOSED_STATES and not merged:
        messages.append(text(say("rate_ask", language), rating_buttons(case.ticket_id, language)))
    return messages
