"""What the loops beside `pracha serve` share: a stop flag, a pause that wakes on it, and
starting a `pracha` command as the server's companion.

The notification worker (pracha.notify.worker: webhook deliveries and reporters' e-mail, one
loop for every channel) runs on this, beside the server or on its own.
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

from django.core.management.base import CommandError, OutputWrapper
from django.db import DatabaseError, close_old_connections

PAUSE_STEP = 0.1
WARN_EVERY_SECONDS = 60


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


def pause(stopper: Stopper, seconds: float) -> None:
    """Sleep up to `seconds`, waking early (in a tenth of a second) when told to stop."""
    waited = 0.0
    while waited < seconds and not stopper.stop:
        time.sleep(PAUSE_STEP)
        waited += PAUSE_STEP


def run_loop(
    stopper: Stopper,
    one_pass: Callable[[], bool],
    *,
    interval: float,
    what: str,
    log: logging.Logger,
) -> None:
    """Call `one_pass` until stopped, pausing `interval` seconds after each pass that says it
    is not busy (busy: more work is due at once). A database outage (restarting, not migrated
    yet) keeps the loop alive and is logged once a minute rather than every pass."""
    last_warning = -1e9
    while not stopper.stop:
        busy = False
        try:
            busy = one_pass()
        except DatabaseError as exc:
            if time.monotonic() - last_warning > WARN_EVERY_SECONDS:
                log.warning("%s paused, the database is not available: %s", what, exc)
                last_warning = time.monotonic()
            close_old_connections()
        if busy:
            continue
        pause(stopper, interval)
        close_old_connections()


def run_until_stopped(
    out: OutputWrapper,
    loop: Callable[[Stopper], None],
    *,
    interval: float,
    parent_pid: int | None,
    started: str,
    stopped: str,
) -> None:
    """A management command's `--loop`: check the interval, stop on SIGTERM/SIGINT or when
    the parent server is gone, and say when it starts and stops."""
    if interval <= 0:
        raise CommandError("--interval must be more than 0")
    stopper = Stopper(parent_pid)
    stopper.install()
    out.write(f"{started} (stop with Ctrl-C or SIGTERM).")
    out.flush()
    loop(stopper)
    out.write(stopped)


def start_beside_server(*command: str) -> subprocess.Popen[bytes]:
    """Run `pracha COMMAND ... --parent-pid <this process>`: it exits with the server (this
    process, after `pracha serve` execs gunicorn)."""
    argv = [sys.executable, "-m", "pracha.cli", *command, "--parent-pid", str(os.getpid())]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL)
