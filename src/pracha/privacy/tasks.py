"""The retention purge on the task queue (pracha.jobs): reporters' contact data of cases
closed longer ago than PRACHA_CONTACT_RETENTION_DAYS, deleted once a day."""

from __future__ import annotations

from datetime import timedelta

from django_tasks.base import task

from pracha.jobs.retry import Backoff, with_retries
from pracha.jobs.schedule import every
from pracha.privacy.services import purge_expired_contacts


# 20:00 UTC is 03:00 in Bangkok, the quietest hour.
@every(hours=24, offset=timedelta(hours=20))
@task()
@with_retries(Backoff(first_seconds=600, max_attempts=5))
def purge_expired() -> int:
    deleted, _cutoff = purge_expired_contacts()
    return deleted
