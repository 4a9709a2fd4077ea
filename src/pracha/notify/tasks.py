"""Notify's background work on the task queue (pracha.jobs): draining the outbox of every
channel, forgetting old sent rows, and the officers' daily digest.

The outbox keeps its own claim, lease and backoff per row (pracha.notify.outbox), so any
number of workers may drain it at once: each row is sent by the one that claimed it.
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks.base import task

from pracha.jobs.retry import Backoff, with_retries
from pracha.jobs.schedule import every
from pracha.notify import digest, worker

# Passes one drain may make while channels stay busy, before it leaves the rest to the next.
MAX_PASSES = 20


@every(seconds=2)
@task()
def drain_outbox() -> int:
    """Send every channel's due rows (webhooks, e-mail, and any channel in worker.SENDERS);
    how many passes it made."""
    passes = 1
    while worker.one_pass(worker.ALL) and passes < MAX_PASSES:
        passes += 1
    return passes


@every(hours=1)
@task()
def prune_sent() -> int:
    return worker.prune_sent(worker.ALL)


# 00:00 UTC is 07:00 in Bangkok: the digest is there when the office opens.
@every(hours=24, offset=timedelta(0))
@task()
@with_retries(Backoff(first_seconds=300, max_attempts=5))
def send_digests() -> int:
    return sum(1 for result in digest.send_digests() if result.sent)
