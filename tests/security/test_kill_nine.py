"""Nothing acknowledged is lost: the real server is killed with SIGKILL again and again while
clients file reports with Idempotency-Keys and retry; afterwards every ticket answered with
201 exists, and no key made two cases. SQLite always; PostgreSQL when DATABASE_URL is one."""

from __future__ import annotations

import http.client
import random
import sqlite3
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from pracha.config import parse_database_url
from tests.cli import (
    Server,
    drop_postgres_database,
    fresh_postgres_database,
    pg_connect_args,
    postgres_url,
    run_pracha,
    server_env,
)

ROUNDS = 6
CLIENTS = 4
GIVE_UP_AFTER = 120.0  # seconds one report may keep being retried


class Reporters:
    """Client threads: each files reports one after another, retrying each until a 201."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers: dict[str, list[str]] = defaultdict(list)  # key -> tickets of each 201
        self.failures: list[str] = []
        self.retries = 0
        self.threads = [
            threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(CLIENTS)
        ]

    def run(self, number: int) -> None:
        try:
            self.file_reports(number)
        except Exception as exc:  # a client that dies must fail the test, not vanish
            self.failures.append(f"client {number} crashed: {exc!r}")

    def file_reports(self, number: int) -> None:
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            key = f"kill9-{number}-{sequence}"
            body = {"description": f"ไฟดับ รายงาน {key}", "lat": 13.7563, "lon": 100.5018}
            deadline = time.monotonic() + GIVE_UP_AFTER
            while True:
                try:
                    status, answer = self.server.request(
                        "POST", "/api/v1/cases", body, {"Idempotency-Key": key}
                    )
                except (OSError, http.client.HTTPException):
                    # Refused, reset, timed out, cut off mid-answer: the server is down.
                    status, answer = 0, None
                if status == 201 and not isinstance(answer, dict):
                    status = 0  # an answer cut short by the kill: as good as none
                if status == 201:
                    with self.lock:
                        self.answers[key].append(answer["ticket_id"])
                    # Now and then retry an acknowledged key: it must give the same ticket.
                    if sequence % 7 == 0 and len(self.answers[key]) < 2:
                        continue
                    break
                if status and status < 500:
                    self.failures.append(f"{key}: {status} {str(answer)[:200]}")
                    return
                if time.monotonic() > deadline:
                    last = f"last answer {status} {str(answer)[:300]}" if status else "no answer"
                    self.failures.append(f"{key}: no 201 within {GIVE_UP_AFTER} s ({last})")
                    return
                with self.lock:
                    self.retries += 1
                time.sleep(0.05)

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.answers)


def stored_cases(database_url: str) -> list[tuple[str, str]]:
    """(idempotency key, ticket id) of every case, read straight from the database."""
    db = parse_database_url(database_url)
    sql = "SELECT idempotency_key, ticket_id FROM cases_case WHERE idempotency_key LIKE 'kill9-%'"
    if "sqlite" in db["ENGINE"]:
        with sqlite3.connect(str(db["NAME"])) as conn:
            return list(conn.execute(sql))
    import psycopg

    with psycopg.connect(**pg_connect_args(db)) as conn:
        return list(conn.execute(sql))


def backends() -> list[Any]:
    postgres = postgres_url() is not None
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not postgres, reason="DATABASE_URL is not PostgreSQL"),
        ),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_acknowledged_reports_survive_kill_9(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'pracha.sqlite3'}"
    else:
        url = fresh_postgres_database(postgres_url() or "", "kill9")
    env = server_env(url, tmp_path / "var")
    server = Server(env, tmp_path / "server.log")
    rng = random.Random(9)
    try:
        run_pracha("migrate", "--noinput", env=env, check=True)
        server.start()
        clients = Reporters(server)
        for thread in clients.threads:
            thread.start()
        acked_per_round = []
        for _round in range(ROUNDS):
            before = clients.acknowledged()
            # Let reports flow (at least one acknowledged since the restart, however slow the
            # machine), then crash mid-stream.
            deadline = time.monotonic() + 60
            while clients.acknowledged() == before and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.2, 1.0))
            server.kill()
            acked_per_round.append(clients.acknowledged() - before)
            time.sleep(rng.uniform(0.0, 0.3))
            server.start()
        time.sleep(1.0)
        clients.stop.set()
        for thread in clients.threads:
            thread.join(timeout=GIVE_UP_AFTER + 30)
        assert not any(t.is_alive() for t in clients.threads), "a client is still retrying"

        assert clients.failures == [], server.log.read_text(errors="replace")[-3000:]
        answers = dict(clients.answers)
        lost = [
            tickets[0]
            for tickets in answers.values()
            if server.request("GET", f"/api/v1/cases/{tickets[0]}")[0] != 200
        ]
        server.kill()  # a last crash, then look at the database itself
        stored = stored_cases(url)
        by_key: dict[str, list[str]] = defaultdict(list)
        for key, ticket in stored:
            by_key[key].append(ticket)
        duplicates = {k: v for k, v in by_key.items() if len(v) > 1}
        retried_differently = {k: v for k, v in answers.items() if len(set(v)) > 1}
        missing = {k: v[0] for k, v in answers.items() if by_key.get(k) != [v[0]]}
        print(
            f"\nkill -9 ({backend}): {ROUNDS} rounds, {len(answers)} reports acknowledged "
            f"({acked_per_round} between kills, {clients.retries} retries), lost: "
            f"{len(lost) + len(missing)}, duplicates: {len(duplicates)}"
        )
        assert all(n > 0 for n in acked_per_round), "a round saw no traffic; the test proves little"
        assert lost == [] and missing == {}
        assert duplicates == {} and retried_differently == {}
        # Nothing was stored that no client ever got an answer for, after its retries.
        assert set(by_key) == set(answers)
    finally:
        server.kill()
        if backend == "postgresql":
            drop_postgres_database(url)
