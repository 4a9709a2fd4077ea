"""DATABASE_REPLICA_URL: the heavy public reads go to a PostgreSQL streaming replica; writes,
sessions, counters and a browser's reads just after its own write stay on the primary.

The router and middleware are checked in-process; then a real hot standby, made with
pg_basebackup from a throwaway primary this test starts, serves `pracha serve`'s public lists
while its replay is paused (they lag), and catches up when resumed.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from pracha import replica
from pracha.cases.models import Case
from pracha.replica import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter
from tests.cli import ROOT, Server, free_port, run_pracha, server_env, wait_for

PG_BIN = Path("/usr/lib/postgresql/15/bin")


# --- the router and the middleware ---------------------------------------------------------


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if DATABASE_REPLICA_URL were set (no query runs in these tests)."""
    monkeypatch.setattr(replica, "configured", lambda: True)


def seen_by(path: str, method: str = "get", **extra: Any) -> tuple[str | None, HttpResponse]:
    """Where a request to `path` reads Pracha's cases from, and the response."""
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(ReplicaRouter().db_for_read(Case))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)(path, **extra)
    response = ReplicaMiddleware(view)(request)
    replica._back_to_primary()  # what request_finished does when the response is closed
    return seen[0], response


def test_public_reads_go_to_the_replica(with_replica: None) -> None:
    for path in ("/", "/dashboard/", "/api/v1/indicators", "/api/v1/open-data/cases.csv"):
        assert seen_by(path)[0] == "replica", path
    assert seen_by("/api/v1/cases")[0] == "replica"


def test_a_single_case_writes_and_other_pages_stay_on_the_primary(with_replica: None) -> None:
    assert seen_by("/api/v1/cases/2026-ABCDEF")[0] is None  # a reporter checking their report
    assert seen_by("/office/")[0] is None
    assert seen_by("/api/v1/cases", "post")[0] is None


def test_a_write_pins_the_browser_to_the_primary(with_replica: None) -> None:
    _, response = seen_by("/api/v1/cases", "post")
    pin = response.cookies[PIN_COOKIE]
    assert pin["httponly"] and int(pin["max-age"]) > 0
    factory = RequestFactory()
    factory.cookies[PIN_COOKIE] = "1"
    request = factory.get("/api/v1/cases")
    seen: list[str | None] = []
    ReplicaMiddleware(lambda r: seen.append(ReplicaRouter().db_for_read(Case)) or HttpResponse())(
        request
    )
    replica._back_to_primary()
    assert seen == [None]


def test_a_refused_write_pins_nothing(with_replica: None) -> None:
    def refuse(request: HttpRequest) -> HttpResponse:
        return HttpResponse(status=422)

    response = ReplicaMiddleware(refuse)(RequestFactory().post("/api/v1/cases"))
    assert PIN_COOKIE not in response.cookies


def test_only_pracha_tables_and_never_writes_or_migrations(with_replica: None) -> None:
    router = ReplicaRouter()
    with replica.use_replica():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_read(Session) is None  # sessions, users, cache counters: primary
        assert router.db_for_write(Case) == "default"
    assert router.db_for_read(Case) is None
    assert router.allow_migrate("replica", "cases") is False
    assert router.allow_migrate("default", "cases") is True


def test_without_a_replica_nothing_changes() -> None:
    _, response = seen_by("/api/v1/cases", "post")
    assert PIN_COOKIE not in response.cookies
    with replica.use_replica():
        assert ReplicaRouter().db_for_read(Case) is None


# --- a real streaming replica --------------------------------------------------------------


def as_postgres(*argv: str | Path) -> None:
    """Run a PostgreSQL program as the `postgres` system user when we are root (initdb and
    the server refuse root)."""
    command = [str(a) for a in argv]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.fixture
