"""Life-event reminders on the task queue (pracha.jobs): once a day, citizens hear of the steps
coming due and overdue. do_send_reminders keeps one message per step and stage, so a run
repeated after a crash sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django_tasks.base import task

from pracha.jobs.retry import Backoff, with_retries
from pracha.jobs.schedule import every
from pracha.lifeevents.services.reminders import do_send_reminders


# 01:00 UTC is 08:00 in Bangkok: a reminder arrives in the morning, not at night.
@every(hours=24, offset=timedelta(hours=1))
@task()
@with_retries(Backoff(first_seconds=600, max_attempts=5))
def remind() -> int:
    return len(do_send_reminders())
