"""The one outbox: every channel's rows in one table, drained by one worker; a failing channel
retries without holding up the other; a lease that runs out lets another worker take a row;
backoff and giving up are the same for every channel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pracha.cases.models import Case, Event
from pracha.notify import email, worker
from pracha.notify.models import Channel, Delivery, MailType, WebhookSubscription
from pracha.notify.outbox import PassResult, Retry, claim, record
from pracha.notify.webhooks.delivery import lease_seconds
from tests.notify.helpers import waiting_mail
from tests.notify.receiver import Receiver

pytestmark = pytest.mark.django_db
Subscribe = Callable[..., WebhookSubscription]
MakeCase = Callable[..., Case]
ADDRESS = "somsri@example.org"


def rows_of(case: Case) -> list[tuple[str, str]]:
    return sorted(Delivery.objects.filter(case=case).values_list("channel", "event_type"))


@pytest.fixture
def broken_mail_server(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there


def test_a_webhook_and_an_email_for_one_event_are_two_rows_drained_by_one_worker(
    subscribe: Subscribe, receiver: Receiver, make_case: MakeCase
) -> None:
    subscribe()
    case = make_case(email=ADDRESS)  # no commit in a test: both wait in the outbox
    created = Event.objects.get(case=case, kind=Event.Kind.CREATED)
    assert rows_of(case) == [
        (Channel.EMAIL, MailType.REPORTER),
        (Channel.WEBHOOK, "case.created"),
    ]
    rows = Delivery.objects.filter(case=case)
    assert set(rows.values_list("case_event", flat=True)) == {created.pk}
    assert {r.status for r in rows} == {"pending"}

    lines: list[str] = []
    assert worker.one_pass(worker.ALL, lines.append) is False

    assert lines == ["webhooks: 1 delivered, 0 to retry", "reporter e-mails: 1 sent"]
    [got] = receiver.accepted()
    assert got.signature_ok and got.json["ticket_id"] == case.ticket_id
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert {r.status for r in rows.all()} == {"delivered"}
    assert worker.one_pass(worker.ALL, lines.append) is False  # nothing twice
    assert len(receiver.received) == 1 and len(mail.outbox) == 1


def test_a_failing_receiver_retries_without_holding_up_the_email(
    subscribe: Subscribe, receiver: Receiver, make_case: MakeCase
) -> None:
    subscribe()
    receiver.status = 500
    case = make_case(email=ADDRESS)

    worker.one_pass(worker.ALL)

    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    hook = Delivery.objects.get(case=case, channel=Channel.WEBHOOK)
    assert (hook.status, hook.attempts, hook.last_status) == ("retrying", 1, 500)
    assert hook.next_attempt_at > timezone.now()


def test_a_failing_mail_server_retries_without_holding_up_the_webhooks(
    subscribe: Subscribe, receiver: Receiver, make_case: MakeCase, broken_mail_server: None
) -> None:
    subscribe()
    first = make_case("ไฟถนนดับทั้งซอย มืดมาก", email=ADDRESS)
    second = make_case("ท่อระบายน้ำอุดตันหน้าตลาด", email="other@example.org")

    worker.one_pass(worker.ALL)

    assert len(receiver.accepted()) == 2  # both cases' webhooks went out
    assert mail.outbox == []
    failed, held = (Delivery.objects.get(case=c, channel=Channel.EMAIL) for c in (first, second))
    assert (failed.status, failed.attempts) == ("retrying", 1)
    assert "ConnectionRefusedError" in failed.last_error
    # The server is down: the other message waits for the same retry instead of spending a
    # timeout now (and on every pass after).
    assert (held.status, held.attempts) == ("pending", 0)
    assert held.next_attempt_at == failed.next_attempt_at
    assert failed.next_attempt_at - timezone.now() > email.CLAIM_LEASE - timedelta(minutes=1)


def test_a_crashing_channel_is_logged_and_the_others_still_send(
    subscribe: Subscribe,
    receiver: Receiver,
    make_case: MakeCase,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    subscribe()
    make_case(email=ADDRESS)

    def broken() -> PassResult:
        raise RuntimeError("a bug in the webhook sender")

    sender = replace(worker.SENDERS[Channel.WEBHOOK], send_due=broken)
    monkeypatch.setitem(worker.SENDERS, Channel.WEBHOOK, sender)
    with caplog.at_level(logging.ERROR, logger="pracha.notify.worker"):
        worker.one_pass(worker.ALL)

    assert len(mail.outbox) == 1
    assert "webhook delivery failed; the other channels go on" in caplog.text


@pytest.mark.parametrize("channel", [Channel.WEBHOOK, Channel.EMAIL])
def test_a_row_held_by_a_worker_waits_until_its_lease_runs_out(
    channel: str, subscribe: Subscribe, receiver: Receiver, make_case: MakeCase
) -> None:
    subscribe()
    case = make_case(email=ADDRESS)
    row = Delivery.objects.get(case=case, channel=channel)
    lease = timedelta(seconds=lease_seconds()) if channel == Channel.WEBHOOK else email.CLAIM_LEASE

    # Worker A takes the row now, and is still sending it: worker B leaves it alone.
    [held] = claim([row], timezone.now(), lease)
    assert worker.one_pass([channel]) is False
    assert receiver.received == [] and mail.outbox == []

    # Worker A died long ago (its lease ran out): worker B takes the row and sends it.
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(1))
    lines: list[str] = []
    worker.one_pass([channel], lines.append)
    assert len(lines) == 1 and "1 " in lines[0]
    assert len(receiver.accepted()) + len(mail.outbox) == 1

    # Worker A's late word on the row it no longer holds changes nothing.
    record([held], timezone.now(), ok=False, retry=email.RETRY, error="A's attempt failed")
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, "")


def test_two_workers_never_take_the_same_row(make_case: MakeCase) -> None:
    case = make_case(email=ADDRESS)
    seen_by_a = list(waiting_mail().filter(case=case))
    seen_by_b = list(waiting_mail().filter(case=case))
    now = timezone.now()
    assert len(claim(seen_by_a, now, email.CLAIM_LEASE)) == 1
    assert claim(seen_by_b, now, email.CLAIM_LEASE) == []


def test_backoff_doubles_to_its_longest_wait_then_gives_up(make_case: MakeCase) -> None:
    retry = Retry(first_seconds=10, longest_seconds=60, max_attempts=4, jitter=False)
    assert [retry.wait(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]
    assert all(8 <= replace(retry, jitter=True).wait(1) <= 12 for _ in range(50))

    [row] = waiting_mail().filter(case=make_case(email=ADDRESS))
    now = timezone.now()
    waits = []
    for attempt in range(1, 5):
        [taken] = claim([row], now, email.CLAIM_LEASE)
        given_up = record([taken], now, ok=False, retry=retry, error=f"failure {attempt}")
        waits.append((row.next_attempt_at - now).total_seconds())
        now = row.next_attempt_at
    assert waits[:3] == [10, 20, 40]
    assert given_up == [row]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 4, "failure 4")
    assert not waiting_mail().exists()


def test_email_gives_up_after_its_last_attempt(
    make_case: MakeCase, broken_mail_server: None, caplog: pytest.LogCaptureFixture
) -> None:
    make_case(email=ADDRESS)
    now = timezone.now()
    with caplog.at_level(logging.ERROR, logger="pracha.notify.email"):
        for _ in range(email.MAX_ATTEMPTS):
            assert email.send_due_mail(now=now).failed == 1
            now += email.CLAIM_LEASE
    row = Delivery.objects.get(channel=Channel.EMAIL)
    assert (row.status, row.attempts) == ("failed", email.MAX_ATTEMPTS)
    assert "gave up the reporter.news e-mail" in caplog.text
    assert email.send_due_mail(now=now + email.CLAIM_LEASE).attempted == 0


def test_the_command_runs_one_pass_of_every_channel(
    subscribe: Subscribe, receiver: Receiver, make_case: MakeCase
) -> None:
    subscribe()
    make_case(email=ADDRESS)
    out = StringIO()
    call_command("notify", "--once", stdout=out)
    assert out.getvalue().splitlines() == [
        "webhooks: 1 delivered, 0 to retry",
        "reporter e-mails: 1 sent",
    ]
    out = StringIO()
    call_command("notify", "--once", "--channel", "email", stdout=out)
    assert out.getvalue().strip() == "Nothing was due."


def test_sent_rows_are_forgotten_after_their_channel_keeps_them(
    subscribe: Subscribe, receiver: Receiver, make_case: MakeCase, pracha: Callable[..., None]
) -> None:
    pracha(webhook_keep_days=30)
    subscribe()
    make_case(email=ADDRESS)
    worker.one_pass(worker.ALL)
    assert worker.prune_sent(worker.ALL) == 0
    Delivery.objects.update(delivered_at=timezone.now() - email.KEEP - timedelta(days=1))
    assert worker.prune_sent([Channel.EMAIL]) == 1  # e-mail rows: a week
    assert worker.prune_sent([Channel.WEBHOOK]) == 0  # webhooks: PRACHA_WEBHOOK_KEEP_DAYS
    Delivery.objects.update(delivered_at=timezone.now() - timedelta(days=31))
    assert worker.prune_sent(worker.ALL) == 1
    assert not Delivery.objects.exists()
