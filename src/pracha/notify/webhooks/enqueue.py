"""Which subscriptions get an event, and their outbox rows: written inside the transaction of
the change, from the post_save receivers on Event and on insights' Alert
(pracha.notify.receivers).

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

from pracha.cases.models import Case, Category, Event
from pracha.insights.alerts.early_warning import CITY, alert_payload
from pracha.insights.models import Alert
from pracha.notify.models import EVENT_TYPES, Channel, Delivery, EventType, WebhookSubscription
from pracha.notify.outbox import queue
from pracha.notify.webhooks.payload import timestamp
from pracha.reference import Reference

# Read for every event; a new or changed subscription reaches every process within a few
# seconds (pracha.reference), at once in the one that made it.
_active: Reference[str, list[WebhookSubscription]] = Reference(
    lambda _: list(WebhookSubscription.objects.filter(is_active=True)),
    models=("notify.WebhookSubscription",),
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


def enqueue_for_event(event: Event) -> list[Delivery]:
    """Outbox rows for every active subscription that wants this event (one shared event id)."""
    event_type = EVENT_TYPES.get(event.kind)
    if event_type is None:
        return []
    if event_type == EventType.COMMENTED and not event.is_public:
        return []  # staff-only notes stay inside Pracha
    subscriptions = _active.get("all")
    if not subscriptions:
        return []
    case = event.case
    if case.is_private:
        return []  # a service request holds personal data: no receiver outside Pracha
    chosen = [s for s in subscriptions if wants(s, event_type, case, event)]
    if not chosen:
        return []
    return queue_for(
        chosen, uuid.uuid4(), event_type=event_type, case_event=event, case=case,
        ticket_id=case.ticket_id, occurred_at=event.at,
    )  # fmt: skip


def queue_for(
    chosen: list[WebhookSubscription], event_id: uuid.UUID, **fields: Any
) -> list[Delivery]:
    """One outbox row per chosen subscription, all under the same event id, due now."""
    return queue(Channel.WEBHOOK, [dict(fields, event_id=event_id, subscription=s) for s in chosen])


def do_queue_ping(subscription: WebhookSubscription) -> Delivery:
    """A test event, so a receiver can check its signature code before real events come."""
    [row] = queue_for([subscription], uuid.uuid4(), event_type=EventType.PING)
    return row


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
            "occurred_at": timestamp(alert.created_at),
            "alert": facts,
            "dashboard_url": f"{settings.PRACHA.base_url}/dashboard/?{urlencode(query)}",
        },
        ensure_ascii=False,
    )


def enqueue_for_alert(alert: Alert) -> list[Delivery]:
    subscriptions = WebhookSubscription.objects.filter(is_active=True).select_related("agency")
    chosen = [s for s in subscriptions if alert_wanted_by(s, alert)]
    if not chosen:
        return []
    event_id = uuid.uuid4()
    return queue_for(
        chosen, event_id, event_type=EventType.ALERT, occurred_at=alert.created_at,
        body=alert_body(alert, event_id),
    )  # fmt: skip
