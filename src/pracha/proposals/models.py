"""Proposals and what hangs off them: supports, follows, answers, results, reports, timeline.

A proposal's `supports` is a counter kept equal to its Support rows: it is only ever changed by
recounting inside the transaction that added or moved supports (services.supports), and the
unique (proposal, citizen) constraint makes a second support from one person impossible even
when two requests race.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.citizens.models import Citizen


class State(models.TextChoices):
    PUBLISHED = "published", "Collecting supports"
    THRESHOLD_REACHED = "threshold_reached", "Threshold reached, awaiting an answer"
    ACCEPTED = "accepted", "Accepted"
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
    REJECTED = "rejected", "Rejected"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    EXPIRED = "expired", "Expired below the threshold"
    WITHDRAWN = "withdrawn", "Withdrawn by the author"
    MERGED = "merged", "Merged into another proposal"


# States in which a proposal still collects supports, and may be withdrawn or merged.
OPEN_STATES = frozenset({State.PUBLISHED, State.THRESHOLD_REACHED})
# States after a published answer that accepts (results may follow).
ACCEPTING_STATES = frozenset({State.ACCEPTED, State.PARTIALLY_ACCEPTED, State.IN_PROGRESS})


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
    REJECTED = "rejected", "Rejected"


class Reason(models.TextChoices):
    DUPLICATE = "duplicate", "Duplicate"
    NOT_COMPETENT = "not_competent", "Not competent"
    ALREADY_PLANNED = "already_planned", "Already planned"
    INFEASIBLE = "infeasible", "Infeasible"
    LEGAL = "legal", "Legal obstacle"
    BUDGET = "budget", "Budget"
    OTHER = "other", "Other"


class Proposal(models.Model):
    ref = models.CharField(max_length=20, unique=True, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Personal data masked before it is stored")
    category = models.CharField(max_length=64, blank=True, db_index=True)
    district = models.CharField(max_length=100, blank=True, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    photo = models.ImageField(upload_to="proposals/%Y/%m/", blank=True)
    author = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PUBLISHED, db_index=True
    )
    supports = models.PositiveIntegerField(default=0)
    threshold = models.PositiveIntegerField(help_text="Supports needed (fixed when filed)")
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(help_text="End of the window for supports")
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    answer_due_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="Last escalation")
    hidden_at = models.DateTimeField(
        null=True, blank=True, help_text="Hidden after reports, until a moderator decides"
    )
    reports_cleared_at = models.DateTimeField(
        null=True, blank=True, help_text="A moderator kept it: reports before this are settled"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "closes_at"], name="proposal_state_closes_idx")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def is_overdue(self, now: object = None) -> bool:
        """Waiting for an answer past its due date (shown in public)."""
        moment = now or timezone.now()
        return (
            self.state == State.THRESHOLD_REACHED
            and self.answer_due_at is not None
            and self.answer_due_at < moment  # type: ignore[operator]
        )


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="support_rows")
    # Null once the person deleted their account: the support still counts, anonymously.
    citizen = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.SET_NULL, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    moved_from = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The duplicate it was given to, before the merge",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "citizen"], name="one_support_per_person")
        ]

    def __str__(self) -> str:
        return f"support of {self.proposal_id} by {self.citizen_id}"


class Follow(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "citizen"], name="one_follow_per_person")
        ]

    def __str__(self) -> str:
        return f"follow of {self.proposal_id} by {self.citizen_id}"


class AnswerTemplate(models.Model):
    """Words an agency answers often with; drafts are made from it in bulk."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="answer_templates")
    name = models.CharField(max_length=100)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    body = models.TextField()

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.name}"


class Answer(models.Model):
    """The agency's answer; a draft until published (the latest published one counts)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    body = models.TextField()
    answered_by = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.decision} answer to {self.proposal_id}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Result(models.Model):
    """A piece of the promised work, with its progress and the cases behind it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="results")
    title = models.CharField(max_length=200)
    progress = models.PositiveSmallIntegerField(default=0)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.progress}%)"


class Milestone(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    on = models.DateField()
    progress = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.title}"


class AbuseReport(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reports")
    citizen = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "citizen"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"report on {self.proposal_id}: {self.reason[:40]}"


class ProposalEvent(models.Model):
    """The proposal's timeline; public events are its public record (moderation included)."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "Published"
        THRESHOLD_REACHED = "threshold_reached", "Threshold reached"
        ROUTED = "routed", "Routed to an agency"
        FORWARDED = "forwarded", "Forwarded to another agency"
        ANSWER_DRAFTED = "answer_drafted", "Answer drafted"
        ANSWERED = "answered", "Answered"
        RESULT = "result", "Progress reported"
        IMPLEMENTED = "implemented", "Implemented"
        ESCALATED = "escalated", "Answer overdue, escalated"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"
        MERGED = "merged", "Merged into another proposal"
        MERGED_IN = "merged_in", "A duplicate merged into it"
        HIDDEN = "hidden", "Hidden after reports"
        RESTORED = "restored", "Restored by a moderator"
        REMOVED = "removed", "Kept hidden by a moderator"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind}"
