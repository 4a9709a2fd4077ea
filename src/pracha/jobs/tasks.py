"""The queue's own upkeep: finished task results are forgotten after a while, and a task
whose worker died mid-run (kill -9, a lost node) is marked failed instead of running for ever.
A periodic job runs again at its next period anyway; the work a dead drain left (outbox rows)
is taken again after its lease."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks.base import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from pracha.jobs.schedule import every

KEEP_SUCCESSFUL = timedelta(days=1)
KEEP_FAILED = timedelta(days=14)  # long enough for someone to read the traceback
# Every task here takes seconds or minutes; one still "running" after this has lost its worker.
ABANDONED_AFTER = timedelta(hours=6)
ABANDONED = "pracha.jobs.tasks.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task stopped without recording how it ended."""


def fail_abandoned(now: datetime) -> int:
    """Mark tasks running since before ABANDONED_AFTER as failed; how many."""
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - ABANDONED_AFTER)
        .update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=ABANDONED,
            traceback="the worker running this task stopped without recording its end",
        )
    )


@every(hours=1)
@task()
def prune_results() -> int:
    """Delete finished results older than their keep; how many."""
    now = timezone.now()
    fail_abandoned(now)
    done = DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL)
    failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED)
    return done.delete()[0] + failed.delete()[0]
