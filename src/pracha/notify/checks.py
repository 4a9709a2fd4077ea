"""System checks of notifications: reporters' e-mail that nothing is sending."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone

from pracha.notify.email import mail_rows
from pracha.notify.models import MailType

# Far past any batch window: mail this old means no loop and no cron job is sending it.
STALLED_AFTER = timedelta(minutes=30)


def reporter_mail_stalled(**kwargs: Any) -> list[checks.CheckMessage]:
    if settings.PRACHA.notify_batch_seconds <= 0:
        return []  # each event is sent at commit
    try:
        waiting = mail_rows(MailType.REPORTER).pending()
        oldest = waiting.aggregate(first=Min("occurred_at"))["first"]
    except DatabaseError:
        return []  # no database or not migrated yet: other checks and commands say so
    if oldest is None or oldest > timezone.now() - STALLED_AFTER:
        return []
    return [
        checks.Warning(
            f"reporters' e-mail has been waiting since {oldest:%Y-%m-%d %H:%M}: nothing sends it",
            hint="run `pracha worker` on some node, or `pracha serve` with its worker "
            "(PRACHA_WORKER_IN_SERVE on)",
            # The id it had in pracha.web, so SILENCED_SYSTEM_CHECKS keeps working.
            id="web.W001",
        )
    ]
