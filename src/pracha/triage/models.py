"""What triage decided for each case, officers' corrections, and duplicate links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency, RoutingRule
from pracha.cases.models import Case, Event


class CaseTriage(models.Model):
    """The first pass over a new case: categories, place and agency, with the reasons."""

    class Source(models.TextChoices):
        REPORTER = "reporter", "Chosen by the reporter"
        MODEL = "model", "Suggested by the classifier"
        NONE = "none", "None (no model, none given)"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="triage")
    event = models.ForeignKey(Event, null=True, on_delete=models.SET_NULL, related_name="+")
    categories = models.JSONField(default=list, help_text="Category codes the case was given")
    category_source = models.CharField(max_length=10, choices=Source.choices)
    suggested = models.JSONField(default=list, help_text="The classifier's categories")
    scores = models.JSONField(default=dict, help_text="Classifier score per category code")
    needs_review = models.BooleanField(default=True)
    model_version = models.CharField(max_length=100, blank=True)
    district = models.CharField(max_length=100, blank=True)
    subdistrict = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    near_boundary = models.BooleanField(default=False)
    location_method = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_by = models.TextField(help_text="Why the case went to its agency")
    created_at = models.DateTimeField(default=timezone.now)
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["needs_review", "created_at"], name="triage_review_idx")]

    def __str__(self) -> str:
        return f"triage of {self.case_id}"


class TriageCorrection(models.Model):
    """An officer's correction of a triage: the examples to retrain the classifier on."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triage_corrections")
    event = models.ForeignKey(Event, null=True, on_delete=models.SET_NULL, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(help_text="The case's description when it was corrected")
    predicted = models.JSONField(default=list, help_text="The classifier's categories")
    before = models.JSONField(default=list, help_text="The case's categories before")
    corrected = models.JSONField(default=list, help_text="The categories the officer chose")
    model_version = models.CharField(max_length=100, blank=True)
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"], name="triage_correction_at_idx")]

    def __str__(self) -> str:
        return f"correction of {self.case_id}: {self.predicted} -> {self.corrected}"


class DuplicateLink(models.Model):
    """A new case and an earlier, nearby, similar one that may be the same problem."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        MERGED = "merged", "Merged"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_links")
    candidate = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicated_by")
    distance_m = models.FloatField()
    similarity = models.FloatField(help_text="Text similarity, 0 to 1")
    same_category = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-similarity", "distance_m", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "candidate"], name="duplicate_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} may duplicate {self.candidate_id}"


class MergedCase(models.Model):
    """A duplicate closed into its original. The duplicate's reporter follows the original:
    whoever notifies the original's reporter notifies these reporters too."""

    duplicate = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="merged_into")
    original = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="merged_cases")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    merged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.duplicate_id} merged into {self.original_id}"
