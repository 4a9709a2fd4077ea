"""The reporters' e-mail loop: send the batches that are due, pause, repeat; stop when told to.

Its own process beside `pracha serve` (PRACHA_MAIL_IN_SERVE), apart from webhook deliveries,
so a slow mail server delays only e-mail. The outbox rows are claimed with a lease, so this
loop, `pracha send-reporter-mail` from cron and a sender killed mid-send never send twice.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable

from django.conf import settings

from pracha.background import Stopper, run_loop, start_beside_server
from pracha.web.notify import send_due_reporter_mail

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 5.0


def run(
    stopper: Stopper,
    *,
    interval: float = INTERVAL_SECONDS,
    report: Callable[[str], None] | None = None,
) -> None:
    def one_pass() -> bool:
        sent = send_due_reporter_mail()
        if sent and report:
            report(f"reporter e-mails: {sent} sent")
        return False

    run_loop(stopper, one_pass, interval=interval, what="reporter e-mail", log=log)


def start_for_server() -> subprocess.Popen[bytes] | None:
    """Start `pracha send-reporter-mail --loop` beside the web server (PRACHA_MAIL_IN_SERVE=0
    to run it another way). It exits when this process (the server, after exec) does."""
    if not settings.PRACHA.mail_in_serve:
        return None
    return start_beside_server("send-reporter-mail", "--loop")
