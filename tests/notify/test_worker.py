"""The notification worker beside `pracha serve`: a pass sends what is due, it stops when
told to, a database outage does not end it, and `pracha check` notices mail nobody sends."""

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
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone

from pracha import background
from pracha.background import Stopper
from pracha.cases.models import Case
from pracha.notify import worker
from pracha.notify.checks import STALLED_AFTER, reporter_mail_stalled
from pracha.notify.models import Channel
from pracha.notify.outbox import PassResult
from tests.notify.helpers import waiting_mail

EMAIL = [Channel.EMAIL]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop drops connections between passes; inside a test's transaction that would
    close the test's own connection (PostgreSQL)."""
    monkeypatch.setattr(background, "close_old_connections", lambda: None)


class StopAfter(Stopper):
    """Says "stop" from its `checks`+1st question on: StopAfter(1) lets the loop run one pass."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.left = checks

    @property
    def stop(self) -> bool:
        self.left -= 1
        return self.requested or self.left < 0


@pytest.fixture
def pending(make_case: Callable[..., Case], pracha: Callable[..., None]) -> Case:
    """A case whose reporter's e-mail waits in the outbox (no after-commit send in a test)."""
    pracha(notify_batch_seconds=0)
    case = make_case(email="somsri@example.org")
    assert waiting_mail().filter(case=case).exists()
    return case


def test_a_pass_sends_what_is_due_then_the_loop_stops(pending: Case) -> None:
    lines: list[str] = []

    worker.run(StopAfter(1), channels=EMAIL, interval=60, report=lines.append)

    [message] = mail.outbox
    assert message.to == ["somsri@example.org"]
    assert lines == ["reporter e-mails: 1 sent"]
    assert not waiting_mail().exists()


def test_a_loop_told_to_stop_sends_nothing(pending: Case) -> None:
    stopper = Stopper()
    stopper.requested = True

    worker.run(stopper, interval=60)

    assert mail.outbox == []
    assert waiting_mail().filter(case=pending).exists()


def test_a_database_outage_pauses_the_loop_and_is_logged_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def unavailable() -> PassResult:
        calls.append(1)
        raise DatabaseError("connection refused")

    sender = replace(worker.SENDERS[Channel.EMAIL], send_due=unavailable)
    monkeypatch.setitem(worker.SENDERS, Channel.EMAIL, sender)
    with caplog.at_level(logging.WARNING, logger="pracha.notify.worker"):
        worker.run(StopAfter(3), channels=EMAIL, interval=0.01)  # two passes

    assert len(calls) == 2
    assert [r.getMessage() for r in caplog.records] == [
        "reporter e-mail paused, the database is not available: connection refused"
    ]


def test_the_command_makes_one_pass_by_default(pending: Case) -> None:
    out = StringIO()
    call_command("send_reporter_mail", stdout=out)
    assert out.getvalue().strip() == "1 e-mail(s) sent; 0 event(s) waiting for their batch."


def test_the_command_refuses_a_loop_without_pauses() -> None:
    with pytest.raises(CommandError, match="--interval must be more than 0"):
        call_command("send_reporter_mail", "--loop", "--interval", "0")


def test_check_warns_about_mail_nothing_has_sent(
    pending: Case, pracha: Callable[..., None]
) -> None:
    pracha(notify_batch_seconds=120)
    assert reporter_mail_stalled() == []  # young: within any batch window

    old = timezone.now() - STALLED_AFTER - timedelta(minutes=1)
    waiting_mail().update(occurred_at=old)
    [warning] = reporter_mail_stalled()
    assert warning.id == "web.W001"
    assert "pracha worker" in (warning.hint or "")

    pracha(notify_batch_seconds=0)  # sent at commit: the rows are someone else's problem
    assert reporter_mail_stalled() == []


def test_check_is_quiet_without_pending_mail(pracha: Callable[..., Any]) -> None:
    pracha(notify_batch_seconds=120)
    assert reporter_mail_stalled() == []
