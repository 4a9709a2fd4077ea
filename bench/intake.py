"""Intake under load: `POST /api/v1/cases` against a real `pracha serve`, on SQLite and
PostgreSQL, with and without triage on intake, at 8 and 32 concurrent clients.

    .venv/bin/python bench/intake.py [--databases sqlite,postgresql] [--clients 8,32]
        [--triage on,off] [--seconds 15] [--workers N] [--model PATH]
        [--pg-url postgresql://postgres@127.0.0.1:5432/pracha_bench_intake]

Each configuration gets a fresh database (a temporary SQLite file, or the PostgreSQL database
named by --pg-url, dropped and created again: name a scratch one) and its own `pracha serve`,
started as an operator would for a load test: report limits off through their environment
setting (PRACHA_RATE_REPORTS_PER_IP=off, PRACHA_RATE_REPORTS_PER_KEY=off), nothing else changed.
The clients post real report texts and points from data/traffy, one new connection per
request (gunicorn's sync workers close each one), for --seconds after a short warm-up.

Printed per run: reports/s, p50/p95/max latency, errors, and the CPU time each part used per
report (web workers, the rest of `pracha serve`, PostgreSQL, the load clients themselves, all
on the same cores); beside them, measured in the same
run, the bare durable-commit rate (a loop of single-row INSERT + COMMIT on the same database
and disk, with the server's durability settings) and the memory of each gunicorn worker and
of the master (RSS, and PSS/USS from /proc/<pid>/smaps_rollup: pages shared copy-on-write
after the fork count once in PSS, not in each worker's USS). Figures, not assertions: the
machine may be shared, so compare runs made together.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "traffy").glob("*.csv"))
sys.path.insert(0, str(ROOT / "src"))


def sample_reports() -> list[dict[str, Any]]:
    """Real report texts and points from the shipped Traffy exports (about 6,900)."""
    from pracha.traffy.reader import BadRow, TraffyFile

    reports: list[dict[str, Any]] = []
    for path in SAMPLES:
        with TraffyFile(path) as tickets:
            for record in tickets:
                if isinstance(record, BadRow) or record.lat is None or not record.description:
                    continue
                reports.append(
                    {
                        "description": record.description[:2000],
                        "lat": record.lat,
                        "lon": record.lon,
                        "address": (record.address or "")[:400],
                    }
                )
    return reports


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- databases -------------------------------------------------------------------------------


def fresh_postgres(url: str) -> None:
    import psycopg

    from pracha.config import parse_database_url

    db = parse_database_url(url)
    args = {"dbname": "postgres", "user": db["USER"], "password": db["PASSWORD"]}
    if db["HOST"]:
        args["host"] = db["HOST"]
    if db["PORT"]:
        args["port"] = db["PORT"]
    with psycopg.connect(**args, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def durable_commits_per_second(database_url: str, seconds: float = 3.0) -> tuple[float, str]:
    """Single-row INSERT + COMMIT in a loop on the server's database and disk, with the
    durability settings pracha.config gives that database; (commits/s, settings)."""
    from pracha.config import parse_database_url

    db = parse_database_url(database_url)
    count = 0
    if "sqlite" in str(db["ENGINE"]):
        path = Path(str(db["NAME"])).with_name("commit-rate.sqlite3")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(str(db["OPTIONS"]["init_command"]))  # type: ignore[index]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        sync = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
            conn.execute("COMMIT")
            count += 1
        elapsed = time.perf_counter() - started
        conn.close()
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
        return count / elapsed, f"journal_mode={mode}, synchronous={names.get(sync, sync)}"
    import psycopg

    args = {"dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"]}
    if db["HOST"]:
        args["host"] = db["HOST"]
    if db["PORT"]:
        args["port"] = db["PORT"]
    with psycopg.connect(**args) as conn:
        setting = conn.execute(
            "SELECT current_setting('synchronous_commit'), current_setting('fsync')"
        ).fetchone()
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit_rate (id serial, v text)")
        conn.commit()
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            conn.execute("INSERT INTO bench_commit_rate (v) VALUES (%s)", ("x" * 200,))
            conn.commit()
            count += 1
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_commit_rate")
        conn.commit()
    assert setting is not None
    return count / elapsed, f"synchronous_commit={setting[0]}, fsync={setting[1]}"


# --- the server ------------------------------------------------------------------------------


class Serve:
    """`pracha serve` in its own process group, migrated database, report limits off."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Serve:
        pracha = [sys.executable, "-m", "pracha.cli"]
        subprocess.run([*pracha, "migrate", "-v", "0"], env=self.env, check=True, cwd=ROOT)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*pracha, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pracha serve exited; see {self.log}")
            try:
                if get(self.port, "/api/v1/states") == 200 and len(self.worker_pids()) >= (
                    self.workers
                ):
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"pracha serve did not answer in 120 s; see {self.log}")

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def master_pid(self) -> int:
        assert self.process is not None
        return self.process.pid  # `pracha serve` execs gunicorn in place: the same pid

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: children of the master running `gunicorn` (not the
        notifications loop `pracha serve` starts beside them)."""
        return [
            child
            for child in children(self.master_pid())
            if b"gunicorn" in Path(f"/proc/{child}/cmdline").read_bytes()
        ]


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private pages) in MiB, from /proc/<pid>/smaps_rollup."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return {"rss": values["Rss"], "pss": values["Pss"], "uss": uss}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The child processes of every thread of `pid` (none once it is gone)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        below = children(todo.pop())
        found.extend(below)
        todo.extend(below)
    return found


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def cpu_snapshot(server: Serve) -> dict[str, float]:
    """CPU seconds used so far by the web workers, the rest of `pracha serve` (its master and
    background worker), PostgreSQL's processes and this process (the load clients)."""
    workers = set(server.worker_pids())
    rest = [server.master_pid(), *(p for p in descendants(server.master_pid()) if p not in workers)]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "web workers": sum(cpu_seconds(p) for p in workers),
        "master + background": sum(cpu_seconds(p) for p in rest),
        "PostgreSQL": sum(cpu_seconds(p) for p in postgres_pids()),
        "load clients": usage.ru_utime + usage.ru_stime,
    }


