"""Open311 submissions, webhook subscriptions and the durable webhook outbox."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency, ApiKey
from pracha.cases.models import Case, Event


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Submission(models.Model):
    """How a case came in through Open311 POST: the partner's key, the token, the answers to
    the service definition and the identifiers of the submitting device and account.

    `device_id` and `account_id` identify a person's phone and account: like the reporter's
    contact they are never published, and are erased with it (see receivers.py).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="open311")
    token = models.CharField(max_length=40, unique=True, default=new_token)
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_code = models.CharField(max_length=40)
    jurisdiction_id = models.CharField(max_length=100, blank=True)
    attributes = models.JSONField(
        default=dict, blank=True, help_text="Answers to the service definition: code -> values"
    )
    address_id = models.CharField(max_length=100, blank=True)
    located_by = models.CharField(
        max_length=20,
        default="point",
        help_text="point: lat/long given; address: placed in the district the address names",
    )
    device_id = models.CharField(max_length=200, blank=True)
    account_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Open311 submission"

    def __str__(self) -> str:
        return f"Open311 {self.case_id} ({self.service_code})"


class EventType(models.TextChoices):
    CREATED = "case.created", "Case created"
    STATE_CHANGED = "case.state_changed", "State changed (accepted, in progress, ...)"
    FORWARDED = "case.forwarded", "Forwarded to another agency"
    CLOSED = "case.closed", "Closed"
    REOPENED = "case.reopened", "Reopened"
    COMMENTED = "case.commented", "Public comment"
    ALERT = "insights.alert", "Early-warning alert: an unusual spike of reports"
    PING = "ping", "Test ping"


# Timeline event kind -> webhook event type. Other kinds (ratings, me-too, triage) are not sent.
EVENT_TYPES: dict[str, EventType] = {
    Event.Kind.CREATED: EventType.CREATED,
    Event.Kind.ACCEPTED: EventType.STATE_CHANGED,
    Event.Kind.STATE_CHANGED: EventType.STATE_CHANGED,
    Event.Kind.FORWARDED: EventType.FORWARDED,
    Event.Kind.CLOSED: EventType.CLOSED,
    Event.Kind.REOPENED: EventType.REOPENED,
    Event.Kind.COMMENTED: EventType.COMMENTED,
}
SUBSCRIBABLE = [t for t in EventType.values if t != EventType.PING]


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """A URL of an agency or partner that receives signed JSON events about cases."""

    name = models.CharField(max_length=100, help_text="Who receives it, e.g. 'BMA drainage CRM'")
    url = models.URLField(max_length=500, help_text="http:// or https:// address that is POSTed")
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Signs each delivery (HMAC-SHA256); give it to the receiver",
    )
    events = models.CharField(
        max_length=300,
        default=",".join(SUBSCRIBABLE),
        help_text="Comma-separated event types: " + ", ".join(SUBSCRIBABLE),
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text="Only cases this agency handles, handled or shares; empty: every case",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} -> {self.url}"

    @property
    def event_types(self) -> list[str]:
        return [e.strip() for e in self.events.split(",") if e.strip()]


class DeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def pending(self) -> DeliveryQuerySet:
        return self.filter(delivered_at__isnull=True, failed_at__isnull=True)

    def due(self, now: object = None) -> DeliveryQuerySet:
        return self.pending().filter(
            next_attempt_at__lte=now or timezone.now(), subscription__is_active=True
        )


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row, written in the transaction of the change.

    Delivery is at least once: a row is sent until the receiver answers 2xx, so a receiver may
    see an event twice, always with the same `event_id` (and the same bytes).
    """

    event_id = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    case_event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket_id = models.CharField(max_length=32, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    body = models.TextField(blank=True, help_text="The JSON sent; fixed at the first attempt")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True, help_text="HTTP status")
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text="Given up after the last attempt"
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["delivered_at", "failed_at", "next_attempt_at"], name="webhook_due_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "case_event"], name="webhook_one_row_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.ticket_id} -> {self.subscription_id}"

    @property
    def status(self) -> str:
        if self.delivered_at:
            return "delivered"
        if self.failed_at:
            return "failed"
        return "retrying" if self.attempts else "pending"
