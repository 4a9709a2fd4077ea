"""`pracha send-digests`: e-mail each officer who chose the daily digest their new cases.

Run it once a day (cron, a systemd timer). Each officer's digest covers the cases that
arrived since their previous digest, so running it late or twice loses or repeats nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pracha.notify.digest import send_digests


class Command(BaseCommand):
    help = "E-mail the daily digest of new cases to officers who chose it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="show who would get what; send nothing"
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        results = send_digests(dry_run=dry_run)
        if not results:
            self.stdout.write("No officer has chosen the daily digest.")
            return
        for r in results:
            if r.sent:
                outcome = "sent"
            elif not r.email:
                outcome = "not sent: the officer has no e-mail address"
            elif not r.cases:
                outcome = "nothing new"
            else:
                outcome = "would be sent (dry run)"
            self.stdout.write(f"{r.officer:<20} {r.cases:>5} new cases  {outcome}")
        sent = sum(r.sent for r in results)
        self.stdout.write(f"{sent} digest(s) sent.")
