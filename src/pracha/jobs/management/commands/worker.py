"""`pracha worker`: run background jobs (webhooks, e-mail, digests, early warning, SLA scoring,
retention purges) from the database's task queue, on any node."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pracha.background import run_until_stopped
from pracha.jobs import worker
from pracha.jobs.schedule import enqueue_due


class Command(BaseCommand):
    help = (
        "Run the background jobs queued in the database until SIGTERM. Webhooks, e-mail, "
        "digests, early warning, SLA scoring and purges; run one on as many nodes as you like "
        "[--once] [--interval S]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=worker.INTERVAL_SECONDS)
        parser.add_argument("--parent-pid", type=int, default=None, help="exit with this process")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            enqueue_due()
            ran = 0
            while True:
                done = worker.run_ready()
                ran += done
                if done < worker.BATCH:
                    break
            self.stdout.write(f"{ran} task(s) run")
            return
        run_until_stopped(
            self.stdout,
            lambda stopper: worker.run(stopper, interval=interval),
            interval=interval,
            parent_pid=options["parent_pid"],
            started="The background worker is running",
            stopped="The background worker stopped.",
        )
