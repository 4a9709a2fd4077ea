"""`pracha proposals tick`: the daily work of proposals (expire, escalate overdue answers)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from pracha.proposals.services.schedule import do_escalate_overdue, do_expire_proposals


class Command(BaseCommand):
    help = (
        "Citizens' proposals: tick. tick: expire the proposals whose window closed below "
        "the threshold, and escalate answers past their due date to the agency's "
        "supervisors (once a day each). The task queue runs it hourly (pracha worker, or the "
        "one pracha serve starts); safe to run again by hand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["tick"])

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        now = timezone.now()
        expired = do_expire_proposals(now)
        escalated = do_escalate_overdue(now)
        self.stdout.write(
            f"{len(expired)} proposal(s) expired, {len(escalated)} overdue answer(s) escalated"
        )
