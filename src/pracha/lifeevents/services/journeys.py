"""Starting a journey, working out each step's state, and submitting a step.

A step's state follows from the facts and the other steps, worked out again after every
change (`refresh_states`): a failing eligibility rule -> not_eligible (with the reason);
prerequisites not done or a fact the rule needs not known -> locked (with the reason);
otherwise available. Submitted, in progress, done and skipped are set by what happens.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.actors import Actor
from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.models import Case, CaseKind, Event
from pracha.cases.signals import announce
from pracha.citizens.models import Citizen
from pracha.lifeevents.errors import StepNotOpen
from pracha.lifeevents.models import (
    OPEN_STEP_STATES,
    Journey,
    JourneyStep,
    LifeEvent,
    StepState,
)
from pracha.lifeevents.rules import evaluate, facts_of_rule
from pracha.lifeevents.services.facts import (
    check_facts,
    do_give_consent,
    do_record_facts,
    facts_of,
    shared_facts,
)
from pracha.lifeevents.signals import step_available
from pracha.tickets import new_ticket_id

# The oldest event a journey may start from: a child's vaccinations run to 4 years, and
# nothing here is due much later than that.
MAX_AGE_DAYS = 6 * 366
SATISFIED = (StepState.DONE, StepState.SKIPPED)


def current_life_events() -> list[LifeEvent]:
    return list(LifeEvent.objects.filter(is_current=True).order_by("code"))


def get_life_event(code: str) -> LifeEvent:
    event = LifeEvent.objects.filter(code=code, is_current=True).first()
    if event is None:
        raise NotFound(f"no life event {code!r}; GET /api/v1/life-events lists them")
    return event


def check_anchor_date(raw: Any, today: date | None = None) -> date:
    """The event's date: a real calendar date, not in the future, not years ago."""
    today = today or timezone.localdate()
    if isinstance(raw, date):
        value = raw
    else:
        try:
            value = date.fromisoformat(str(raw))
        except ValueError as exc:
            raise InvalidInput(
                f"anchor_date {raw!r} is not a date (YYYY-MM-DD)", field="anchor_date"
            ) from exc
    if value > today:
        raise InvalidInput("anchor_date is in the future", field="anchor_date")
    if (today - value).days > MAX_AGE_DAYS:
        raise InvalidInput(
            f"anchor_date is more than {MAX_AGE_DAYS // 366} years ago", field="anchor_date"
        )
    return value


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(anchor: date, step: dict[str, Any]) -> date | None:
    if step.get("due_days") is not None:
        return anchor + timedelta(days=int(step["due_days"]))
    if step.get("due_months") is not None:
        return add_months(anchor, int(step["due_months"]))
    return None


def is_overdue(step: JourneyStep, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        step.due_at
        and step.due_at < today
        and step.state not in (*SATISFIED, StepState.NOT_ELIGIBLE)
    )


def definition_of(step: JourneyStep) -> dict[str, Any]:
    found = step.journey.life_event.step(step.code)
    assert found is not None  # a journey's steps come from its own version
    return found


def _agencies(event: LifeEvent) -> dict[str, Agency]:
    codes = {s["agency"] for s in event.steps}
    return {a.code: a for a in Agency.objects.filter(code__in=codes)}


@transaction.atomic
def do_start_journey(
    citizen: Citizen, code: str, anchor_raw: Any, facts_raw: Any = None
) -> Journey:
    event = get_life_event(code)
    anchor = check_anchor_date(anchor_raw)
    facts = check_facts(facts_raw)
    agencies = _agencies(event)
    journey = Journey.objects.create(citizen=citizen, life_event=event, anchor_date=anchor)
    do_record_facts(journey, facts, "citizen")
    JourneyStep.objects.bulk_create(
        JourneyStep(
            journey=journey, code=s["code"], agency=agencies[s["agency"]],
            due_at=due_date(anchor, s),
        )
        for s in event.steps
    )  # fmt: skip
    refresh_states(journey, announce_available=False)
    return journey


