"""Tests officers take: a fixed form drawn per officer (BKN's practice) or an adaptive test."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pracha.competency.models.bank import Item, ItemBank

# Path words under /api/v1/assessments/ that a test's code may not take.
RESERVED_CODES = {"sessions", "live", "results"}


class Assessment(models.Model):
    class Mode(models.TextChoices):
        FIXED = "fixed", "Fixed form (drawn at random per officer)"
        ADAPTIVE = "adaptive", "Adaptive (item response theory)"

    code = models.SlugField(max_length=40, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_th = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    bank = models.ForeignKey(ItemBank, on_delete=models.PROTECT, related_name="assessments")
    time_limit_minutes = models.PositiveSmallIntegerField(default=30)
    points_correct = models.PositiveSmallIntegerField(
        default=5, help_text="Points for a right answer (BKN: 5); graded items score 1-5"
    )
    # Adaptive tests only.
    min_items = models.PositiveSmallIntegerField(default=10)
    max_items = models.PositiveSmallIntegerField(default=30)
    target_se = models.FloatField(default=0.30, help_text="Stop once the standard error is this")
    passing_theta = models.FloatField(
        null=True, blank=True, help_text="Adaptive: the ability (theta) that passes"
    )
    classification_stop = models.BooleanField(
        default=True,
        help_text="Adaptive: near the passing ability, go on past the target SE until the "
        "interval below is clear of it (or the maximum length)",
    )
    classification_z = models.FloatField(
        default=2.58, help_text="Adaptive: that interval in standard errors (2.58: 99%)"
    )
    randomesque = models.PositiveSmallIntegerField(
        default=5, help_text="Adaptive: choose at random among this many most informative items"
    )
    max_exposure = models.FloatField(
        default=0.20,
        help_text="Adaptive: Sympson-Hetter's target share of tests an item may reach; its "
        "live estimates lag, so set it below the most you accept (0.20 keeps 0.25)",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mode", "code"]

    def __str__(self) -> str:
        return self.name_en or self.name_th

    def clean(self) -> None:
        super().clean()
        if self.code in RESERVED_CODES:
            raise ValidationError({"code": f"{self.code!r} is a reserved word"})
        if self.min_items > self.max_items:
            raise ValidationError({"min_items": "more than the maximum"})
        if self.mode == self.Mode.ADAPTIVE and self.passing_theta is None:
            raise ValidationError({"passing_theta": "an adaptive test needs a passing ability"})

    @property
    def adaptive(self) -> bool:
        return self.mode == self.Mode.ADAPTIVE


class Subtest(models.Model):
    """A part of a test with its own domains and passing grade (BKN: TWK, TIU, TKP). In an
    adaptive test the subtests are the content blueprint: `items` weighs each part."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="subtests")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=40)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    domains = models.CharField(
        max_length=200, help_text="Item domains it draws from, separated by commas"
    )
    kind = models.CharField(max_length=12, choices=Item.Kind.choices, default="dichotomous")
    items = models.PositiveSmallIntegerField(
        help_text="Fixed: items drawn per form; adaptive: weight in the content blueprint"
    )
    passing = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Fixed: points this part needs to pass"
    )

    class Meta:
        ordering = ["assessment", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="competency_subtest_code")
        ]

    def __str__(self) -> str:
        return f"{self.assessment.code}/{self.code}"

    @property
    def domain_list(self) -> list[str]:
        return [d.strip() for d in self.domains.split(",") if d.strip()]


class ItemExposure(models.Model):
    """How often an adaptive test chose and showed an item: Sympson-Hetter's exposure control
    reads these live counts, so no item is shown to more than `max_exposure` of the tests."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    selected = models.PositiveIntegerField(default=0)
    administered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="competency_exposure")
        ]

    def __str__(self) -> str:
        return f"{self.item} in {self.assessment.code}: {self.administered}/{self.selected}"
