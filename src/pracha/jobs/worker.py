"""The worker: each pass enqueues the periodic jobs that are due, then runs the ready tasks
(django-tasks-db's worker takes each with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, an
exclusive transaction on SQLite, so two workers never run one task). Any number of workers run
on any number of nodes (`pracha worker`); `pracha serve` starts one beside the web server.

SIGTERM ends the worker after the task in hand. A task cut short by a hard kill stays marked
running; the work it did not finish is taken again by a later run (the outbox's rows have
their own lease, pracha.notify.outbox).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Worker

from pracha.background import Stopper, run_loop, start_beside_server
from pracha.jobs.schedule import enqueue_due

log = logging.getLogger(__name__)

BATCH = 50  # tasks per pass before the schedule is looked at again
INTERVAL_SECONDS = 0.5


def worker_id() -> str:
    """Names this worker in each task result it runs: host and process."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def run_ready(limit: int = BATCH) -> int:
    """Run ready tasks until none is left or `limit` have run; how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=limit,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks


def one_pass() -> bool:
    """Enqueue what the schedule says is due, run what is ready; True if more may be."""
    enqueue_due()
    return run_ready() >= BATCH


def run(stopper: Stopper, *, interval: float = INTERVAL_SECONDS) -> None:
    run_loop(stopper, one_pass, interval=interval, what="the background worker", log=log)


def start_for_server() -> subprocess.Popen[bytes] | None:
    """Start `pracha worker` beside the web server (PRACHA_WORKER_IN_SERVE, on by default, so
    one machine needs nothing more); it exits when this process (the server, after exec)
    does. None when switched off: the node's workers are run on their own."""
    if not settings.PRACHA.worker_in_serve:
        return None
    return start_beside_server("worker")
