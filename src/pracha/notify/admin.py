"""Admin: webhook subscriptions, their deliveries (with status, for administrators), and the
outbox of every channel (read only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from pracha.notify.models import (
    SUBSCRIBABLE,
    Delivery,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
)
from pracha.notify.webhooks.enqueue import do_queue_ping
from pracha.notify.webhooks.subscriptions import check_url, do_retry_deliveries, do_set_active


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

    def queryset(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> QuerySet[Delivery]:
        value = self.value()
        if value == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        if value == "failed":
            return queryset.filter(failed_at__isnull=False)
        pending = queryset.filter(delivered_at__isnull=True, failed_at__isnull=True)
        if value == "pending":
            return pending.filter(attempts=0)
        if value == "retrying":
            return pending.filter(attempts__gt=0)
        return queryset


class WebhookEventFilter(admin.SimpleListFilter):
    title = "event type"
    parameter_name = "event_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(EventType.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> QuerySet[Delivery]:
        return queryset.filter(event_type=self.value()) if self.value() else queryset


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
    list_filter = [StatusFilter, WebhookEventFilter, "subscription"]
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


@admin.register(Delivery)
class OutboxAdmin(admin.ModelAdmin):
    """Every channel's rows in one list: what waits, what was sent, what was given up."""

    list_display = [
        "id",
        "channel",
        "event_type",
        "ticket_id",
        "status",
        "attempts",
        "occurred_at",
        "next_attempt_at",
        "last_error",
        "delivered_at",
    ]
    list_filter = ["channel", StatusFilter, "event_type"]
    search_fields = ["ticket_id", "event_id"]
    readonly_fields = [f.name for f in Delivery._meta.fields] + ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="status")
    def status(self, obj: Delivery) -> str:
        return obj.status
