"""Several machines on one PostgreSQL behave as one system: two `pracha serve` processes and
two `pracha worker`s under concurrent load lose and double no report, never give two reports
one ticket id, keep an Idempotency-Key across servers, share the report limits, deliver each
webhook event once, and run each periodic job once per period."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pracha.config import parse_database_url
from tests.cli import (
    ROOT,
    Server,
    drop_postgres_database,
    fresh_postgres_database,
    pg_connect_args,
    postgres_url,
    run_pracha,
    server_env,
    start_pracha,
    wait_for,
)
from tests.notify.receiver import Receiver

pytestmark = pytest.mark.slow

# The test run's PostgreSQL if it uses one, else this helper's own database on this machine.
FALLBACK = "postgresql://postgres@127.0.0.1:5432/pracha_multi"
DRAIN = "pracha.notify.tasks.drain_outbox"
DRAIN_PERIOD = timedelta(seconds=2)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def database() -> Iterator[str]:
    try:
        url = fresh_postgres_database(postgres_url() or FALLBACK, "machines")
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL to run several servers on: {exc}")
    yield url
    drop_postgres_database(url)


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(**pg_connect_args(parse_database_url(url))) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def report(n: int) -> dict[str, Any]:
    return {"description": f"ไฟถนนดับทั้งซอย {n}", "lat": 13.75 + n / 10000, "lon": 100.5}


class Cluster:
    """Servers and workers on one database, each in its own process group."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.servers: list[Server] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    def start(self, servers: int, workers: int) -> None:
        for n in range(servers):
            server = Server(self.env, self.logs / f"server{n}.log", workers=2)
            server.start()
            self.servers.append(server)
        for n in range(workers):
            with (self.logs / f"worker{n}.log").open("ab") as out:
                self.workers.append(
                    start_pracha(
                        "worker", env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
                    )
                )

    def stop(self) -> None:
        for server in self.servers:
            server.kill()
        for worker in self.workers:
            worker.terminate()
            worker.wait(timeout=30)


@pytest.fixture
def cluster(database: str, tmp_path: Path) -> Iterator[Callable[..., Cluster]]:
    made: list[Cluster] = []

    def make(**variables: str) -> Cluster:
        env = server_env(database, tmp_path / "var")
        env.update(PRACHA_WORKER_IN_SERVE="0", PRACHA_TRIAGE_ON_INTAKE="0", **variables)
        run_pracha("migrate", "-v", "0", env=env, cwd=ROOT, check=True)
        made.append(Cluster(env, tmp_path))
        return made[-1]

    yield make
    for one in made:
        one.stop()


def test_two_servers_and_two_workers_behave_as_one(
    cluster: Callable[..., Cluster], database: str
) -> None:
    receiver = Receiver().start()
    machines = cluster()
    added = run_pracha(
        *("webhook", "add", receiver.url, "--events", "case.created"),
        env=machines.env,
        cwd=ROOT,
        check=True,
    )
    receiver.secret = added.stdout.strip().splitlines()[-1]
    machines.start(servers=2, workers=2)
    a, b = machines.servers

    def post(job: tuple[Server, dict[str, Any], str | None]) -> tuple[int, Any]:
        server, body, key = job
        headers = {"Idempotency-Key": key} if key else {}
        return server.request("POST", "/api/v1/cases", body, headers, timeout=60)

    plain = [(machines.servers[n % 2], report(n), None) for n in range(80)]
    # The same request, with the same key, sent to both servers at once: one case.
    twice = [(s, report(1000 + n), f"retry-{n}") for n in range(20) for s in (a, b)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, plain + twice))
    try:
        assert all(status in {200, 201} for status, _ in answers), answers
        tickets = [body["ticket_id"] for _, body in answers]
        assert len(set(tickets[:80])) == 80  # ids never collide
        retried = tickets[80:]
        assert all(retried[n] == retried[n + 1] for n in range(0, 40, 2))  # key held
        assert len(set(retried)) == 20
        assert a.request("GET", "/api/v1/cases?limit=1")[1]["count"] == 100  # none lost
        assert b.request("GET", "/api/v1/cases?limit=1")[1]["count"] == 100  # nor doubled

        # Each webhook event is received once, with both workers draining the outbox.
        assert wait_for(lambda: len({g.event_id for g in receiver.received}) == 100, 90)
        time.sleep(3)  # time for a double delivery to show
        per_event = Counter(g.event_id for g in receiver.received)
        assert set(per_event.values()) == {1}
        assert all(g.signature_ok for g in receiver.received)
        assert {g.json["ticket_id"] for g in receiver.received} == set(tickets)

        # The periodic drain ran once per period, across both workers (waited for: a quick
        # run of the load above leaves only a few periods behind it). A run is due from the
        # boundary it was enqueued for; a stalled worker may enqueue it in the next period.
        def drain_runs() -> list[tuple[Any, ...]]:
            return query(
                database,
                "SELECT run_after, worker_ids FROM django_tasks_database_dbtaskresult "
                f"WHERE task_path = '{DRAIN}'",
            )

        def both_took_runs() -> bool:
            runs = drain_runs()
            return len(runs) > 3 and len({ids[0] for _, ids in runs if ids}) == 2

        assert wait_for(both_took_runs, 90)
        boundaries = [due for due, _ in drain_runs()]
        assert all((due - EPOCH) % DRAIN_PERIOD == timedelta(0) for due in boundaries)
        assert max(Counter(boundaries).values()) == 1
    finally:
        receiver.stop()


def test_report_limits_hold_across_servers(cluster: Callable[..., Cluster]) -> None:
    machines = cluster(PRACHA_RATE_REPORTS_PER_IP="6/h")
    machines.start(servers=2, workers=0)
    statuses = [
        machines.servers[n % 2].request("POST", "/api/v1/cases", report(n))[0] for n in range(10)
    ]
    assert statuses.count(201) == 6
    assert statuses[6:] == [429] * 4
