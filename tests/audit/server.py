"""Run the real server (`pracha serve`, gunicorn) in its own process group, for crash tests."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRACHA_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        PRACHA_VAR_DIR=str(var_dir),
        SECRET_KEY="kill-nine-" + "k" * 50,  # fixed: citizen tokens survive restarts
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PRACHA_RATE_REPORTS_PER_IP="off",
        PRACHA_RATE_REPORTS_PER_KEY="off",
        PYTHONUNBUFFERED="1",
    )
    return env


def pracha(env: dict[str, str], *args: str, timeout: float = 300) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pracha.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


class Server:
    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.env, self.log, self.workers = env, log, workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "pracha.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--host",
                    "127.0.0.1",
                    "--workers",
                    str(self.workers),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill master and workers
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log}")
            try:
                if self.request("GET", "/api/v1/states")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout} s; see {self.log}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the whole process group (gunicorn's master and its workers) at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)
        self.process = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 15,
    ) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            payload = None if body is None else json.dumps(body).encode()
            connection.request(
                method, path, payload, {"Content-Type": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            raw = response.read()
            try:
                return response.status, json.loads(raw)
            except ValueError:
                return response.status, raw
        finally:
            connection.close()
