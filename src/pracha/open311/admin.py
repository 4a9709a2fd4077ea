"""Admin: webhook subscriptions, their deliveries (with status, for administrators), and Open311
submissions (without the private device and account ids)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from pracha.open311.models import (
    SUBSCRIBABLE,
    DeliveryQuerySet,
    EventType,
    Submission,
    WebhookDelivery,
    WebhookSubscription,
)
from pracha.open311.webhooks.outbox import do_queue_ping
from pracha.open311.webhooks.subscriptions import check_url, do_retry_deliveries, do_set_active


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", help_text="http(s) address")
    event_choices = forms.MultipleChoiceField(
        label="Events",
        choices=[(e, EventType(e).label) for e in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        initial=SUBSCRIBABLE,
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "agency", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["event_choices"].initial = self.instance.event_types

    def clean_url(self) -> str:
        try:
            return check_url(self.cleaned_data["url"])
        except Exception as exc:
            raise forms.ValidationError(str(exc)) from exc

    def save(self, commit: bool = True) -> WebhookSubscription:
        self.instance.events = ",".join(self.cleaned_data["event_choices"])
        return super().save(commit)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["id", "name", "url", "events", "agency", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "created_at"]
    autocomplete_fields = ["agency"]
    actions = ["send_ping", "disable"]

    @admin.action(description="Send a test event")
    def send_ping(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:
            do_queue_ping(subscription)
        self.message_user(request, f"Queued a test event for {queryset.count()} webhook(s).")

    @admin.action(description="Disable")
    def disable(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:  # one at a time, so each change is audited
            do_set_active(subscription, False)
        self.message_user(request, f"Disabled {queryset.count()} webhook(s).")


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("pending", "pending"),
            ("retrying", "retrying"),
            ("delivered", "delivered"),
            ("failed", "failed (given up)"),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]
    ) -> QuerySet[WebhookDelivery]:
        value = self.value()
        deliveries = cast(DeliveryQuerySet, queryset)  # the changelist of WebhookDelivery.objects
        if value == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        if value == "failed":
            return queryset.filter(failed_at__isnull=False)
        if value == "pending":
            return deliveries.pending().filter(attempts=0)
        if value == "retrying":
            return deliveries.pending().filter(attempts__gt=0)
        return queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "event_type",
        "ticket_id",
        "subscription",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status",
        "last_error",
        "delivered_at",
    ]
    list_filter = [StatusFilter, "event_type", "subscription"]
    search_fields = ["ticket_id", "event_id"]
    list_select_related = ["subscription"]
    actions = ["retry_now"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields] + ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="status")
    def status(self, obj: WebhookDelivery) -> str:
        return obj.status

    @admin.action(description="Retry now", permissions=["view"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = do_retry_deliveries(queryset, actor=request.user)
        self.message_user(request, f"{count} deliveries queued again.", messages.SUCCESS)


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
