"""Open311 submissions. (Webhook subscriptions and their outbox are pracha.notify's.)"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from pracha.agencies.models import ApiKey
from pracha.cases.models import Case


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
