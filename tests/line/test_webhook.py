"""POST /line/webhook: the SDK's signature check, the durable inbox, redelivery."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pracha.cases.models import Case
from pracha.line.models import InboxEvent
from pracha.line.services.inbox import process_pending, prune_inbox
from tests.line.chat import Chat, sign
from tests.line.fake_line import FakeLine

USER = "U1111111111111111111111111111111a"


@pytest.mark.django_db
def test_without_a_secret_the_webhook_is_not_there(pracha: Callable[..., None]) -> None:
    pracha(line_channel_secret="")
    body = b'{"events": []}'
    response = Client().post(
        "/line/webhook",
        data=body,
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=sign(body),
    )
    assert response.status_code == 404


def test_a_missing_signature_is_refused_and_nothing_stored(chat: Chat) -> None:
    response = chat.post(chat.text(USER, "hello"), signature="")
    assert response.status_code == 400
    assert not InboxEvent.objects.exists()


def test_a_wrong_signature_is_refused_and_nothing_stored(chat: Chat, fake_line: FakeLine) -> None:
    body = json.dumps({"events": [chat.text(USER, "hello")]}).encode()
    for signature in (sign(body, "another-secret"), "not base64 at all", sign(body + b" ")):
        response = chat.client.post(
            "/line/webhook",
            data=body,
            content_type="application/json",
            HTTP_X_LINE_SIGNATURE=signature,
        )
        assert response.status_code == 400
    assert not InboxEvent.objects.exists()
    assert fake_line.calls == []


def test_a_signed_body_that_is_no_payload_is_a_400(chat: Chat) -> None:
    body = b"[1, 2"
    response = chat.client.post(
        "/line/webhook",
        data=body,
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=sign(body),
    )
    assert response.status_code == 400


def test_an_event_is_stored_then_answered_by_reply(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(USER, "ไฟดับทั้งซอย"))
    row = InboxEvent.objects.get()
    assert row.processed_at is not None and row.user_id == USER
    reply = fake_line.last_to(USER)
    assert reply.path == "/v2/bot/message/reply"
    assert "location" in reply.quick_data()  # asks for the place with the location picker
    assert reply.headers["authorization"] == "Bearer test-access-token"


def test_a_redelivered_event_is_handled_once(chat: Chat, fake_line: FakeLine) -> None:
    event = chat.text(USER, "ถนนเป็นหลุม")
    chat.send(event)
    again = {**event, "deliveryContext": {"isRedelivery": True}}
    chat.send(again)
    chat.send(event)
    assert InboxEvent.objects.count() == 1
    assert len(fake_line.to(USER)) == 1


def test_an_event_left_by_a_crash_is_handled_by_the_retry_pass(
    chat: Chat, fake_line: FakeLine
) -> None:
    """Stored, then the process died before handling it: the worker's pass handles it."""
    event = chat.text(USER, "น้ำท่วม")
    InboxEvent.objects.create(
        webhook_event_id=event["webhookEventId"],
        user_id=USER,
        event_type="message",
        body=event,
        occurred_at=timezone.now(),
    )
    assert process_pending() == 1
    assert InboxEvent.objects.get().processed_at is not None
    assert len(fake_line.to(USER)) == 1
    assert process_pending() == 0  # nothing twice
    assert len(fake_line.to(USER)) == 1
    assert not Case.objects.exists()


def test_handled_events_and_sent_answers_are_forgotten_after_a_week(
    chat: Chat, fake_line: FakeLine
) -> None:
    chat.send(chat.text(USER, "ไฟดับ"))
    assert prune_inbox(now=timezone.now() + timedelta(days=1)) == 0
    assert prune_inbox(now=timezone.now() + timedelta(days=8)) == 2
    assert not InboxEvent.objects.exists()
