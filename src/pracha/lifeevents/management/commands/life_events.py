"""`pracha life-events remind [--day YYYY-MM-DD]`: reminders of steps coming due and overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.lifeevents.services.reminders import do_send_reminders


class Command(BaseCommand):
    help = (
        "Life-event journeys: remind citizens of steps coming due and overdue. The task "
        "queue runs it daily; each step hears each stage once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--day", help="as if today were this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            day = date.fromisoformat(opts["day"]) if opts["day"] else None
        except ValueError as exc:
            raise CommandError(f"--day {opts['day']!r} is not a date (YYYY-MM-DD)") from exc
        sent = do_send_reminders(day)
        for due in sent:
            self.stdout.write(f"journey {due.step.journey_id} {due.step.code}: {due.stage}")
        self.stdout.write(f"reminders: {len(sent)}")
