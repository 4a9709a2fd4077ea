"""`pracha send-reporter-mail [--loop]`: the reporters' batched e-mails that are due.

`pracha serve` runs `--loop` beside the web server; installations that run the web server
another way run that loop themselves, or one pass from cron every minute.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pracha.background import run_until_stopped
from pracha.web.mail_loop import INTERVAL_SECONDS, run
from pracha.web.models import PendingReporterMail
from pracha.web.notify import send_due_reporter_mail


class Command(BaseCommand):
    help = (
        "E-mail reporters the batches of news that are due: one pass, or --loop. "
        "One pass suits cron (every minute); the loop stops on SIGTERM (`pracha serve` runs it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep sending until stopped")
        parser.add_argument(
            "--interval", type=float, default=INTERVAL_SECONDS, help="seconds between passes"
        )
        parser.add_argument("--parent-pid", type=int, help="exit when this process is gone")

    def handle(
        self, *args: Any, loop: bool, interval: float, parent_pid: int | None, **options: Any
    ) -> None:
        if not loop:
            sent = send_due_reporter_mail()
            waiting = PendingReporterMail.objects.count()
            self.stdout.write(f"{sent} e-mail(s) sent; {waiting} event(s) waiting for their batch.")
            return
        run_until_stopped(
            self.stdout,
            lambda stopper: run(stopper, interval=interval, report=self.stdout.write),
            interval=interval,
            parent_pid=parent_pid,
            started="Sending reporters' e-mail",
            stopped="Reporter e-mail stopped.",
        )
