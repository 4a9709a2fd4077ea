"""The delivery loop: send what is due, sleep a little, repeat; stop cleanly when told to.

SIGTERM and SIGINT end the loop after the delivery in hand (which is recorded), so nothing is
left half-done; a delivery interrupted by a hard kill is retried after its lease. Started by
`pracha serve`, it also stops when the server it belongs to is gone (`parent_pid`).
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from pracha.background import Stopper, pause, start_beside_server
from pracha.open311.webhooks.delivery import deliver_due, prune_delivered

log = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600
BATCH = 100


def run(
    stopper: Stopper,
    *,
    interval: float = 1.0,
    report: Callable[[str], None] | None = None,
) -> None:
    last_prune = -1e9
    last_warning = -1e9
    while not stopper.stop:
        busy = False
        try:
            result = deliver_due(BATCH)
            busy = result.attempted >= BATCH  # more may be due: no pause
            if result.attempted and report:
                report(f"webhooks: {result.delivered} delivered, {result.failed} to retry")
            if time.monotonic() - last_prune > PRUNE_EVERY_SECONDS:
                prune_delivered()
                last_prune = time.monotonic()
        except DatabaseError as exc:
            # The database restarting, or not migrated yet: keep the loop alive, say so once
            # a minute rather than every pass, and try again.
            if time.monotonic() - last_warning > 60:
                log.warning("webhook delivery paused, the database is not available: %s", exc)
                last_warning = time.monotonic()
            close_old_connections()
        if busy:
            continue
        pause(stopper, interval)
        close_old_connections()


def start_for_server() -> subprocess.Popen[bytes] | None:
    """Start `pracha webhooks deliver` beside the web server (PRACHA_WEBHOOKS_IN_SERVE=0 to
    run it separately). It exits when this process (the server, after exec) does."""
    if not settings.PRACHA.webhooks_in_serve:
        return None
    return start_beside_server("webhooks", "deliver")
