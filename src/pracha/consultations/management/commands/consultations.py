"""`pracha consultations close-due|list`: store the close of consultations past their date
(`pracha serve`'s notification loop does it too), and list them with their turnout."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pracha.consultations.services.closing import close_due
from pracha.consultations.services.results import turnout_by_consultation


class Command(BaseCommand):
    help = (
        "Consultations: close-due | list. close-due: store the close of every consultation "
        "whose closing date has passed (results public, respondents who asked are e-mailed; "
        "the notification loop beside `pracha serve` does this too; cron it without one). "
        "list: every published consultation with its state and responses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["close-due", "list"])

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "close-due":
            self.stdout.write(f"closed {close_due()} consultation(s)")
            return
        for row in turnout_by_consultation():
            self.stdout.write(f"{row['ref']}\t{row['agency']}\t{row['state']}\t{row['responses']}")
