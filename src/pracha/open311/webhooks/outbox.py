"""Writing outbox rows: inside the transaction of the change, from a post_save on Event
(and on insights' Alert, for early-warning alerts).

`case_event_committed` fires after commit, so a crash between the commit and the receiver
would lose the event. Writing the rows where the Event is inserted puts both in one
transaction: either the change and its deliveries are stored, or neither is.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from pracha.cases.models import Case, Category, Event
from pracha.insights.alerts.early_warning import CITY, alert_payload
from pracha.insights.models import Alert
from pracha.open311.formats import w3c
from pracha.open311.models import EVENT_TYPES, EventType, WebhookDelivery, WebhookSubscription


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
    return queue(
        chosen, uuid.uuid4(), event_type=event_type, case_event=event,
        ticket_id=case.ticket_id, occurred_at=event.at,
    )  # fmt: skip


def queue(
    chosen: list[WebhookSubscription], event_id: uuid.UUID, **fields: Any
) -> list[WebhookDelivery]:
    """One outbox row per chosen subscription, all under the same event id, due now."""
    now = timezone.now()
    rows = [
        WebhookDelivery(
            event_id=event_id, subscription=s, created_at=now, next_attempt_at=now, **fields
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


def alert_wanted_by(subscription: WebhookSubscription, alert: Alert) -> bool:
    """City-wide subscribers get every alert; an agency's, the alerts of its district."""
    if EventType.ALERT not in subscription.event_types:
        return False
    if subscription.agency_id is None:
        return True
    district = subscription.agency.district if subscription.agency else ""
    return bool(district) and alert.district != CITY and district == alert.district


def alert_body(alert: Alert, event_id: uuid.UUID) -> str:
    """The JSON of an alert delivery, fixed when the alert is stored."""
    facts = {k: v for k, v in alert_payload(alert).items() if k != "type"}
    category = Category.objects.filter(code=alert.category).first()
    facts["category_name_th"] = category.name_th if category else None
    facts["category_name_en"] = category.name_en if category else None
    query = {"category": alert.category}
    if facts["district"]:
        query["district"] = facts["district"]
    return json.dumps(
        {
            "id": str(event_id),
            "type": EventType.ALERT.value,
            "occurred_at": w3c(alert.created_at),
            "alert": facts,
            "dashboard_url": f"{settings.PRACHA.base_url}/dashboard/?{urlencode(query)}",
        },
        ensure_ascii=False,
    )


def enqueue_for_alert(alert: Alert) -> list[WebhookDelivery]:
    subscriptions = WebhookSubscription.objects.filter(is_active=True).select_related("agency")
    chosen = [s for s in subscriptions if alert_wanted_by(s, alert)]
    if not chosen:
        return []
    event_id = uuid.uuid4()
    return queue(
        chosen, event_id, event_type=EventType.ALERT, occurred_at=alert.created_at,
        body=alert_body(alert, event_id),
    )  # fmt: skip


def on_alert_saved(sender: Any, instance: Alert, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        enqueue_for_alert(instance)
