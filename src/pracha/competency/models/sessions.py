"""An officer's sitting of a test, and each item asked in it."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.competency.models.assessments import Assessment
from pracha.competency.models.bank import Item, ItemParameters


class SessionQuerySet(models.QuerySet["Session"]):
    def open(self) -> SessionQuerySet:
        return self.filter(finished_at__isnull=True)

    def finished(self) -> SessionQuerySet:
        return self.filter(finished_at__isnull=False)


class Session(models.Model):
    class End(models.TextChoices):
        COMPLETED = "completed", "Every item answered"
        SE_REACHED = "se_reached", "Precise enough (standard error reached)"
        MAX_ITEMS = "max_items", "Longest test reached"
        POOL_EMPTY = "pool_empty", "No item left to ask"
        TIME_UP = "time_up", "Time limit"
        ENDED_EARLY = "ended_early", "Ended by the officer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="sessions")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="test_sessions")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", help_text="The officer's at the start"
    )
    language = models.CharField(max_length=2, choices=Item.Language.choices)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=End.choices, blank=True)
    form = models.JSONField(
        default=list, blank=True, help_text="Fixed forms: [item id, subtest code] in order"
    )
    held_back = models.JSONField(
        default=list, blank=True, help_text="Adaptive: items exposure control kept from it"
    )
    answered = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(null=True, blank=True, help_text="Points so far (fixed) or 0-100")
    theta = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="Per subtest and domain")

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(finished_at__isnull=True),
                name="competency_one_open_session_per_officer",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "started_at"], name="competency_session_agency"),
            models.Index(fields=["started_at"], name="competency_session_started"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment.code} by {self.officer_id} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


class Response(models.Model):
    """An item asked in a session; `choice` stays empty until it is answered. Options are
    shown in a shuffled order (`option_order[shown] = option as written`)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="responses")
    subtest = models.SlugField(max_length=40)
    parameters = models.ForeignKey(
        ItemParameters,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        help_text="The parameter version this response was scored with",
    )
    option_order = models.JSONField()
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    choice = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The option chosen, 0-based as written"
    )
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.PositiveSmallIntegerField(null=True, blank=True, help_text="IRT category")

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="competency_position"),
            models.UniqueConstraint(fields=["session", "item"], name="competency_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.position}: {self.item}"
