"""System checks of the web app: reporters' e-mail that nothing is sending."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone

from pracha.web.models import PendingReporterMail

# Far past any batch window: mail this old means no loop and no cron job is sending it.
STALLED_AFTER = timedelta(minutes=30)


def reporter_mail_stalled(**kwargs: Any) -> list[checks.CheckMessage]:
    if settings.PRACHA.notify_batch_seconds <= 0:
        return []  # each event is sent at commit
    try:
        oldest = PendingReporterMail.objects.aggregate(first=Min("at"))["first"]
    except DatabaseError:
        return []  # no database or not migrated yet: other checks and commands say so
    if oldest is None or oldest > timezone.now() - STALLED_AFTER:
        return []
    return [
        checks.Warning(
            f"reporters' e-mail has been waiting since {oldest:%Y-%m-%d %H:%M}: nothing sends it",
            hint="run `pracha serve` (PRACHA_MAIL_IN_SERVE on), `pracha send-reporter-mail "
            "--loop`, or `pracha send-reporter-mail` from cron every minute",
            id="web.W001",
        )
    ]
