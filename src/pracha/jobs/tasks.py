"""The queue's own upkeep: finished task results are forgotten after a while."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks.base import task
from django_tasks_db.models import DBTaskResult

from pracha.jobs.schedule import every

KEEP_SUCCESSFUL = timedelta(days=1)
KEEP_FAILED = timedelta(days=14)  # long enough for someone to read the traceback


@every(hours=1)
@task()
def prune_results() -> int:
    """Delete finished results older than their keep; how many."""
    now = timezone.now()
    done = DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL)
    failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED)
    return done.delete()[0] + failed.delete()[0]
