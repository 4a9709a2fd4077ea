"""Administrators register webhooks and see every delivery with its status in /admin/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.notify.models import WebhookDelivery, WebhookSubscription
from pracha.notify.webhooks.delivery import deliver_due
from tests.notify.receiver import Receiver
from tests.notify.workflow import new_case

ADMIN = "/admin/notify"


@pytest.fixture
def admin_client(db: None) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-long-enough")
    client = Client()
    client.force_login(user)
    return client


def test_add_a_subscription_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        f"{ADMIN}/webhooksubscription/add/",
        {
            "name": "District CRM",
            "url": "https://crm.example.org/in",
            "event_choices": ["case.created", "case.closed"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["case.created", "case.closed"]
    assert subscription.secret.startswith("whsec_")
    page = admin_client.get(f"{ADMIN}/webhooksubscription/{subscription.pk}/change/")
    assert subscription.secret.encode() in page.content  # shown to give to the receiver


def test_a_bad_url_is_refused_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        f"{ADMIN}/webhooksubscription/add/",
        {"name": "x", "url": "ftp://example.org/in", "event_choices": ["case.created"]},
    )
    assert response.status_code == 200
    assert not WebhookSubscription.objects.exists()


def test_deliveries_are_listed_with_their_status(
    admin_client: Client, subscribe: Callable[..., WebhookSubscription], receiver: Receiver
) -> None:
    subscribe()
    new_case()
    receiver.status = 500
    deliver_due()
    page = admin_client.get(f"{ADMIN}/webhookdelivery/")
    assert page.status_code == 200
    assert b"retrying" in page.content and b"HTTP 500" in page.content
    assert admin_client.get(f"{ADMIN}/webhookdelivery/", {"status": "retrying"}).status_code == 200
    delivery = WebhookDelivery.objects.get()
    detail = admin_client.get(f"{ADMIN}/webhookdelivery/{delivery.pk}/change/")
    assert detail.status_code == 200
    receiver.status = 200
    response = admin_client.post(
        f"{ADMIN}/webhookdelivery/",
        {"action": "retry_now", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action="webhook.retried")
    assert (entry.object_type, entry.object_id) == ("webhookdelivery", str(delivery.pk))
    assert entry.actor is not None and entry.actor.get_username() == "root"
    assert entry.detail["was"] == "retrying" and entry.detail["attempts"] == 1
    assert deliver_due().delivered == 1
    # A delivered row is not queued again by the action, and no entry says it was.
    admin_client.post(
        f"{ADMIN}/webhookdelivery/",
        {"action": "retry_now", "_selected_action": [delivery.pk]},
    )
    assert AuditEntry.objects.filter(action="webhook.retried").count() == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 1  # counted afresh
    delivered = admin_client.get(f"{ADMIN}/webhookdelivery/", {"status": "delivered"})
    assert b"delivered" in delivered.content


def test_ping_action(
    admin_client: Client, subscribe: Callable[..., WebhookSubscription], receiver: Receiver
) -> None:
    subscription = subscribe()
    admin_client.post(
        f"{ADMIN}/webhooksubscription/",
        {"action": "send_ping", "_selected_action": [subscription.pk]},
    )
    assert deliver_due().delivered == 1
    assert receiver.received[0].headers["X-Pracha-Event"] == "ping"


def test_the_old_admin_addresses_lead_to_the_new_ones(admin_client: Client) -> None:
    old = admin_client.get("/admin/open311/webhooksubscription/", {"is_active__exact": "1"})
    assert old.status_code == 301
    assert old["Location"] == f"{ADMIN}/webhooksubscription/?is_active__exact=1"
    old = admin_client.get("/admin/open311/webhookdelivery/5/change/")
    assert old["Location"] == f"{ADMIN}/webhookdelivery/5/change/"


def test_the_outbox_page_lists_every_channel(
    admin_client: Client, subscribe: Callable[..., WebhookSubscription], make_case: Any
) -> None:
    subscribe()
    case = make_case(email="somsri@example.org")
    page = admin_client.get(f"{ADMIN}/delivery/")
    assert page.status_code == 200
    assert page.content.count(case.ticket_id.encode()) >= 2
    for channel in ("webhook", "email"):
        listed = admin_client.get(f"{ADMIN}/delivery/", {"channel__exact": channel})
        assert listed.status_code == 200 and case.ticket_id.encode() in listed.content
    # The webhook deliveries page shows the webhook rows only.
    hooks = admin_client.get(f"{ADMIN}/webhookdelivery/")
    assert b"case.created" in hooks.content and b"reporter.news" not in hooks.content
