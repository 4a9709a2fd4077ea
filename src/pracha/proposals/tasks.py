"""Proposals' deadlines on the task queue (pracha.jobs): every hour, proposals whose window
closed below the threshold expire, and answers past their due date are escalated to the
agency's supervisors (each at most once a day, which do_escalate_overdue keeps)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks.base import task

from pracha.jobs.retry import Backoff, with_retries
from pracha.jobs.schedule import every
from pracha.proposals.services.schedule import do_escalate_overdue, do_expire_proposals


@every(hours=1)
@task()
@with_retries(Backoff(first_seconds=300, max_attempts=5))
def tick() -> int:
    """Proposals expired and answers escalated, together."""
    now = timezone.now()
    return len(do_expire_proposals(now)) + len(do_escalate_overdue(now))
