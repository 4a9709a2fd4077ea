"""A consultation, its questions, and each citizen's one response with an answer per question.

The state stored is draft, open (published) or closed; what the public sees also depends on
the clock (`phase`): published but before `opens_at` is upcoming, and past `closes_at` it is
closed even before the closing job has stored that (pracha.consultations.services.closing).
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.citizens.models import Citizen


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Published"
    CLOSED = "closed", "Closed"


class Phase(models.TextChoices):
    """The state as the public sees it at a moment."""

    DRAFT = "draft", "Draft"
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Consultation(models.Model):
    ref = models.SlugField(
        max_length=64, unique=True, help_text="In its address: /consultations/<ref>/"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consultations")
    title_th = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    summary_th = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    draft_th = models.TextField(blank=True, help_text="The proposed change or policy, in full")
    draft_en = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When the close was stored")
    changes_due_at = models.DateTimeField(
        null=True, blank=True, help_text="Set at the close: closes_at + PRACHA_PROPOSAL_ANSWER_DAYS"
    )
    changes_th = models.TextField(blank=True, help_text="What we changed because of you")
    changes_en = models.TextField(blank=True)
    changes_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref}: {self.title_th}"

    def phase(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.state == State.DRAFT:
            return Phase.DRAFT
        if self.state == State.CLOSED or now >= self.closes_at:
            return Phase.CLOSED
        if now < self.opens_at:
            return Phase.UPCOMING
        return Phase.OPEN


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One choice"
        MULTIPLE = "multiple", "Several choices"
        SCALE = "scale_1_5", "Scale from 1 to 5"
        FREE_TEXT = "free_text", "Free text"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text_th = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500, blank=True)
    options = models.JSONField(
        default=list, blank=True, help_text='Choices: [{"th": "...", "en": "..."}, ...]'
    )
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation.ref} Q{self.order}: {self.text_th}"

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Response(models.Model):
    """A citizen's answers to one consultation: one row per person, changed in place until
    the close. `citizen` is emptied when the account is deleted after the close, so the
    published figures stay as they were and lead to nobody."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    citizen = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notify = models.BooleanField(
        default=False, help_text="The citizen asked to be e-mailed the results and the changes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "citizen"], name="consultation_one_response_per_citizen"
            ),
        ]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.consultation_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True, help_text="0-based option positions")
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1-5 on a scale")
    text = models.TextField(blank=True, help_text="Free text as written (shown masked)")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="consultation_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"answer to question {self.question_id}"
