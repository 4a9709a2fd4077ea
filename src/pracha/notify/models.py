"""Who hears of what, and the one outbox every outgoing message waits in.

- WebhookSubscription: a URL that receives signed JSON events (table kept from pracha.open311);
- OfficerNotification: how an officer hears of new cases (table kept from pracha.web);
- EmailOptOut: a reporter's address that asked for no more e-mail (table kept from pracha.web);
- Delivery: one message on one channel, written in the transaction of the change it tells
  of, then claimed, sent, retried and given up by pracha.notify.outbox whatever the channel.
  WebhookDelivery is its webhook rows (a proxy, so the admin and the audit log keep their
  names for them).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Event
from pracha.proposals.models import ProposalEvent


class Channel(models.TextChoices):
    """How a message leaves Pracha. A new channel is a value here and a sender module."""

    WEBHOOK = "webhook", "Webhook"
    EMAIL = "email", "E-mail"
    LINE = "line", "LINE"


class EventType(models.TextChoices):
    """What a webhook event is about (the X-Pracha-Event header and the body's `type`)."""

    CREATED = "case.created", "Case created"
    STATE_CHANGED = "case.state_changed", "State changed (accepted, in progress, ...)"
    FORWARDED = "case.forwarded", "Forwarded to another agency"
    CLOSED = "case.closed", "Closed"
    REOPENED = "case.reopened", "Reopened"
    COMMENTED = "case.commented", "Public comment"
    ALERT = "insights.alert", "Early-warning alert: an unusual spike of reports"
    PING = "ping", "Test ping"


class MailType(models.TextChoices):
    """What an e-mail row is about."""

    REPORTER = "reporter.news", "News of a report, to whoever follows it (batched per case)"
    OFFICER = "officer.new_case", "A case new in an inbox, to officers who asked at once"
    PROPOSAL = "proposal.news", "A step of a citizens' proposal, to those it concerns"
    JOURNEY = "citizen.journey", "A life-event step open, coming due or overdue, to its citizen"
    CONSULTATION_CLOSED = (
        "consultation.closed",
        "A consultation's results, to respondents who asked",
    )
    CONSULTATION_CHANGES = (
        "consultation.changes",
        "What an agency changed, to respondents who asked",
    )


class LineType(models.TextChoices):
    """What a LINE row is about."""

    STATUS = "line.status", "A public change of a report, pushed to its LINE reporter"
    PROPOSAL = "line.proposal", "A step of a citizens' proposal, to those it concerns on LINE"
    JOURNEY = "line.journey", "A life-event step open or coming due, to its citizen on LINE"


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
        db_table = "open311_webhooksubscription"  # created by pracha.open311, rows kept
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} -> {self.url}"

    @property
    def event_types(self) -> list[str]:
        return [e.strip() for e in self.events.split(",") if e.strip()]


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

    class Meta:
        db_table = "web_officernotification"  # created by pracha.web, rows kept

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
        db_table = "web_emailoptout"  # created by pracha.web, rows kept
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


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def on(self, channel: str) -> DeliveryQuerySet:
        return self.filter(channel=channel)

    def pending(self) -> DeliveryQuerySet:
        """Neither sent nor given up (due now, held by a worker, or waiting for a retry)."""
        return self.filter(delivered_at__isnull=True, failed_at__isnull=True)

    def due(self, now: object = None) -> DeliveryQuerySet:
        """Pending and free to take: its next attempt has come and no worker's lease holds it."""
        return self.pending().filter(next_attempt_at__lte=now or timezone.now())


class DeliveryManager(models.Manager["Delivery"]):
    """Every channel's rows (ChannelManager: one channel's)."""

    channel = ""

    def get_queryset(self) -> DeliveryQuerySet:
        rows = DeliveryQuerySet(self.model, using=self._db)
        return rows.on(self.channel) if self.channel else rows

    def on(self, channel: str) -> DeliveryQuerySet:
        return self.get_queryset().on(channel)

    def pending(self) -> DeliveryQuerySet:
        return self.get_queryset().pending()

    def due(self, now: object = None) -> DeliveryQuerySet:
        return self.get_queryset().due(now)


class Delivery(models.Model):
    """One message on one channel: the outbox row, written in the transaction of the change.

    Sending is at least once: a row is sent until its channel says it went out, so a webhook
    receiver may see an event twice, always with the same `event_id` (and the same bytes).
    `next_attempt_at` is when a worker may take it: a worker that takes it moves it one lease
    ahead (so no other worker takes it meanwhile, and a worker that dies mid-send leaves it
    to be taken again), and after a failure to the channel's next retry.
    """

    channel = models.CharField(max_length=20, choices=Channel.choices)
    event_type = models.CharField(
        max_length=40,
        choices=EventType.choices + MailType.choices + LineType.choices,
        help_text="A webhook event type, or what an e-mail is about",
    )
    event_id = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="The webhook it is sent to (webhooks only)",
    )
    case = models.ForeignKey(  # notify_case_occurred_idx leads with it
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    case_event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal_event = models.ForeignKey(
        ProposalEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The step of a proposal it tells of (proposal e-mails)",
    )
    ticket_id = models.CharField(max_length=32, blank=True)  # or a proposal's ref
    occurred_at = models.DateTimeField(
        default=timezone.now, help_text="When it happened (an e-mail batch window starts here)"
    )
    body = models.TextField(blank=True, help_text="The JSON sent; fixed at the first attempt")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim = models.UUIDField(null=True, blank=True, help_text="The worker that took it last")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True, help_text="HTTP status")
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="Sent: the receiver or the mail server took it"
    )
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text="Given up after the last attempt"
    )

    objects = DeliveryManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "outbox row"
        verbose_name_plural = "outbox (every channel)"
        indexes = [
            models.Index(
                fields=["channel", "delivered_at", "failed_at", "next_attempt_at"],
                name="notify_due_idx",
            ),
            models.Index(fields=["case", "occurred_at"], name="notify_case_occurred_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "case_event"], name="notify_one_webhook_per_event"
            ),
            models.UniqueConstraint(
                fields=["case_event", "event_type"],
                condition=models.Q(channel="email"),
                name="notify_one_mail_per_event",
            ),
            models.UniqueConstraint(
                fields=["case_event"],
                condition=models.Q(channel="line"),
                name="notify_one_line_push_per_event",
            ),
        ]

    def __str__(self) -> str:
        target = f"webhook #{self.subscription_id}" if self.subscription_id else self.channel
        return f"{self.event_type} {self.ticket_id} -> {target}"

    @property
    def status(self) -> str:
        if self.delivered_at:
            return "delivered"
        if self.failed_at:
            return "failed"
        return "retrying" if self.attempts else "pending"


class ChannelManager(DeliveryManager):
    """The rows of one channel; rows made through it are on that channel."""

    def __init__(self, channel: str) -> None:
        super().__init__()
        self.channel = channel

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        for obj in objs:
            obj.channel = self.channel
        return super().bulk_create(objs, *args, **kwargs)


class WebhookDelivery(Delivery):
    """The webhook rows of the outbox: one event for one subscription."""

    objects: ClassVar[ChannelManager] = ChannelManager(Channel.WEBHOOK)

    class Meta:
        proxy = True
        ordering = ["-id"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.channel = Channel.WEBHOOK
        super().save(*args, **kwargs)
