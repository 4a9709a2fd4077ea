"""What counting filed cases costs per case, by the number of cases a fold takes at a time.

    .venv/bin/python bench/fold.py [--reports 3000] [--chunks 25,100,500]
        [--database-url postgresql://postgres@127.0.0.1:5432/pracha_bench_fold]

Files --reports real reports through `POST /api/v1/cases` (in this process, report limits
off) into a fresh database (a temporary SQLite file, or the PostgreSQL database named by
--database-url, dropped and created again: name a scratch one). Then, for each chunk size in
turn, twice and alternating: the derived tables are emptied, every case is marked pending
again, and `fold_pending(chunk)` counts them all. Printed per run: wall time and this
process's CPU per case, and the rows the rollup holds after it (the same for every size).
The first size listed is the baseline the others are compared with; figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake import fresh_postgres  # bench/ is this folder
from intake_profile import sample_reports, setup

DERIVED = (
    "insights_casefact",
    "insights_rollup",
    "insights_hotspotrollup",
    "insights_recurringplace",
    "insights_pendingcase",
)


def file_reports(count: int) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for body in sample_reports(count):
        response = client.post("/api/v1/cases", body, content_type="application/json")
        if response.status_code != 201:
            sys.exit(f"filing failed: {response.status_code} {response.content[:300]!r}")


def fold_all(chunk: int) -> tuple[float, float, int, int]:
    """(wall s, CPU s, cases, rollup rows) of counting every case again in chunks."""
    from django.db import connection, transaction

    from pracha.insights.store.pending import fold_pending

    with transaction.atomic(), connection.cursor() as cursor:
        for table in DERIVED:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("INSERT INTO insights_pendingcase (case_id) SELECT id FROM cases_case")
    wall, cpu = time.perf_counter(), time.process_time()
    cases = fold_pending(chunk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM insights_rollup")
        rows = cursor.fetchone()[0]
    return wall, cpu, cases, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--chunks", default="25,100,500")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    chunks = [int(size) for size in args.chunks.split(",")]
    if args.database_url and args.database_url.startswith("postgres"):
        fresh_postgres(args.database_url)
    setup(args.database_url, None, True)
    from django.db import connection

    started = time.perf_counter()
    file_reports(args.reports)
    print(
        f"{connection.vendor}: {args.reports:,} reports filed in "
        f"{time.perf_counter() - started:.0f} s; counting them all again per chunk size"
    )
    walls: dict[int, list[float]] = {size: [] for size in chunks}
    cpus: dict[int, list[float]] = {size: [] for size in chunks}
    for _round in range(2):
        for size in chunks:
            wall, cpu, cases, rows = fold_all(size)
            walls[size].append(wall / cases)
            cpus[size].append(cpu / cases)
            print(
                f"  chunk {size:5d}: {wall / cases * 1000:.3f} ms per case, this process's CPU "
                f"{cpu / cases * 1000:.3f} ms; the rollup then holds {rows:,} rows"
            )
    base = statistics.median(walls[chunks[0]])
    for size in chunks:
        wall = statistics.median(walls[size])
        cpu = statistics.median(cpus[size])
        print(
            f"chunk {size:5d}: median {wall * 1000:.3f} ms per case "
            f"({wall / base:.0%} of chunk {chunks[0]}), CPU {cpu * 1000:.3f} ms"
        )


if __name__ == "__main__":
    main()
