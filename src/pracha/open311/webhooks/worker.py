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

from pracha.background import Stopper, run_loop, start_beside_server
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

    def one_pass() -> bool:
        nonlocal last_prune
        result = deliver_due(BATCH)
        if result.attempted and report:
            report(f"webhooks: {result.delivered} delivered, {result.failed} to retry")
        if time.monotonic() - last_prune > PRUNE_EVERY_SECONDS:
            prune_delivered()
            last_prune = time.monotonic()
        return result.attempted >= BATCH  # more may be due: no pause

    run_loop(stopper, one_pass, interval=interval, what="webhook delivery", log=log)


def start_for_server() -> subprocess.Popen[bytes] | None:
    """Start `pracha webhooks deliver` beside the web server (PRACHA_WEBHOOKS_IN_SERVE=0 to
    run it separately). It exits when this process (the server, after exec) does."""
    if not settings.PRACHA.webhooks_in_serve:
        return None
    return start_beside_server("webhooks", "deliver")
