"""What the loops beside `pracha serve` share: a stop flag, a pause that wakes on it, and
starting a `pracha` command as the server's companion.

Webhook deliveries (pracha.open311) and reporters' e-mail (pracha.web) each run their own
loop on this, so neither app imports the other and a hanging mail server never holds up a
webhook (nor the other way round).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

PAUSE_STEP = 0.1


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


def start_beside_server(*command: str) -> subprocess.Popen[bytes]:
    """Run `pracha COMMAND ... --parent-pid <this process>`: it exits with the server (this
    process, after `pracha serve` execs gunicorn)."""
    argv = [sys.executable, "-m", "pracha.cli", *command, "--parent-pid", str(os.getpid())]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL)
