"""Retries with backoff on the task queue: a failing task enqueues its next attempt later,
with the attempt counted, doubling the wait, until its last attempt; one that then succeeds
stops there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from pracha.jobs import worker
from pracha.jobs.retry import Backoff, with_retries

pytestmark = pytest.mark.django_db

FAILURES: dict[str, int] = {}  # how many times each test task is still to fail
CALLS: list[str] = []

POLICY = Backoff(first_seconds=60, longest_seconds=150, max_attempts=3)


@task()
@with_retries(POLICY)
def flaky(name: str) -> str:
    CALLS.append(name)
    if FAILURES.get(name, 0) > 0:
        FAILURES[name] -= 1
        raise ConnectionError(f"{name} is down")
    return f"{name} done"


@pytest.fixture(autouse=True)
def fresh() -> None:
    FAILURES.clear()
    CALLS.clear()


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("run_after"))


def make_due(row: DBTaskResult) -> None:
    """Time passes: the retry is due now."""
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())


def test_the_wait_doubles_up_to_the_longest() -> None:
    waits = [POLICY.wait(n).total_seconds() for n in (1, 2, 3, 4)]
    assert waits == [60, 120, 150, 150]


def test_a_failure_enqueues_the_next_attempt_later_until_the_last() -> None:
    FAILURES["receiver"] = 10
    flaky.enqueue("receiver")

    before = timezone.now()
    assert worker.run_ready() == 1
    [retry] = waiting()
    assert retry.args_kwargs == {"args": ["receiver"], "kwargs": {"attempt": 2}}
    assert retry.run_after >= before + timedelta(seconds=60)
    assert worker.run_ready() == 0  # not due yet
    first = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert first.exception_class_path == "builtins.ConnectionError"

    make_due(retry)
    before = timezone.now()
    assert worker.run_ready() == 1
    [third] = waiting()
    assert third.args_kwargs["kwargs"] == {"attempt": 3}
    assert third.run_after >= before + timedelta(seconds=120)

    make_due(third)
    assert worker.run_ready() == 1
    assert waiting() == []  # the last attempt failed: given up
    assert CALLS == ["receiver"] * 3
    assert DBTaskResult.objects.failed().count() == 3


def test_a_retry_that_succeeds_ends_the_retries() -> None:
    FAILURES["mail"] = 1
    flaky.enqueue("mail")
    worker.run_ready()
    [retry] = waiting()
    make_due(retry)
    worker.run_ready()

    assert waiting() == []
    done = DBTaskResult.objects.successful().get()
    assert done.return_value == "mail done"
    assert CALLS == ["mail", "mail"]
