"""Writing outbox rows: inside the transaction of the change, from a post_save on Event.

`case_event_committed` fires after commit, so a crash between the commit and the receiver
would lose the event. Writing the rows where the Event is inserted puts both in one
transaction: either the change and its deliveries are stored, or neither is.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from pracha.cases.models import Case, Event
from pracha.open311.models import (
    EVENT_TYPES,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
)


def wants(subscription: WebhookSubscription, event_type: str, case: Case, event: Event) -> bool:
    if event_type not in subscription.event_types:
        return False
    if subscription.agency_id is None:
        return True
    involved = {case.agency_id, event.agency_id, event.from_agency_id, event.to_agency_id}
    if subscription.agency_id in involved:
        return True
    return case.co_agencies.filter(pk=subscription.agency_id).exists()


def enqueue_for_event(event: Event) -> list[WebhookDelivery]:
    """Outbox rows for every active subscription that wants this event (one shared event id)."""
    event_type = EVENT_TYPES.get(event.kind)
    if event_type is None:
        return []
    if event_type == EventType.COMMENTED and not event.is_public:
        return []  # staff-only notes stay inside Pracha
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True))
    if not subscriptions:
        return []
    case = event.case
    chosen = [s for s in subscriptions if wants(s, event_type, case, event)]
    if not chosen:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    rows = [
        WebhookDelivery(
            event_id=event_id,
            subscription=s,
            event_type=event_type,
            case_event=event,
            ticket_id=case.ticket_id,
            occurred_at=event.at,
            created_at=now,
            next_attempt_at=now,
        )
        for s in chosen
    ]
    return WebhookDelivery.objects.bulk_create(rows)


def on_event_saved(sender: Any, instance: Event, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        enqueue_for_event(instance)


def do_queue_ping(subscription: WebhookSubscription) -> WebhookDelivery:
    """A test event, so a receiver can check its signature code before real events come."""
    now = timezone.now()
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_type=EventType.PING,
        occurred_at=now,
        created_at=now,
        next_attempt_at=now,
    )
