"""`pracha send-reporter-mail`: one pass of the reporters' batched e-mails.

`pracha serve` already sends them from its delivery loop; this is for installations that run
the web server another way (a cron job every minute is enough).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pracha.web.models import PendingReporterMail
from pracha.web.notify import send_due_reporter_mail


class Command(BaseCommand):
    help = "E-mail reporters the batches of news about their reports that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reporter_mail()
        waiting = PendingReporterMail.objects.count()
        self.stdout.write(f"{sent} e-mail(s) sent; {waiting} event(s) waiting for their batch.")
