"""Administrators manage agencies, officers and API keys here."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from pracha.agencies.models import Agency, ApiKey, Officer, RoutingRule, hash_key
from pracha.agencies.services import KEY_PREFIX
from pracha.taxonomy.categories import taxonomy_rows
from pracha.thaitext import normalise_district, normalise_province


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "code", "kind", "parent", "district", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_th", "name_en", "code", "district"]
    autocomplete_fields = ["parent"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "public_name"]
    list_filter = ["role", "agency__kind"]
    search_fields = ["user__username", "user__email", "agency__name_th"]
    autocomplete_fields = ["user", "agency"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]

    def get_fields(
        self, request: HttpRequest, obj: ApiKey | None = None
    ) -> list[str | list[str] | tuple[str, ...]]:
        if obj is None:
            return ["name", "user"]
        return ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [] if obj is None else ["prefix", "created_at", "last_used_at"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if not change:
            # The secret is shown once, here; only its hash is kept.
            raw = KEY_PREFIX + secrets.token_urlsafe(32)
            obj.prefix, obj.key_hash = raw[:12], hash_key(raw)
            messages.warning(request, f"New API key (copy it now, it is not shown again): {raw}")
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke selected keys")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        # One save per key (not a bulk update) so the audit log records each revocation.
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            count += 1
        messages.info(request, f"Revoked {count} key(s).")


def _category_choices() -> list[tuple[str, str]]:
    rows = taxonomy_rows()
    return [("", "any category"), *((r["code"], f"{r['name_th']} ({r['code']})") for r in rows)]


class RoutingRuleForm(forms.ModelForm):
    category = forms.ChoiceField(choices=_category_choices, required=False)

    class Meta:
        model = RoutingRule
        fields = [
            "category",
            "district",
            "province",
            "target",
            "agency",
            "priority",
            "is_active",
            "reason",
        ]

    def clean_district(self) -> str:
        value = self.cleaned_data.get("district") or ""
        return normalise_district(value) if value.strip() else ""

    def clean_province(self) -> str:
        value = self.cleaned_data.get("province") or ""
        return normalise_province(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") == RoutingRule.Target.AGENCY and not data.get("agency"):
            self.add_error("agency", "Name the agency that receives these cases.")
        if data.get("target") == RoutingRule.Target.CO_AGENCY and not data.get("agency"):
            self.add_error("agency", "Name the agency invited to these cases.")
        if data.get("target") == RoutingRule.Target.DISTRICT_OFFICE and data.get("agency"):
            self.add_error("agency", "Leave empty: the case's district decides the office.")
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = [
        "category",
        "district",
        "province",
        "target",
        "agency",
        "priority",
        "is_active",
        "updated_at",
    ]
    list_editable = ["priority", "is_active"]
    list_filter = ["is_active", "target", "category", "province"]
    search_fields = ["category", "district", "province", "agency__name_th", "reason"]
    autocomplete_fields = ["agency"]

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
