"""The `pracha` command in a subprocess, as a person runs it: the one runner of the suite.

A subprocess uses pracha.settings (what `pracha` sets), never the test run's tests.settings,
and sees none of the test run's own DJANGO_*, PRACHA_* or DATABASE_URL: a test says what its
`pracha` gets, usually `pracha_env(tmp_path)` (a fresh SQLite database and var/ directory).
"""

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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pracha.config import parse_database_url

ROOT = Path(__file__).resolve().parents[1]
PRACHA = (sys.executable, "-m", "pracha.cli")


# How long a test waits for `pracha serve` to answer. The port opens only once the master has
# loaded the app (--preload); on a loaded 2-core CI machine (three test workers, browsers, other
# servers) that once took more than 90 s. Waiting longer costs a passing run nothing.
SERVER_START_SECONDS = 300.0


def pracha_env(tmp_path: Path | None = None, **variables: str) -> dict[str, str]:
    """The caller's environment without the test run's settings, plus `variables`; with
    `tmp_path`, a database (tmp_path/pracha.sqlite3) and var/ directory of its own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PRACHA_")) and name != "DATABASE_URL"
    }
    if tmp_path is not None:
        env["PRACHA_VAR_DIR"] = str(tmp_path / "var")
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'pracha.sqlite3'}"
    env.update(variables)
    return env


def run_pracha(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 300,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`pracha ARGS...` to its end, its output captured as text. `env` defaults to
    `pracha_env()`; with `check`, a failure fails the test with the end of the output."""
    done = subprocess.run(
        [*PRACHA, *args],
        env=dict(pracha_env() if env is None else env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def start_pracha(
    *args: str, env: Mapping[str, str], cwd: Path | None = None, **popen: Any
) -> subprocess.Popen[Any]:
    """`pracha ARGS...` started and left running (`serve`, a worker): the caller stops it."""
    return subprocess.Popen([*PRACHA, *args], env=dict(env), cwd=cwd, **popen)


def start_server(
    env: Mapping[str, str], cwd: Path | None = None
) -> tuple[subprocess.Popen[str], int]:
    """`pracha serve` with one worker on a free port, its output piped: (process, port)."""
    port = free_port()
    server = start_pracha(
        "serve",
        "--port",
        str(port),
        "--workers",
        "1",
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return server, port


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """A production-like server: DEBUG off, a fixed secret (citizen tokens survive restarts),
    no intake limits (the clients of a crash test file many reports from one address)."""
    return pracha_env(
        DATABASE_URL=database_url,
        PRACHA_VAR_DIR=str(var_dir),
        SECRET_KEY="kill-nine-" + "k" * 50,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PRACHA_RATE_REPORTS_PER_IP="off",
        PRACHA_RATE_REPORTS_PER_KEY="off",
        PYTHONUNBUFFERED="1",
    )


class Server:
    """The real server (`pracha serve`, gunicorn) in its own process group, for crash tests."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.env, self.log, self.workers = env, log, workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = SERVER_START_SECONDS) -> None:
        with self.log.open("ab") as out:
            self.process = start_pracha(
                *("serve", "--port", str(self.port), "--host", "127.0.0.1"),
                *("--workers", str(self.workers)),
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


# --- PostgreSQL databases of their own, for `pracha` runs when DATABASE_URL is PostgreSQL ----


def postgres_url() -> str | None:
    """The test run's DATABASE_URL when it is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


def pg_connect_args(db: dict[str, Any], dbname: str | None = None) -> dict[str, Any]:
    """psycopg.connect() arguments for a parsed DATABASE_URL (or another database there)."""
    args = {"dbname": dbname or db["NAME"], "user": db["USER"], "password": db["PASSWORD"]}
    if db["HOST"]:
        args["host"] = db["HOST"]
    if db["PORT"]:
        args["port"] = db["PORT"]
    return args


def fresh_postgres_database(base_url: str, suffix: str) -> str:
    """A new, empty database named after DATABASE_URL's, `suffix` and the xdist worker (gw0,
    gw1...), so parallel workers, and the test databases pytest-django makes, never share it."""
    import psycopg

    db = parse_database_url(base_url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{db['NAME']}_{suffix}" + (f"_{worker}" if worker else "")
    with psycopg.connect(**pg_connect_args(db, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    import psycopg

    db = parse_database_url(url)
    with psycopg.connect(**pg_connect_args(db, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def wait_for(predicate: Callable[[], bool], seconds: float = 30) -> bool:
    """Poll `predicate` every 0.2 s until it holds or `seconds` pass; its last answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()
