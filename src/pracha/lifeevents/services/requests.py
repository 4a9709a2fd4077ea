"""A journey step's service request follows its case: the agency works it with the usual
workflow (accept, forward, close) and the step's state follows, in the same transaction.

Closing as done completes the step. The officer may give the facts the step produces in the
closing note, one per line (`child_national_id: 1234567890123`); a produced fact not given
is recorded as true (the agency says it is done).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from pracha.cases.models import CaseKind, Event
from pracha.lifeevents.models import WITH_AGENCY, JourneyStep, StepState
from pracha.lifeevents.services.journeys import definition_of, do_complete_step, refresh_states
from pracha.states import State

NOTE_FACT = re.compile(r"^\s*([a-z][a-z0-9_]{0,79})\s*[:=]\s*(.+?)\s*$")


def facts_in_note(note: str, wanted: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in note.splitlines():
        if (match := NOTE_FACT.match(line)) and match.group(1) in wanted:
            found[match.group(1)] = _value(match.group(2))
    return found


def _value(text: str) -> Any:
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def on_event_saved(
    sender: Any, instance: Event, created: bool, raw: bool = False, **_: Any
) -> None:
    if not created or raw:
        return
    case = instance.loaded_case()
    if case is not None and case.kind != CaseKind.SERVICE_REQUEST:
        return  # only service requests belong to journey steps; spares reports a query
    step = (
        JourneyStep.objects.select_related("journey__life_event", "agency")
        .filter(case_id=instance.case_id)
        .first()
    )
    if step is not None and step.state in WITH_AGENCY:
        with transaction.atomic():
            apply_case_event(step, instance)


def apply_case_event(step: JourneyStep, event: Event) -> None:
    if event.kind == Event.Kind.CLOSED and event.to_state == State.DONE:
        produced = facts_in_note(event.note, list(definition_of(step)["produces"]))
        do_complete_step(step, produced, step.agency)
    elif event.kind == Event.Kind.CLOSED:
        # Closed as not relevant: the citizen may submit it again (the reason is shown).
        step.state, step.case = StepState.AVAILABLE, None
        step.save(update_fields=["state", "case"])
        refresh_states(step.journey)  # may lock it again (a fact changed meanwhile)
        reason = f"returned by {step.agency}: {event.note}"[:500]
        JourneyStep.objects.filter(pk=step.pk, state=StepState.AVAILABLE).update(reason=reason)
    elif event.kind == Event.Kind.FORWARDED and event.to_agency is not None:
        step.agency = event.to_agency
        step.save(update_fields=["agency"])
    elif event.kind in (Event.Kind.ACCEPTED, Event.Kind.STATE_CHANGED):
        step.state = StepState.IN_PROGRESS
        step.save(update_fields=["state"])
