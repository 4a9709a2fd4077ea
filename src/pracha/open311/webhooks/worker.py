"""The delivery loop: send what is due, sleep a little, repeat; stop cleanly when told to.

SIGTERM and SIGINT end the loop after the delivery in hand (which is recorded), so nothing is
left half-done; a delivery interrupted by a hard kill is retried after its lease. Started by
`pracha serve`, it also stops when the server it belongs to is gone (`parent_pid`).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from pracha.open311.webhooks.delivery import deliver_due, prune_delivered
from pracha.web.notify import send_due_reporter_mail

log = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600
BATCH = 100


class Stopper:
    """Set by SIGTERM/SIGINT, or when the parent process has gone."""

    def __init__(self, parent_pid: int | None = None) -> None:
        self.requested = False
        self.parent_pid = parent_pid

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    @property
    def stop(self) -> bool:
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            self.requested = True  # orphaned: the server that started us has exited
        return self.requested


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
            # Reporters' batched e-mails ride the same loop (pracha.web.notify).
            mailed = send_due_reporter_mail()
            if mailed and report:
                report(f"reporter e-mails: {mailed} sent")
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
        waited = 0.0
        while waited < interval and not stopper.stop:
            time.sleep(0.1)
            waited += 0.1
        close_old_connections()


def start_for_server() -> subprocess.Popen[bytes] | None:
    """Start `pracha webhooks deliver` beside the web server (PRACHA_WEBHOOKS_IN_SERVE=0 to
    run it separately). It exits when this process (the server, after exec) does."""
    if not settings.PRACHA.webhooks_in_serve:
        return None
    command = [
        sys.executable,
        "-m",
        "pracha.cli",
        "webhooks",
        "deliver",
        "--parent-pid",
        str(os.getpid()),
    ]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL)
