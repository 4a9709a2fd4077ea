"""Reminders of steps coming due and overdue (`pracha life-events remind`, daily).

Each step's template says when: `before = [7, 0]` (days before the due date) and `overdue =
[30]` (days after). A run sends, per step, the most urgent stage reached and not yet sent;
the StepReminder row (unique per step and stage) keeps a step from hearing the same thing
twice, even when two runs overlap. Stages passed while nobody ran the command are not sent
late one by one: the most urgent one stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.lifeevents.models import JourneyStep, StepReminder, StepState
from pracha.lifeevents.services.journeys import definition_of
from pracha.lifeevents.signals import step_reminder

# Steps still the citizen's to do: waiting on them (or on an earlier step) and not done.
REMINDED_STATES = (StepState.AVAILABLE, StepState.LOCKED)


@dataclass(frozen=True)
class Due:
    step: JourneyStep
    stage: str  # "before-7", "overdue-30"
    days: int  # days left (before) or days late (overdue)


def stage_for(step: JourneyStep, today: date) -> tuple[str, int] | None:
    if step.due_at is None:
        return None
    reminders = definition_of(step)["reminders"]
    left = (step.due_at - today).days
    if left >= 0:
        reached = [d for d in reminders["before"] if left <= d]
        return (f"before-{min(reached)}", left) if reached else None
    late = -left
    reached = [d for d in reminders["overdue"] if late >= d]
    return (f"overdue-{max(reached)}", late) if reached else None


def due_reminders(today: date | None = None) -> list[Due]:
    today = today or timezone.localdate()
    steps = (
        JourneyStep.objects.filter(state__in=REMINDED_STATES, due_at__isnull=False)
        .select_related("journey__life_event", "journey__citizen", "agency")
        .order_by("journey_id", "pk")
    )
    sent = set(StepReminder.objects.filter(step__in=steps).values_list("step_id", "stage"))
    found = []
    for step in steps:
        if (reached := stage_for(step, today)) and (step.pk, reached[0]) not in sent:
            found.append(Due(step, *reached))
    return found


def do_send_reminders(today: date | None = None) -> list[Due]:
    """Tell each citizen of their due steps (receivers of `step_reminder` send); returns what
    was sent. A reminder no receiver could deliver (no e-mail, no LINE) is still recorded:
    the citizen reads it on their journey page."""
    done = []
    for due in due_reminders(today):
        try:
            with transaction.atomic():
                StepReminder.objects.create(step=due.step, stage=due.stage)
                step_reminder.send(
                    sender=JourneyStep, step=due.step, journey=due.step.journey,
                    stage=due.stage, days=due.days,
                )  # fmt: skip
        except IntegrityError:
            continue  # another run sent it meanwhile
        done.append(due)
    return done
