"""Item banks, items, and the versioned IRT parameters each response is scored with."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

MIN_OPTIONS, MAX_OPTIONS = 2, 6
GRADED_SCORES = range(1, 6)  # a graded item scores each option 1-5 (BKN's TKP)


class ItemBank(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en or self.name_th


class Item(models.Model):
    """One question in one language. The Thai and English versions of a question share its
    `code` but are items of their own: a translation can change how hard a question is, so
    each version is calibrated on the answers given in its language."""

    class Kind(models.TextChoices):
        DICHOTOMOUS = "dichotomous", "Right or wrong (one key)"
        GRADED = "graded", "Graded (a score of 1-5 per option)"

    class Language(models.TextChoices):
        TH = "th", "ไทย"
        EN = "en", "English"

    bank = models.ForeignKey(ItemBank, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(max_length=40, help_text="Shared by the Thai and English versions")
    language = models.CharField(max_length=2, choices=Language.choices)
    domain = models.SlugField(max_length=40, help_text="e.g. workflow, service, pdpa")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DICHOTOMOUS)
    stem = models.TextField()
    options = models.JSONField(help_text="The options, in the order they are written")
    key = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Right option, 0-based (right-or-wrong items)"
    )
    option_scores = models.JSONField(
        null=True, blank=True, help_text="Score 1-5 of each option (graded items)"
    )
    reference = models.TextField(
        blank=True, help_text="Where the fact comes from, for reviewers; never shown in a test"
    )
    is_active = models.BooleanField(default=True)
    needs_review = models.BooleanField(
        default=False, help_text="Set by calibration for a misfitting item; kept out of tests"
    )
    review_note = models.TextField(blank=True)
    parameters = models.ForeignKey(
        "competency.ItemParameters",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The current parameter version",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["bank", "domain", "code", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "code", "language"], name="competency_item_code_per_language"
            )
        ]
        indexes = [models.Index(fields=["bank", "language", "domain"], name="competency_pool")]

    def __str__(self) -> str:
        return f"{self.code} ({self.language})"

    def clean(self) -> None:
        super().clean()
        problems = item_problems(self.kind, self.options, self.key, self.option_scores)
        if problems:
            raise ValidationError(problems)

    def points(self, option: int, points_correct: int = 5) -> int:
        """Points for choosing `option` (0-based, as written): `points_correct` or 0 for a
        right-or-wrong item, the option's 1-5 for a graded one."""
        if self.kind == self.Kind.GRADED:
            return int((self.option_scores or [])[option])
        return points_correct if option == self.key else 0

    def category(self, option: int) -> int:
        """The IRT response category of `option`: 1/0 (right, wrong) or 0-4 (score 1-5)."""
        if self.kind == self.Kind.GRADED:
            return int((self.option_scores or [])[option]) - 1
        return int(option == self.key)

    def max_points(self, points_correct: int = 5) -> int:
        return max(GRADED_SCORES) if self.kind == self.Kind.GRADED else points_correct


def item_problems(kind: str, options: Any, key: Any, scores: Any) -> list[str]:
    """What is wrong with an item's options, key and scores ([] when nothing)."""
    if not isinstance(options, list) or not all(isinstance(o, str) and o.strip() for o in options):
        return ["options must be a list of non-empty texts"]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        return [f"an item needs {MIN_OPTIONS} to {MAX_OPTIONS} options, not {len(options)}"]
    if len({o.strip() for o in options}) != len(options):
        return ["two options are the same"]
    if kind == Item.Kind.DICHOTOMOUS:
        if not isinstance(key, int) or not 0 <= key < len(options):
            return ["a right-or-wrong item needs a key naming one of its options"]
        if scores:
            return ["a right-or-wrong item has a key, not scores per option"]
    elif kind == Item.Kind.GRADED:
        if key is not None:
            return ["a graded item has scores per option, not a key"]
        if not isinstance(scores, list) or len(scores) != len(options):
            return ["a graded item needs one score per option"]
        if not all(isinstance(s, int) and s in GRADED_SCORES for s in scores):
            return ["graded scores must be whole numbers from 1 to 5"]
        if len(set(scores)) < 2:
            return ["a graded item needs at least two different scores"]
    else:
        return [f"unknown kind {kind!r}"]
    return []


class Calibration(models.Model):
    """One run of `pracha cat calibrate`: what was fitted, on what, with which library."""

    bank = models.ForeignKey(ItemBank, on_delete=models.PROTECT, related_name="calibrations")
    created_at = models.DateTimeField(default=timezone.now)
    library = models.CharField(max_length=60, help_text="e.g. mirt 1.2.0")
    sessions = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    items_calibrated = models.PositiveIntegerField(default=0)
    items_flagged = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calibration {self.pk} of {self.bank.code} ({self.created_at:%Y-%m-%d})"


class ItemParameters(models.Model):
    """One version of an item's IRT parameters (logistic metric, D = 1). Responses keep the
    version they were scored with; a calibration adds a version and makes it current."""

    class Model(models.TextChoices):
        RASCH = "rasch", "Rasch (1PL)"
        TWO_PL = "2pl", "2PL"
        GRM = "grm", "Graded response (Samejima)"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="parameter_versions")
    version = models.PositiveIntegerField()
    model = models.CharField(max_length=8, choices=Model.choices)
    a = models.FloatField(help_text="Discrimination")
    b = models.FloatField(null=True, blank=True, help_text="Difficulty (right-or-wrong items)")
    thresholds = models.JSONField(
        null=True, blank=True, help_text="Graded items: the 4 category thresholds, ascending"
    )
    se_a = models.FloatField(null=True, blank=True)
    se_b = models.FloatField(null=True, blank=True)
    se_thresholds = models.JSONField(null=True, blank=True)
    infit = models.FloatField(null=True, blank=True, help_text="Information-weighted mean square")
    outfit = models.FloatField(null=True, blank=True, help_text="Unweighted mean square")
    n_responses = models.PositiveIntegerField(default=0)
    provisional = models.BooleanField(
        default=True, help_text="Planned by the item writer, not yet calibrated on responses"
    )
    source = models.TextField(help_text="Where these values come from")
    flags = models.JSONField(default=list, blank=True, help_text="Why calibration doubts it")
    calibration = models.ForeignKey(
        Calibration, null=True, blank=True, on_delete=models.PROTECT, related_name="parameters"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-version"]
        verbose_name_plural = "item parameters"
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="competency_param_version")
        ]

    def __str__(self) -> str:
        state = "provisional" if self.provisional else "calibrated"
        return f"{self.item} v{self.version} {self.model} ({state})"
