"""Answers in the chat: the reply token while it is fresh, else a push that carries a retry
key kept with the answer, so a retried push is shown once; every call has a timeout."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pracha.line.models import Outgoing
from pracha.line.services import outgoing
from pracha.line.services.inbox import process_pending
from pracha.notify import line_api
from tests.line.chat import Chat
from tests.line.fake_line import FakeLine

ANNA = "Uaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"


def test_a_refused_reply_token_falls_back_to_a_push(chat: Chat, fake_line: FakeLine) -> None:
    event = chat.text(ANNA, "ไฟดับ")
    fake_line.expired_tokens.add(event["replyToken"])
    chat.send(event)
    answer = fake_line.last_to(ANNA)
    assert answer.path == "/v2/bot/message/push"
    row = Outgoing.objects.get()
    assert row.sent_by == "push"
    assert answer.headers["x-line-retry-key"] == str(row.retry_key)


def test_an_old_event_is_answered_by_push_without_trying_its_token(
    chat: Chat, fake_line: FakeLine
) -> None:
    chat.clock_ms -= 10 * 60 * 1000  # handled ten minutes after it happened
    chat.send(chat.text(ANNA, "ไฟดับ"))
    assert [c.path for c in fake_line.calls if "/message/" in c.path] == ["/v2/bot/message/push"]


def test_a_push_refused_with_429_is_sent_later_with_the_same_retry_key(
    chat: Chat, fake_line: FakeLine
) -> None:
    event = chat.text(ANNA, "ไฟดับ")
    fake_line.expired_tokens.add(event["replyToken"])
    fake_line.fail("/v2/bot/message/push", 429, Retry_After="20")
    chat.send(event)
    row = Outgoing.objects.get()
    assert row.sent_at is None and "429" in row.last_error
    assert row.next_attempt_at >= timezone.now() + timedelta(seconds=15)
    assert outgoing.send_due(now=timezone.now() + timedelta(seconds=25)) == 1
    tries = [c for c in fake_line.calls if c.path == "/v2/bot/message/push"]
    assert len(tries) == 2
    assert tries[0].headers["x-line-retry-key"] == tries[1].headers["x-line-retry-key"]
    assert len(fake_line.to(ANNA)) == 1


def test_a_push_that_timed_out_but_arrived_is_not_shown_twice(
    chat: Chat, fake_line: FakeLine
) -> None:
    """LINE took the push but the answer was lost: the retry gets 409 and counts as sent."""
    event = chat.text(ANNA, "ไฟดับ")
    fake_line.expired_tokens.add(event["replyToken"])
    chat.send(event)
    row = Outgoing.objects.get()
    Outgoing.objects.filter(pk=row.pk).update(
        sent_at=None, attempts=1, next_attempt_at=timezone.now()
    )  # as if LINE had not answered
    assert outgoing.send_due() == 1
    assert len(fake_line.to(ANNA)) == 1
    assert fake_line.calls[-1].path == "/v2/bot/message/push"


def test_answers_left_unsent_go_out_on_the_workers_pass(chat: Chat, fake_line: FakeLine) -> None:
    event = chat.text(ANNA, "ไฟดับ")
    fake_line.expired_tokens.add(event["replyToken"])
    fake_line.fail("/v2/bot/message/push", 500)
    chat.send(event)
    Outgoing.objects.update(next_attempt_at=timezone.now())
    process_pending()
    assert len(fake_line.to(ANNA)) == 1


def test_every_call_has_a_timeout(chat: Chat) -> None:
    connect, read = line_api.timeout()
    assert connect > 0 and read == 5
