"""Periodic jobs declared in code: each app says in its `tasks.py` which of its tasks run how
often; the worker (`pracha.jobs.worker`) enqueues each due run, once across every node.

    @every(hours=24, offset=timedelta(hours=1))   # daily at 01:00 UTC
    @task()
    def purge_expired() -> int: ...

Runs fall on fixed boundaries (the epoch plus `offset` plus a whole number of periods, in UTC)
so every node computes the same next run. A worker wins a run by moving the job's row on
(pracha.jobs.models.ScheduledJob) in the transaction that enqueues it; a run missed while no
worker was up is run once when one starts, not once per missed period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from pracha.jobs.models import ScheduledJob

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task[[], Any]
    period: timedelta
    offset: timedelta = timedelta(0)

    def next_after(self, moment: datetime) -> datetime:
        """The first run strictly after `moment`."""
        since = (moment - EPOCH - self.offset) // self.period
        return EPOCH + self.offset + (since + 1) * self.period


REGISTRY: dict[str, Periodic] = {}


def every(
    *, seconds: float = 0, minutes: float = 0, hours: float = 0, offset: timedelta | None = None
) -> Callable[[Task[[], Any]], Task[[], Any]]:
    """Declare a task (one taking no arguments) periodic; named by its module path."""
    period = timedelta(seconds=seconds, minutes=minutes, hours=hours)
    if period <= timedelta(0):
        raise ValueError("a period must be positive")

    def declare(task: Task[[], Any]) -> Task[[], Any]:
        job = Periodic(task.module_path, task, period, offset or timedelta(0))
        REGISTRY[job.name] = job
        return task

    return declare


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job whose run is due and that no other worker has taken;
    returns their names."""
    now = now or timezone.now()
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=list(REGISTRY))}
    missing = [name for name in REGISTRY if name not in rows]
    if missing:  # a new job (or a new database): its first run is its next boundary
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=n, next_run_at=REGISTRY[n].next_after(now)) for n in missing],
            ignore_conflicts=True,  # another worker created it meanwhile
        )
        rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=list(REGISTRY))}
    enqueued = []
    for name, row in sorted(rows.items()):
        if row.next_run_at > now:
            continue
        job = REGISTRY[name]
        with transaction.atomic():
            won = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=job.next_after(now), last_enqueued_at=now
            )
            if won:
                # Due from the boundary it won (each is won once): a late or stalled worker's
                # run still says which period it is, whenever it was enqueued.
                job.task.using(run_after=row.next_run_at).enqueue()
                enqueued.append(name)
    return enqueued