def steps_of(journey: Journey) -> list[JourneyStep]:
    return list(journey.steps.select_related("agency", "case").order_by("pk"))


def refresh_states(journey: Journey, *, announce_available: bool = True) -> list[JourneyStep]:
    """Work out the open steps' states again; returns the steps that became available."""
    facts = facts_of(journey)
    steps = steps_of(journey)
    by_code = {s.code: s for s in steps}
    opened: list[JourneyStep] = []
    for step in steps:
        if step.state not in OPEN_STEP_STATES:
            continue
        definition = journey.life_event.step(step.code) or {}
        state, reason = _open_state(definition, facts, by_code)
        if (state, reason) == (step.state, step.reason):
            continue
        if state == StepState.AVAILABLE:
            opened.append(step)
        step.state, step.reason = state, reason[:500]
        step.save(update_fields=["state", "reason"])
    _note_completion(journey, steps)
    if announce_available:
        for step in opened:
            transaction.on_commit(_announcer(step, journey))
    return opened


def _announcer(step: JourneyStep, journey: Journey) -> Callable[[], object]:
    return lambda: step_available.send(sender=JourneyStep, step=step, journey=journey)


def _open_state(
    definition: dict[str, Any], facts: dict[str, Any], by_code: dict[str, JourneyStep]
) -> tuple[str, str]:
    verdict = evaluate(definition.get("eligibility"), facts)
    if verdict.ok is False:
        return StepState.NOT_ELIGIBLE, verdict.reason
    waiting = [c for c in definition.get("prerequisites", []) if by_code[c].state not in SATISFIED]
    if waiting:
        return StepState.LOCKED, f"waiting for: {', '.join(waiting)}"
    if verdict.ok is None:
        return StepState.LOCKED, f"needs facts: {', '.join(verdict.missing)}"
    return StepState.AVAILABLE, ""


def _note_completion(journey: Journey, steps: list[JourneyStep]) -> None:
    mandatory = [s for s in steps if (journey.life_event.step(s.code) or {}).get("mandatory")]
    finished = all(s.state in (*SATISFIED, StepState.NOT_ELIGIBLE) for s in mandatory)
    if finished and journey.completed_at is None:
        journey.completed_at = timezone.now()
        journey.save(update_fields=["completed_at"])


def get_journey(citizen: Citizen, journey_id: int) -> Journey:
    """The citizen's own journey; anyone else's is as absent as a missing one (404)."""
    journey = (
        Journey.objects.select_related("life_event").filter(pk=journey_id, citizen=citizen).first()
    )
    if journey is None:
        raise NotFound(f"no journey {journey_id}")
    return journey


def get_step(journey: Journey, code: str) -> JourneyStep:
    step = journey.steps.select_related("agency", "journey__life_event").filter(code=code).first()
    if step is None:
        raise NotFound(f"journey {journey.pk} has no step {code!r}")
    return step


def check_may_submit(step: JourneyStep) -> None:
    if step.state == StepState.AVAILABLE:
        return
    if step.state == StepState.LOCKED:
        raise StepNotOpen(f"step {step.code!r} cannot be submitted yet: {step.reason}")
    if step.state == StepState.NOT_ELIGIBLE:
        raise StepNotOpen(f"step {step.code!r} is not open to you: {step.reason}")
    raise StepNotOpen(f"step {step.code!r} is already {step.state}")


