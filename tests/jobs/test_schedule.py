"""Periodic jobs declared in code: runs fall on fixed boundaries every node agrees on, each due
run is enqueued once however many workers look, and a worker that was away runs a missed job
once, not once per missed period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django_tasks.base import task
from django_tasks_db.models import DBTaskResult

from pracha.jobs import schedule
from pracha.jobs.models import ScheduledJob
from pracha.jobs.schedule import Periodic, enqueue_due, every

pytestmark = pytest.mark.django_db

RAN: list[int] = []


@task()
def tick() -> int:
    RAN.append(1)
    return len(RAN)


@pytest.fixture
def only_tick(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The schedule holds only `tick`, every minute."""
    monkeypatch.setattr(schedule, "REGISTRY", {})
    every(minutes=1)(tick)
    yield tick.module_path


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_runs_fall_on_boundaries_with_their_offset() -> None:
    hourly = Periodic("h", tick, timedelta(hours=1))
    daily = Periodic("d", tick, timedelta(days=1), offset=timedelta(hours=17, minutes=30))
    assert hourly.next_after(at("2026-03-01T10:00:00")) == at("2026-03-01T11:00:00")
    assert hourly.next_after(at("2026-03-01T10:59:59")) == at("2026-03-01T11:00:00")
    assert daily.next_after(at("2026-03-01T10:00:00")) == at("2026-03-01T17:30:00")
    assert daily.next_after(at("2026-03-01T17:30:00")) == at("2026-03-02T17:30:00")


def test_a_period_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        every(seconds=0)


def test_the_apps_declare_their_jobs() -> None:
    names = set(schedule.REGISTRY)
    assert {
        "pracha.notify.tasks.drain_outbox",
        "pracha.notify.tasks.send_digests",
        "pracha.insights.tasks.early_warning",
        "pracha.insights.tasks.score_sla_risk",
        "pracha.privacy.tasks.purge_expired",
        "pracha.jobs.tasks.prune_results",
        "pracha.proposals.tasks.tick",
        "pracha.lifeevents.tasks.remind",
    } <= names


def test_a_due_run_is_enqueued_once(only_tick: str) -> None:
    start = at("2026-03-01T10:00:30")
    assert enqueue_due(start) == []  # the first run is the next boundary
    assert ScheduledJob.objects.get(name=only_tick).next_run_at == at("2026-03-01T10:01:00")

    later = at("2026-03-01T10:01:05")
    assert enqueue_due(later) == [only_tick]
    assert enqueue_due(later) == []  # a second worker looking at the same moment
    assert DBTaskResult.objects.filter(task_path=only_tick).count() == 1
    assert ScheduledJob.objects.get(name=only_tick).next_run_at == at("2026-03-01T10:02:00")


def test_a_worker_that_read_the_row_before_another_took_the_run_loses(only_tick: str) -> None:
    enqueue_due(at("2026-03-01T10:00:30"))
    stale = ScheduledJob.objects.get(name=only_tick)
    enqueue_due(at("2026-03-01T10:01:05"))  # another node takes the run
    won = ScheduledJob.objects.filter(pk=stale.pk, next_run_at=stale.next_run_at).update(
        next_run_at=at("2026-03-01T10:02:00")
    )
    assert won == 0


def test_missed_periods_make_one_run(only_tick: str) -> None:
    enqueue_due(at("2026-03-01T10:00:30"))
    assert enqueue_due(at("2026-03-01T13:00:10")) == [only_tick]  # three hours away
    assert DBTaskResult.objects.filter(task_path=only_tick).count() == 1
    assert ScheduledJob.objects.get(name=only_tick).next_run_at == at("2026-03-01T13:01:00")
