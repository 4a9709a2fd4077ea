"""Duplicate search on a database holding the 185,152 real 2022 tickets, with and without
the (lat, lon, created_at) index.

    .venv/bin/python bench/triage_duplicates.py [--queries N] [--database-url URL]

Loads the 2022 dump's tickets (point, time, text, state) into a fresh temporary SQLite
database (or the PostgreSQL database you name, which must be empty and is migrated), then
times find_duplicates() for N tickets drawn at random, as intake runs it for a new report:
open cases within 100 m and the 14 days before. The baseline is the same query after
dropping the case_lat_lon_created_idx index, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT / "data" / "traffy" / "bangkok_traffy_2022-05-29_2022-12-18.csv.gz"


def setup(database_url: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="pracha-bench-dups-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["PRACHA_VAR_DIR"] = str(work / "var")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def load() -> int:
    from pracha.cases.models import Case
    from pracha.traffy.reader import BadRow, TraffyFile

    batch: list[Case] = []
    count = 0
    with TraffyFile(DUMP) as tickets:
        for record in tickets:
            if isinstance(record, BadRow) or record.lat is None:
                continue
            batch.append(
                Case(
                    ticket_id=record.ticket_id,
                    description=record.description,
                    lat=record.lat,
                    lon=record.lon,
                    state=record.state,
                    created_at=record.created_at,
                    updated_at=record.updated_at,
                    source=Case.Source.TRAFFY,
                )
            )
            if len(batch) == 5000:
                Case.objects.bulk_create(batch)
                count += len(batch)
                batch = []
    Case.objects.bulk_create(batch)
    return count + len(batch)


def timed(sample: list[tuple[int, float, float, str, object]]) -> tuple[np.ndarray, int]:
    from pracha.triage.duplicates import find_duplicates

    timings = np.empty(len(sample))
    hits = 0
    for i, (pk, lat, lon, text, at) in enumerate(sample):
        started = time.perf_counter()
        found = find_duplicates(lat=lat, lon=lon, text=text, categories=[], at=at, exclude=pk)
        timings[i] = time.perf_counter() - started
        hits += bool(found)
    return timings, hits


def line(label: str, timings: np.ndarray, hits: int) -> str:
    p50, p99 = (np.percentile(timings, q) * 1000 for q in (50, 99))
    return (
        f"{label:<26} {len(timings):>5} searches  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
        f"mean {timings.mean() * 1000:7.2f} ms  ({hits} found candidates)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    from pracha.cases.models import Case

    started = time.perf_counter()
    count = load()
    print(f"loaded {count:,} cases in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    if connection.vendor == "postgresql":  # as autovacuum would, after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
    rng = np.random.default_rng(11)
    ids = list(Case.objects.values_list("pk", flat=True))
    chosen = set(rng.choice(ids, size=min(args.queries, len(ids)), replace=False).tolist())
    sample = list(
        Case.objects.filter(pk__in=chosen).values_list(
            "pk", "lat", "lon", "description", "created_at"
        )
    )
    timed(sample[:20])  # warm the caches
    indexed, hits = timed(sample)
    print(line("with case_lat_lon_created_idx", indexed, hits))
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX case_lat_lon_created_idx")
    baseline, hits = timed(sample)
    print(line("without it (baseline)", baseline, hits))
    print(f"speed-up (mean): {baseline.mean() / indexed.mean():.1f}x")


if __name__ == "__main__":
    main()
