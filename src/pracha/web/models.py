"""E-mail preferences: officers' choice of immediate or daily messages; reporters' opt-outs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.cases.models import Case


class OfficerNotification(models.Model):
    """How an officer hears about new cases in their agency's inbox."""

    class Mode(models.TextChoices):
        OFF = "off", "No e-mail"
        IMMEDIATE = "immediate", "A message for every new case"
        DAILY = "daily", "One daily digest"

    officer = models.OneToOneField(Officer, on_delete=models.CASCADE, related_name="notification")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.OFF)
    language = models.CharField(max_length=5, default="th")
    # The digest covers cases that arrived after this; empty means "the last 24 hours".
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.officer}: {self.mode}"


class EmailOptOut(models.Model):
    """A reporter's address that asked for no more messages (about one case, or at all).

    Only a keyed hash of the address is kept: the opt-out must not become a list of e-mails.
    """

    address_hash = models.CharField(max_length=64, db_index=True)
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The case the reporter stopped hearing about; empty for every case",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "case"], name="email_opt_out_once_per_case"
            ),
            models.UniqueConstraint(
                fields=["address_hash"],
                condition=models.Q(case__isnull=True),
                name="email_opt_out_once_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"opt-out {self.address_hash[:8]}… {self.case_id or 'all'}"


class PendingReporterMail(models.Model):
    """A public event the reporter has not been e-mailed about yet (an outbox row).

    Written by a post_save on Event, in the transaction of the change, so a crash before the
    e-mail goes out loses nothing; deleted once the message that lists it has been sent.
    Events of one case close together are sent as one message (PRACHA_NOTIFY_BATCH_SECONDS).
    """

    event = models.OneToOneField(
        "cases.Event", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(help_text="When the event happened (the batch window starts here)")
    # A sender holds rows while it sends them; a crashed sender's rows are free again after a
    # lease, so at worst a message is sent twice, never lost.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, help_text="Which sender holds the row")
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["case", "at"], name="pending_mail_case_at_idx")]

    def __str__(self) -> str:
        return f"pending mail for event {self.event_id}"