def primary_and_replica() -> Iterator[tuple[str, str]]:
    """A throwaway primary (initdb, replication allowed from 127.0.0.1) and a hot standby made
    from it with pg_basebackup -R, on free ports: (primary URL, replica URL)."""
    if not (PG_BIN / "initdb").exists() or not shutil.which("runuser"):
        pytest.skip("PostgreSQL 15's programs are not installed")
    base = Path(tempfile.mkdtemp(prefix="pracha-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    primary, standby = base / "primary", base / "standby"
    ports = free_port(), free_port()
    started: list[Path] = []

    def start(data: Path, port: int) -> None:
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
        log = base / f"{data.name}.log"
        as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")
        started.append(data)

    try:
        as_postgres(PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust")
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        start(primary, ports[0])
        with psycopg.connect(
            host="127.0.0.1", port=ports[0], user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE pracha")
        source = ("-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres")
        as_postgres(PG_BIN / "pg_basebackup", *source, "-D", standby, "-R", "-X", "stream")
        start(standby, ports[1])
        urls = [f"postgresql://postgres@127.0.0.1:{p}/pracha" for p in ports]
        yield urls[0], urls[1]
    finally:
        for data in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                as_postgres(PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def replica_sql(url: str, sql: str) -> Any:
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="pracha", autocommit=True
    ) as conn:
        row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
        return row[0] if row else None


def call(
    port: int, method: str, path: str, body: Any = None, cookie: str = ""
) -> tuple[int, Any, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})}
    connection.request(method, path, None if body is None else json.dumps(body), headers)
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    try:
        return response.status, json.loads(raw), response
    except ValueError:
        return response.status, raw.decode(), response


@pytest.mark.slow
def test_a_real_replica_serves_the_public_lists(
    primary_and_replica: tuple[str, str], tmp_path: Path
) -> None:
    primary, standby = primary_and_replica
    env = server_env(primary, tmp_path / "var")
    env.update(PRACHA_WORKER_IN_SERVE="0", PRACHA_TRIAGE_ON_INTAKE="0")
    run_pracha("migrate", "-v", "0", env=env, cwd=ROOT, check=True)
    env["DATABASE_REPLICA_URL"] = standby
    server = Server(env, tmp_path / "server.log", workers=1)
    server.start()
    try:
        port = server.port
        report = {"description": "ไฟถนนดับทั้งซอย", "lat": 13.7563, "lon": 100.5018}
        status, first, _ = call(port, "POST", "/api/v1/cases", report)
        assert status == 201
        count = "SELECT count(*) FROM cases_case"
        assert wait_for(lambda: replica_sql(standby, count) == 1)
        # Filed cases are counted by the next fold (a worker's, or a reader's on the primary).
        call(port, "GET", "/api/v1/indicators?by=state")
        counted = "SELECT count(*) FROM insights_casefact WHERE category = '*'"
        assert wait_for(lambda: replica_sql(standby, counted) == 1)

        replica_sql(standby, "SELECT pg_wal_replay_pause()")  # the replica lags from here
        status, second, response = call(port, "POST", "/api/v1/cases", dict(report, lat=13.76))
        assert status == 201
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
        [pin] = [c for c in cookies if c.startswith(f"{PIN_COOKIE}=")]

        # The case itself is read from the primary; the public list from the replica.
        assert call(port, "GET", f"/api/v1/cases/{second['ticket_id']}")[0] == 200
        assert call(port, "GET", "/api/v1/cases")[1]["count"] == 1
        csv = call(port, "GET", "/api/v1/open-data/cases.csv")[1]
        assert first["ticket_id"] in csv and second["ticket_id"] not in csv
        reported = call(port, "GET", "/api/v1/indicators?by=state")[1]["total"]["reported"]
        assert reported == 1
        # The browser that wrote reads its own write, from the primary.
        pinned = call(port, "GET", "/api/v1/cases", cookie=pin)[1]
        assert pinned["count"] == 2

        replica_sql(standby, "SELECT pg_wal_replay_resume()")
        assert wait_for(lambda: call(port, "GET", "/api/v1/cases")[1]["count"] == 2)
        assert second["ticket_id"] in call(port, "GET", "/api/v1/open-data/cases.csv")[1]
    finally:
        server.kill()