# --- the load --------------------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def post(port: int, body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/api/v1/cases", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def load(port: int, clients: int, seconds: float, bodies: list[bytes], offset: int) -> Run:
    run = Run()
    deadline = time.perf_counter() + seconds
    counter = iter(range(offset, 10**9))

    def client() -> None:
        while time.perf_counter() < deadline:
            with run.lock:
                index = next(counter)
            started = time.perf_counter()
            try:
                status = post(port, bodies[index % len(bodies)])
                outcome = "" if status == 201 else f"HTTP {status}"
            except OSError as exc:
                outcome = type(exc).__name__
            took = time.perf_counter() - started
            with run.lock:
                if outcome:
                    run.errors[outcome] = run.errors.get(outcome, 0) + 1
                else:
                    run.latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def bench_database(name: str, args: argparse.Namespace, bodies: list[bytes]) -> None:
    offset = 0
    for triage in args.triage:
        work = Path(tempfile.mkdtemp(prefix=f"pracha-bench-intake-{name}-"))
        if name == "sqlite":
            url = f"sqlite:///{work / 'pracha.sqlite3'}"
        else:
            url = args.pg_url
            fresh_postgres(url)
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "PRACHA_")) and name != "DATABASE_URL"
        }
        env.update(
            DATABASE_URL=url,
            PRACHA_VAR_DIR=str(work / "var"),
            SECRET_KEY="bench-intake-" + "k" * 40,
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            PRACHA_RATE_REPORTS_PER_IP="off",
            PRACHA_RATE_REPORTS_PER_KEY="off",
            PRACHA_TRIAGE_ON_INTAKE="1" if triage == "on" else "0",
            PYTHONPATH=str(ROOT / "src"),
        )
        if args.model:
            env["PRACHA_MODEL_PATH"] = str(args.model)
        with Serve(env, args.workers, work / "serve.log") as server:
            commits, durability = durable_commits_per_second(url)
            print(
                f"\n{name}, triage on intake {triage}, {args.workers} workers: bare durable "
                f"commits {commits:,.0f}/s ({durability})"
            )
            load(server.port, 4, 3, bodies, offset)  # warm-up: every worker loads its model
            offset += 10_000
            for clients in args.clients:
                before = cpu_snapshot(server)
                run = load(server.port, clients, args.seconds, bodies, offset)
                after = cpu_snapshot(server)
                offset += 10_000
                done = sorted(run.latencies)
                rate = len(done) / args.seconds
                errors = ", ".join(f"{k}: {v}" for k, v in run.errors.items()) or "none"
                print(
                    f"  {clients:3d} clients: {rate:6.1f} reports/s  "
                    f"p50 {percentile(done, 0.5) * 1000:6.1f} ms  "
                    f"p95 {percentile(done, 0.95) * 1000:6.1f} ms  "
                    f"max {(done[-1] if done else float('nan')) * 1000:6.1f} ms  "
                    f"errors {errors}"
                )
                if done:
                    used = {k: (after[k] - before[k]) / len(done) * 1000 for k in after}
                    print(
                        "        CPU per report: "
                        + ", ".join(f"{k} {v:.1f} ms" for k, v in used.items() if v >= 0.05)
                        + f"; total {sum(used.values()):.1f} ms of the "
                        f"{(os.cpu_count() or 1) * 1000 / max(rate, 1e-9):.1f} ms "
                        f"the {os.cpu_count()} cores had per report"
                    )
            master = memory(server.master_pid())
            workers = [memory(pid) for pid in server.worker_pids()]
            print(
                f"  memory (MiB): master RSS {master['rss']:.0f} PSS {master['pss']:.0f}; "
                f"per worker RSS {statistics.mean(w['rss'] for w in workers):.0f} "
                f"PSS {statistics.mean(w['pss'] for w in workers):.0f} "
                f"USS {statistics.mean(w['uss'] for w in workers):.0f} "
                f"(x{len(workers)}; all workers' PSS {sum(w['pss'] for w in workers):.0f})"
            )
            sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--triage", default="on,off")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=None, help="default: pracha serve's")
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="default: PRACHA_MODEL_PATH, else this checkout's var/models/triage-classifier.pkl",
    )
    parser.add_argument(
        "--pg-url", default="postgresql://postgres@127.0.0.1:5432/pracha_bench_intake"
    )
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    args.triage = args.triage.split(",")
    if args.model is None and os.environ.get("PRACHA_MODEL_PATH"):
        args.model = Path(os.environ["PRACHA_MODEL_PATH"])
    shipped = ROOT / "var" / "models" / "triage-classifier.pkl"
    if args.model is None and shipped.exists():
        args.model = shipped  # each server's own PRACHA_VAR_DIR holds no model
    if args.model is None and "on" in args.triage:
        print("no classifier (run `pracha train`): triage on intake runs without categories")
    if args.workers is None:
        from pracha.config import web_workers

        args.workers = web_workers()
    bodies = [json.dumps(r, ensure_ascii=False).encode() for r in sample_reports()]
    print(
        f"{len(bodies):,} real report texts; {os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.1f} at the start (other work on the machine skews the figures)"
    )
    for name in args.databases.split(","):
        bench_database(name, args, bodies)


if __name__ == "__main__":
    main()
