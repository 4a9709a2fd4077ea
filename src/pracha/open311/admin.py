"""Admin: Open311 submissions (without the private device and account ids). Webhook
subscriptions and deliveries are pracha.notify's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pracha.open311.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["case", "service_code", "api_key", "located_by", "created_at"]
    list_filter = ["service_code", "located_by"]
    search_fields = ["case__ticket_id", "token"]
    # device_id and account_id identify a person: not shown, like the reporter's contact.
    fields = (
        "case",
        "token",
        "api_key",
        "service_code",
        "jurisdiction_id",
        "attributes",
        "address_id",
        "located_by",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