def do_submit_step(journey: Journey, code: str, facts_raw: Any = None) -> JourneyStep:
    """The facts join the journey's; a record step is done at once, a service step becomes a
    service request in its agency's inbox with only the facts that step uses."""
    facts = check_facts(facts_raw)
    with transaction.atomic():
        journey = Journey.objects.select_for_update().get(pk=journey.pk)
        step = get_step(journey, code)
        do_record_facts(journey, facts, "citizen")
        refresh_states(journey)
        step.refresh_from_db()
        check_may_submit(step)
        definition = definition_of(step)
        now = timezone.now()
        if definition["kind"] == "record":
            return do_complete_step(step, produced=facts, agency=None)
        known = facts_of(journey)
        shared = [key for key in definition["uses"] if key in known]
        do_give_consent(journey, step.agency, shared, step.code)
        step.case = _service_request(journey, step, definition)
        step.state, step.reason, step.submitted_at, step.online = (
            StepState.SUBMITTED, "", now, True
        )  # fmt: skip
        step.save(update_fields=["case", "state", "reason", "submitted_at", "online"])
        return step


def service_request_text(journey: Journey, step: JourneyStep, definition: dict[str, Any]) -> str:
    shared = shared_facts(journey, list(definition["uses"]), step.agency)
    lines = [
        f"{definition['name_th']} / {definition['name_en']}",
        f"Life event: {journey.life_event.name_en} ({journey.life_event.code}), "
        f"{journey.anchor_date.isoformat()}; journey {journey.pk}, step {step.code}",
        "Facts the citizen shares with this agency:" if shared else "No facts shared.",
        *(f"- {key}: {value}" for key, value in shared.items()),
    ]
    return "\n".join(lines)


def _service_request(journey: Journey, step: JourneyStep, definition: dict[str, Any]) -> Case:
    now = timezone.now()
    case = Case.all_kinds.create(
        kind=CaseKind.SERVICE_REQUEST,
        ticket_id=new_ticket_id(now),
        description=service_request_text(journey, step, definition),
        agency=step.agency,
        source=Case.Source.JOURNEY,
        language=journey.citizen.language,
        created_at=now,
        updated_at=now,
    )
    event = Event.objects.create(
        case=case, kind=Event.Kind.CREATED, at=now, actor_label=Actor.citizen().label,
        to_state=case.state, to_agency=step.agency, is_public=False,
    )  # fmt: skip
    announce(case.pk, event.pk)
    return case


def do_complete_step(
    step: JourneyStep, produced: dict[str, Any], agency: Agency | None
) -> JourneyStep:
    """Done: its produced facts are recorded and the steps that needed it re-opened."""
    definition = definition_of(step)
    keys = list(definition["produces"])
    values = {key: produced.get(key, True) for key in keys}
    do_record_facts(step.journey, values, step.code, agency)
    step.state, step.reason, step.done_at = StepState.DONE, "", timezone.now()
    step.save(update_fields=["state", "reason", "done_at"])
    refresh_states(step.journey)
    return step


def do_tell_facts(journey: Journey, facts_raw: Any) -> list[JourneyStep]:
    """New or corrected facts (told once, for every later step); returns the steps they
    opened (the citizen is told of each, by step_available)."""
    facts = check_facts(facts_raw)
    with transaction.atomic():
        journey = Journey.objects.select_for_update().get(pk=journey.pk)
        do_record_facts(journey, facts, "citizen")
        return refresh_states(journey)


def facts_asked(event: LifeEvent) -> list[str]:
    """Every fact the event's steps use or test, in the order they first appear."""
    produced = {name for step in event.steps for name in step["produces"]}
    names: list[str] = []
    for step in event.steps:
        for name in [*step["uses"], *sorted(facts_of_rule(step["eligibility"]))]:
            if name not in names and name not in produced:
                names.append(name)
    return names


def do_skip_step(journey: Journey, code: str) -> JourneyStep:
    step = get_step(journey, code)
    if definition_of(step)["mandatory"]:
        raise StepNotOpen(f"step {code!r} is required by law; it cannot be skipped")
    if step.state not in OPEN_STEP_STATES:
        raise StepNotOpen(f"step {code!r} is already {step.state}")
    step.state, step.reason = StepState.SKIPPED, ""
    step.save(update_fields=["state", "reason"])
    refresh_states(journey)
    return step
