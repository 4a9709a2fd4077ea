"""Agencies (who handles a case), the officers working in them, and API keys."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pracha.agencies.public_name import MAX_LENGTH as MAX_PUBLIC_NAME
from pracha.agencies.public_name import check_public_name


class Agency(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", "City"
        DEPARTMENT = "department", "Department"
        DISTRICT_OFFICE = "district_office", "District office"
        UNIT = "unit", "Unit"
        EXTERNAL = "external", "External organisation"

    code = models.SlugField(max_length=64, unique=True, help_text="Stable identifier used by APIs")
    name_th = models.CharField(max_length=255, unique=True)
    name_en = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    district = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="Bangkok district it serves, if any"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name_th"]

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        return self.name_en or self.name_th


class Officer(models.Model):
    """A person working for an agency; their role decides what they may do there."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Officer"
        SUPERVISOR = "supervisor", "Supervisor"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    public_name = models.CharField(
        max_length=MAX_PUBLIC_NAME,
        blank=True,
        help_text="Shown on public timelines before the role and agency; empty shows only those",
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} @ {self.agency}"

    def clean(self) -> None:
        super().clean()
        try:
            username = self.user.get_username() if self.user_id else ""  # admin: not chosen yet
            self.public_name = check_public_name(self.public_name, username)
        except ValidationError as error:
            raise ValidationError({"public_name": error}) from error


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A secret for machine clients and officer tokens. Only its SHA-256 is stored."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=12, unique=True, help_text="First characters, to recognise it"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="Officer this key acts as; empty for a partner system",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.name} ({self.prefix}…, {state})"


class RoutingRule(models.Model):
    """Which agency receives new cases of a category in an area (category x area -> agency).

    Of the active rules that match a case, the highest priority wins; among equals, the more
    specific rule (category and district named) wins, then the case's first category.
    """

    class Target(models.TextChoices):
        AGENCY = "agency", "The agency named here"
        DISTRICT_OFFICE = "district_office", "The district office of the case's district"
        CO_AGENCY = "co_agency", "Invite the agency named here beside the responsible one"

    category = models.CharField(
        max_length=40, blank=True, help_text="Category code (e.g. drains); empty: any category"
    )
    district = models.CharField(
        max_length=100, blank=True, help_text="District name (e.g. บางพลัด); empty: any district"
    )
    province = models.CharField(
        max_length=100, blank=True, help_text="Province (e.g. กรุงเทพมหานคร); empty: any province"
    )
    target = models.CharField(max_length=20, choices=Target.choices, default=Target.AGENCY)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text="Receives the cases (when the target is a named agency)",
    )
    priority = models.IntegerField(default=0, help_text="Higher wins when several rules match")
    is_active = models.BooleanField(default=True)
    reason = models.TextField(help_text="Why: shown with every case this rule routes")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-priority", "category", "district", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target="district_office") | models.Q(agency__isnull=False),
                name="routing_rule_agency_target_names_agency",
            )
        ]

    def __str__(self) -> str:
        where = self.district or self.province or "anywhere"
        to = self.agency.name_th if self.agency is not None else "district office"
        arrow = "+ invite" if self.target == self.Target.CO_AGENCY else "->"
        return f"{self.category or 'any category'} in {where} {arrow} {to}"
