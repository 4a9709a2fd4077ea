"""Webhook delivery: signed POSTs to a real receiver, retries with backoff, giving up, redirects."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pracha.notify.models import WebhookDelivery, WebhookSubscription
from pracha.notify.webhooks.delivery import (
    backoff_seconds,
    claim,
    deliver_due,
    prune_delivered,
    signature,
)
from pracha.notify.webhooks.enqueue import do_queue_ping
from tests.cli import free_port
from tests.notify.receiver import Receiver
from tests.notify.workflow import REPORTER, new_case

Subscribe = Callable[..., WebhookSubscription]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def make_due() -> None:
    WebhookDelivery.objects.pending().update(next_attempt_at=timezone.now())


def test_a_created_case_is_posted_signed(subscribe: Subscribe, receiver: Receiver) -> None:
    subscription = subscribe()
    case = new_case("น้ำท่วมขัง โทรหาผมที่ 0812223344 นะครับ")
    assert deliver_due().delivered == 1
    [got] = receiver.received
    assert got.signature_ok
    assert got.path == "/hooks/pracha"
    headers = got.headers
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Pracha-Event"] == "case.created"
    assert UUID.match(headers["X-Pracha-Event-Id"])
    assert headers["X-Pracha-Delivery-Attempt"] == "1"
    assert int(headers["X-Pracha-Timestamp"]) > 1_700_000_000
    assert headers["X-Pracha-Signature"] == signature(subscription.secret, got.body)
    body = got.json
    assert body["id"] == headers["X-Pracha-Event-Id"]
    assert body["type"] == "case.created" and body["ticket_id"] == case.ticket_id
    assert body["change"]["to_state"] == "waiting" and body["change"]["to_status"] == "open"
    assert body["case"]["service_request_id"] == case.ticket_id
    assert body["case"]["extended_attributes"]["detailed_status"] == "waiting"
    assert "updates" not in body["case"]["extended_attributes"]
    # Nothing that identifies the reporter, and citizen text masked.
    for secret in (REPORTER.name, REPORTER.email, REPORTER.phone, "0812223344", "Malee"):
        assert secret.encode() not in got.body
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.last_status == 200
    assert delivery.body.encode() == got.body


def test_a_receiver_error_is_retried_with_the_same_id_and_bytes(
    subscribe: Subscribe, receiver: Receiver, pracha: Callable[..., None]
) -> None:
    pracha(webhook_retry_seconds=10)
    subscribe()
    new_case()
    receiver.status = 500
    assert deliver_due().failed == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("retrying", 1, 500)
    assert "HTTP 500" in delivery.last_error
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 7 <= wait <= 12.5  # 10 s, give or take the jitter
    assert deliver_due().attempted == 0  # not due yet
    receiver.status = 200
    make_due()
    assert deliver_due().delivered == 1
    first, second = receiver.received
    assert first.event_id == second.event_id and first.body == second.body
    assert second.headers["X-Pracha-Delivery-Attempt"] == "2"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_backoff_doubles_up_to_an_hour(pracha: Callable[..., None], db: None) -> None:
    pracha(webhook_retry_seconds=10)
    waits = [backoff_seconds(n, jitter=False) for n in range(1, 12)]
    assert waits[:4] == [10, 20, 40, 80]
    assert waits[-1] == 3600 and max(waits) == 3600
    assert all(8 <= backoff_seconds(1) <= 12 for _ in range(50))


def test_gives_up_after_the_last_attempt(
    subscribe: Subscribe, receiver: Receiver, pracha: Callable[..., None]
) -> None:
    pracha(webhook_retry_seconds=0, webhook_max_attempts=3)
    subscribe()
    new_case()
    receiver.status = 503
    for _ in range(5):
        deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.failed_at is not None
    assert len(receiver.received) == 3


def test_receiver_down_holds_its_other_events(
    subscribe: Subscribe, receiver: Receiver, pracha: Callable[..., None]
) -> None:
    pracha(webhook_retry_seconds=60)
    subscribe()
    receiver.stop()  # the port is closed: connection refused
    for _ in range(3):
        new_case()
    result = deliver_due()
    assert (result.delivered, result.failed) == (0, 1)  # one try, not one timeout per event
    rows = list(WebhookDelivery.objects.order_by("id"))
    assert "ConnectionRefusedError" in rows[0].last_error
    assert [r.attempts for r in rows] == [1, 0, 0]
    assert len({r.next_attempt_at for r in rows}) == 1  # all wait for the same retry


def test_a_4xx_for_one_event_does_not_hold_the_others(
    subscribe: Subscribe, receiver: Receiver
) -> None:
    subscribe()
    new_case()
    new_case()
    receiver.status = 422
    result = deliver_due()
    assert result.failed == 2 and len(receiver.received) == 2


def test_same_origin_307_is_followed_other_redirects_are_not(
    subscribe: Subscribe, receiver: Receiver
) -> None:
    subscribe()
    new_case()
    receiver.status, receiver.redirect_to = 307, "/hooks/moved"
    deliver_due()  # -> 307 to the same host; the follow-up gets 307 again ... at most 3 hops
    assert [r.path for r in receiver.received] == ["/hooks/pracha"] + ["/hooks/moved"] * 3
    assert WebhookDelivery.objects.get().last_error == "too many redirects"
    receiver.received.clear()
    receiver.redirect_to = "http://evil.example/steal"
    make_due()
    deliver_due()
    assert len(receiver.received) == 1
    assert "another host" in WebhookDelivery.objects.get().last_error
    receiver.received.clear()
    receiver.status, receiver.redirect_to = 302, "/hooks/moved"
    make_due()
    deliver_due()
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().last_status == 302


def test_only_one_worker_claims_a_delivery(subscribe: Subscribe) -> None:
    subscribe()
    new_case()
    seen_by_a = WebhookDelivery.objects.get()
    seen_by_b = WebhookDelivery.objects.get()
    now = timezone.now()
    assert claim(seen_by_a, now) is True
    assert claim(seen_by_b, now) is False


def test_a_worker_that_died_mid_send_leaves_the_row_to_be_retried(subscribe: Subscribe) -> None:
    subscribe()
    new_case()
    delivery = WebhookDelivery.objects.get()
    assert claim(delivery, timezone.now() - timedelta(hours=1))  # its lease ran out long ago
    assert deliver_due().delivered == 1


def test_ping(subscribe: Subscribe, receiver: Receiver) -> None:
    subscription = subscribe()
    do_queue_ping(subscription)
    assert deliver_due().delivered == 1
    [got] = receiver.received
    assert got.signature_ok and got.headers["X-Pracha-Event"] == "ping"
    assert got.json["subscription"] == subscription.name


def test_a_deleted_case_still_sends_its_event_without_the_case(
    subscribe: Subscribe, receiver: Receiver
) -> None:
    subscribe()
    case = new_case()
    case.delete()
    assert deliver_due().delivered == 1
    body = receiver.received[0].json
    assert body["ticket_id"] == case.ticket_id and body["case"] is None


def test_disabled_subscriptions_wait(subscribe: Subscribe, receiver: Receiver) -> None:
    subscription = subscribe()
    new_case()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
    assert deliver_due().attempted == 0
    WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=True)
    assert deliver_due().delivered == 1


def test_unreachable_host_is_an_error_not_a_crash(
    subscribe: Subscribe, pracha: Callable[..., None]
) -> None:
    pracha(webhook_timeout_seconds=1)
    subscribe(url=f"http://127.0.0.1:{free_port()}/nobody-listens")
    new_case()
    assert deliver_due().failed == 1
    assert WebhookDelivery.objects.get().last_error


def test_delivered_rows_are_forgotten_after_the_keep_period(
    subscribe: Subscribe, pracha: Callable[..., None]
) -> None:
    pracha(webhook_keep_days=30)
    subscribe()
    new_case()
    new_case()
    deliver_due()
    WebhookDelivery.objects.filter(pk=WebhookDelivery.objects.first().pk).update(  # type: ignore[union-attr]
        delivered_at=timezone.now() - timedelta(days=31)
    )
    assert prune_delivered() == 1
    assert WebhookDelivery.objects.count() == 1


def test_body_is_json_with_thai_as_utf8(subscribe: Subscribe, receiver: Receiver) -> None:
    subscribe()
    new_case("ไฟดับทั้งซอย")
    deliver_due()
    raw: Any = receiver.received[0].body
    assert "ไฟดับทั้งซอย".encode() in raw
    assert json.loads(raw)["case"]["description"] == "ไฟดับทั้งซอย"


@pytest.mark.parametrize(
    "bad", ["ftp://example.org/x", "example.org/hook", "http://", "http://a b"]
)
def test_only_http_urls_can_be_registered(subscribe: Subscribe, bad: str) -> None:
    from pracha.cases.errors import InvalidInput

    with pytest.raises(InvalidInput):
        subscribe(url=bad)
