"""Administrators manage agencies, officers and API keys here."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from pracha.agencies.models import Agency, ApiKey, Officer, hash_key
from pracha.agencies.services import KEY_PREFIX


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "code", "kind", "parent", "district", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_th", "name_en", "code", "district"]
    autocomplete_fields = ["parent"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency__kind"]
    search_fields = ["user__username", "user__email", "agency__name_th"]
    autocomplete_fields = ["user", "agency"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
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
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.info(request, f"Revoked {count} key(s).")
