"""What the LINE chat keeps.

- InboxEvent: one webhook event exactly as LINE sent it, stored before the webhook answers
  200 and unique on LINE's webhookEventId, so a redelivery is stored and handled once;
- Conversation: the report a LINE user is putting together (text, place, photos), and their
  language; one row per user;
- DraftPhoto: a photo sent for that report, checked and kept until the report is filed;
- Outgoing: a chat answer waiting to go out: by reply token while it is fresh, else pushed
  with a retry key kept here, so a retried push is shown once.

LINE user ids are personal data: they are deleted with the citizen's account
(pracha.line.services.privacy), never shown on public pages.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from pracha.cases.models import Case
from pracha.citizens.models import Citizen


class InboxEvent(models.Model):
    webhook_event_id = models.CharField(max_length=64, unique=True)
    user_id = models.CharField(max_length=64, blank=True, db_index=True)
    event_type = models.CharField(max_length=40)
    body = models.JSONField(help_text="The event as LINE sent it")
    occurred_at = models.DateTimeField(help_text="The event's own timestamp")
    received_at = models.DateTimeField(default=timezone.now)
    redelivered = models.BooleanField(default=False)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [
            models.Index(fields=["processed_at", "occurred_at"], name="line_inbox_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"LINE {self.event_type} {self.webhook_event_id}"


class Conversation(models.Model):
    user_id = models.CharField(max_length=64, unique=True)
    citizen = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=5, default="th")
    draft_key = models.UUIDField(
        default=uuid.uuid4, help_text="Idempotency key of the report being put together"
    )
    description = models.TextField(blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=500, blank=True)
    no_photo = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no draft")
    updated_at = models.DateTimeField(default=timezone.now)
    last_event_at = models.DateTimeField(
        null=True, blank=True, help_text="Timestamp of the latest event applied"
    )
    filed_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"LINE conversation #{self.pk}"

    @property
    def has_draft(self) -> bool:
        return self.started_at is not None


class DraftPhoto(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="photos")
    message_id = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "message_id"], name="line_draft_photo_once"
            ),
        ]

    def __str__(self) -> str:
        return f"LINE photo {self.message_id}"


class Outgoing(models.Model):
    user_id = models.CharField(max_length=64, db_index=True)
    inbox_event = models.OneToOneField(
        InboxEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answer",
        help_text="The event this answers (one answer per event)",
    )
    reply_token = models.CharField(max_length=100, blank=True)
    reply_before = models.DateTimeField(null=True, blank=True)
    messages = models.JSONField(help_text="linebot.v3 messages, as dicts")
    retry_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.CharField(max_length=10, blank=True, help_text="reply or push")
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"LINE answer #{self.pk}"
