"""Life events (versioned templates), citizens' journeys, their facts, steps and consents."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.citizens.models import Citizen


class LifeEvent(models.Model):
    """One version of a template. A changed file is stored as a new version; journeys keep
    the version they started on, so their steps never change under them."""

    code = models.SlugField(max_length=40)
    version = models.PositiveIntegerField()
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    definition = models.JSONField(help_text="The checked template, every step field present")
    digest = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="lifeevent_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def steps(self) -> list[dict[str, Any]]:
        return list(self.definition["steps"])

    def step(self, code: str) -> dict[str, Any] | None:
        return next((s for s in self.steps if s["code"] == code), None)


class StepState(models.TextChoices):
    LOCKED = "locked", "Locked"
    AVAILABLE = "available", "Available"
    SUBMITTED = "submitted", "Submitted"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    SKIPPED = "skipped", "Skipped"


OPEN_STEP_STATES = (StepState.LOCKED, StepState.AVAILABLE, StepState.NOT_ELIGIBLE)
WITH_AGENCY = (StepState.SUBMITTED, StepState.IN_PROGRESS)


class Journey(models.Model):
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="journeys")
    life_event = models.ForeignKey(LifeEvent, on_delete=models.PROTECT, related_name="journeys")
    anchor_date = models.DateField(help_text="The event's date: the birth, the move")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When every mandatory step was done"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"journey {self.pk} ({self.life_event})"


class JourneyFact(models.Model):
    """A fact told once (by the citizen, or recorded by the agency that completed a step)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="facts")
    key = models.CharField(max_length=80)
    value = models.JSONField()
    source = models.CharField(max_length=60, help_text="'citizen', or the step that made it")
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "key"], name="journey_fact_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} of journey {self.journey_id}"


class JourneyStep(models.Model):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(max_length=60)
    state = models.CharField(max_length=20, choices=StepState.choices, default=StepState.LOCKED)
    reason = models.CharField(max_length=500, blank=True, help_text="Why locked or not eligible")
    due_at = models.DateField(null=True, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # The private service request in the agency's inbox (never public).
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="journey_step"
    )
    online = models.BooleanField(default=False, help_text="Submitted through Pracha")
    submitted_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "code"], name="journey_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} of journey {self.journey_id}: {self.state}"


class FactConsent(models.Model):
    """The citizen lets `agency` see one fact (PDPA), from given_at until revoked_at."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="consents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    fact = models.CharField(max_length=80)
    step = models.SlugField(max_length=60, help_text="The step it was shared for")
    given_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return f"{self.fact} to {self.agency_id} (journey {self.journey_id})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class StepReminder(models.Model):
    """A reminder sent: one per step and stage ("before-7", "overdue-30"), never twice."""

    step = models.ForeignKey(JourneyStep, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "stage"], name="step_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} reminder of step {self.step_id}"
