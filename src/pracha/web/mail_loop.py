"""The reporters' e-mail loop: send the batches that are due, pause, repeat; stop when told to.

Its own process beside `pracha serve` (PRACHA_MAIL_IN_SERVE), apart from webhook deliveries,
so a slow mail server delays only e-mail. The outbox rows are claimed with a lease, so this
loop, `pracha send-reporter-mail` from cron and a sender killed mid-send never send twice.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from pracha.background import Stopper, pause, start_beside_server
from pracha.web.notify import send_due_reporter_mail

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 5.0
WARN_EVERY_SECONDS = 60


def run(
    stopper: Stopper,
    *,
    interval: float = INTERVAL_SECONDS,
    report: Callable[[str], None] | None = None,
) -> None:
    last_warning = -1e9
    while not stopper.stop:
        try:
            sent = send_due_reporter_mail()
            if sent and report:
                report(f"reporter e-mails: {sent} sent")
        except DatabaseError as exc:
            # The database restarting, or not migrated yet: say so once a minute, keep going.
            if time.monotonic() - last_warning > WARN_EVERY_SECONDS:
                log.warning("reporter e-mail paused, the database is not available: %s", exc)
                last_warning = time.monotonic()
        close_old_connections()
        pause(stopper, interval)


def start_for_server() -> subprocess.Popen[bytes] | None:
    """Start `pracha send-reporter-mail --loop` beside the web server (PRACHA_MAIL_IN_SERVE=0
    to run it another way). It exits when this process (the server, after exec) does."""
    if not settings.PRACHA.mail_in_serve:
        return None
    return start_beside_server("send-reporter-mail", "--loop")
