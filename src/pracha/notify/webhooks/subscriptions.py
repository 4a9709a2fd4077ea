"""Registering the URLs that receive webhooks (the command and the admin both use these)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.agencies.services import AgencyError, resolve_agency
from pracha.audit.log import audit
from pracha.cases.errors import InvalidInput
from pracha.notify.models import (
    SUBSCRIBABLE,
    Delivery,
    WebhookDelivery,
    WebhookSubscription,
    new_secret,
)


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput(f"{url[:100]!r} is not an http:// or https:// URL", field="url")
    if any(c.isspace() for c in url) or len(url) > 500:
        raise InvalidInput("the URL must have no spaces and at most 500 characters", field="url")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise InvalidInput(f"{url[:100]!r} has an invalid port", field="url") from exc
    return url


def check_events(events: list[str] | None) -> list[str]:
    if not events:
        return list(SUBSCRIBABLE)
    chosen: list[str] = []
    for name in events:
        for part in name.split(","):
            part = part.strip()
            if not part:
                continue
            if part not in SUBSCRIBABLE:
                raise InvalidInput(
                    f"unknown event {part!r}; events are: {', '.join(SUBSCRIBABLE)}",
                    field="events",
                )
            if part not in chosen:
                chosen.append(part)
    return chosen or list(SUBSCRIBABLE)


def do_add_subscription(
    url: str, *, name: str = "", events: list[str] | None = None, agency: str | None = None
) -> WebhookSubscription:
    url = check_url(url)
    chosen = check_events(events)
    agency_obj: Agency | None = None
    if agency:
        try:
            agency_obj = resolve_agency(agency)
        except AgencyError as exc:
            raise InvalidInput(str(exc), field="agency") from exc
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            name=(name.strip() or urlsplit(url).hostname or url)[:100],
            url=url,
            events=",".join(chosen),
            agency=agency_obj,
        )
        audit(
            "webhook.added",
            obj=subscription,
            detail={
                "url": url,
                "events": chosen,
                "agency": agency_obj.code if agency_obj else None,
            },
        )
    return subscription


def do_set_active(subscription: WebhookSubscription, active: bool) -> None:
    with transaction.atomic():
        subscription.is_active = active
        subscription.save(update_fields=["is_active"])
        audit("webhook.enabled" if active else "webhook.disabled", obj=subscription)


def do_rotate_secret(subscription: WebhookSubscription) -> str:
    with transaction.atomic():
        subscription.secret = new_secret()
        subscription.save(update_fields=["secret"])
        audit("webhook.secret_rotated", obj=subscription)
    return subscription.secret


def do_remove_subscription(subscription: WebhookSubscription) -> None:
    with transaction.atomic():
        audit("webhook.removed", obj=subscription, detail={"url": subscription.url})
        subscription.delete()


def do_retry_deliveries(rows: QuerySet[Delivery], *, actor: Any = None) -> int:
    """Queue the undelivered rows among `rows` again from a first attempt (given-up ones
    included); each gets a `webhook.retried` audit entry saying what it was before. Delivered
    rows are left alone. Returns how many were queued."""
    ids = list(rows.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    with transaction.atomic():
        chosen = list(
            WebhookDelivery.objects.filter(pk__in=ids, delivered_at__isnull=True)
            .select_for_update()
            .order_by("pk")
        )
        WebhookDelivery.objects.filter(pk__in=[d.pk for d in chosen]).update(
            failed_at=None, attempts=0, next_attempt_at=timezone.now(), claim=None
        )
        for delivery in chosen:
            audit(
                "webhook.retried",
                obj=delivery,
                object_id=str(delivery.pk),  # not its ticket id: one row among its deliveries
                actor=actor,
                detail={
                    "subscription": delivery.subscription_id,
                    "event_type": delivery.event_type,
                    "ticket_id": delivery.ticket_id,
                    "was": delivery.status,
                    "attempts": delivery.attempts,
                    "last_error": delivery.last_error[:200]
                    or (f"HTTP {delivery.last_status}" if delivery.last_status else ""),
                },
            )
    return len(chosen)
