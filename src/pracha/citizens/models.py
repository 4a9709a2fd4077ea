"""Citizen accounts: one person, several verified ways in, tokens, settings and consents.

A person has one `Citizen` row. Each way they can prove who they are is a `Channel` (an
e-mail address now, a LINE user next) that is unique across Pracha, so the same address can
never open a second account: a channel verified again signs into the account that holds it.
Secrets are never stored: sign-in codes and tokens are kept as keyed or plain SHA-256 hashes.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency


class Language(models.TextChoices):
    THAI = "th", "ไทย"
    ENGLISH = "en", "English"


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    LINE = "line", "LINE"


class Citizen(models.Model):
    """A person with an account. Holds no contact itself: that is in their channels."""

    language = models.CharField(max_length=5, choices=Language.choices, default=Language.THAI)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"citizen #{self.pk}"

    @property
    def email(self) -> str:
        """The verified e-mail address the account is reached by ("" without one)."""
        for channel in self.channels.all():
            if channel.kind == ChannelKind.EMAIL:
                return channel.address
        return ""


class Channel(models.Model):
    """A verified way into an account: an e-mail address, later a LINE user id.

    `address` is normalised (e-mail: lower case), and (kind, address) is unique, so one
    address always leads to the same person."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    address = models.CharField(max_length=254)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["verified_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "address"], name="citizen_channel_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} channel of citizen #{self.citizen_id}"


class SignInCode(models.Model):
    """A six-digit code sent to an address. Only keyed hashes are kept: of the address (so
    the table is no list of e-mails) and of the code (HMAC with SECRET_KEY)."""

    kind = models.CharField(max_length=10, choices=ChannelKind.choices, default=ChannelKind.EMAIL)
    address_key = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="A newer code was sent to the address"
    )
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(
        max_length=5, default="th", help_text="Of the e-mail, and of an account made by the code"
    )

    class Meta:
        indexes = [
            models.Index(fields=["address_key", "created_at"], name="signin_code_address_idx"),
        ]

    def __str__(self) -> str:
        return f"sign-in code {self.pk} ({self.kind})"


class SignInFailure(models.Model):
    """One wrong code tried for an address (its keyed hash): the lockout counts these."""

    address_key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address_key", "at"], name="signin_failure_address_idx")]

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M}"


class CitizenToken(models.Model):
    """A signed-in device: an API bearer token, or a web session's sign-in.

    Only the SHA-256 of the token is stored; `prefix` (its first characters, which start
    with `ct_`) finds the row, then the hash is compared in constant time. A token unused for
    PRACHA_CITIZEN_TOKEN_IDLE_DAYS is no longer accepted."""

    class Kind(models.TextChoices):
        API = "api", "API token"
        WEB = "web", "Web session"

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.API)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} token {self.prefix}… of citizen #{self.citizen_id}"


class NotificationSetting(models.Model):
    """Whether the citizen hears about their reports through a channel (on when absent)."""

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="notification_settings"
    )
    channel = models.CharField(max_length=10, choices=ChannelKind.choices)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "channel"], name="citizen_notification_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {'on' if self.enabled else 'off'} for citizen #{self.citizen_id}"


class Consent(models.Model):
    """The citizen lets an agency use some of their data for a purpose, from `given_at`
    until they revoke it. A revoked consent stays listed (when it was given and revoked)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="consents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=list, help_text="Which data: codes from citizens.consents")
    purpose = models.CharField(max_length=500)
    given_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]

    def __str__(self) -> str:
        return f"consent {self.pk} of citizen #{self.citizen_id} to {self.agency_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
