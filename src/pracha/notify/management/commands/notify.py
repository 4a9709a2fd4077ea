"""`pracha notify [--once] [--channel webhook|email|line ...]`: the one loop that drains the outbox
for every channel; `pracha serve` runs it beside the web server.

`pracha webhooks deliver` and `pracha send-reporter-mail --loop` run the same loop for one
channel each.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pracha.background import run_until_stopped
from pracha.notify.worker import ALL, INTERVAL_SECONDS, one_pass, prune_sent, run

NAMES = {"webhook": "webhooks", "email": "e-mail", "line": "LINE"}


class Command(BaseCommand):
    help = (
        "Send what is due on every channel (webhooks, e-mail, LINE) in one loop. "
        "--once for one pass, --channel to choose."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--channel",
            action="append",
            choices=list(ALL),
            help="only this channel (repeat for several; default: all)",
        )
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval", type=float, default=INTERVAL_SECONDS, help="seconds between passes"
        )
        parser.add_argument("--parent-pid", type=int, help="exit when this process is gone")

    def handle(
        self,
        *args: Any,
        channel: list[str] | None,
        once: bool,
        interval: float,
        parent_pid: int | None,
        **options: Any,
    ) -> None:
        channels = [c for c in ALL if c in (channel or ALL)]
        if once:
            lines: list[str] = []
            one_pass(channels, lines.append)
            prune_sent(channels)
            self.stdout.write("\n".join(lines) if lines else "Nothing was due.")
            return
        names = " and ".join(NAMES.get(c, c) for c in channels)
        run_until_stopped(
            self.stdout,
            lambda stopper: run(
                stopper, channels=channels, interval=interval, report=self.stdout.write
            ),
            interval=interval,
            parent_pid=parent_pid,
            started=f"Delivering {names}",
            stopped=f"Delivery of {names} stopped.",
        )
