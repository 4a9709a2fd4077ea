"""Benchmark `import_traffy` on SQLite against plain CSV parsing of the same rows.

    .venv/bin/python bench/import_traffy.py [--rows N] [--file PATH]

Uses a fresh temporary SQLite database (migrated first) and prints rows, seconds and rows/s
for the import, and for reading the same rows with the csv module alone (no database), so
the cost of normalising and writing is visible.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "data" / "traffy" / "bangkok_traffy_2022-05-29_2022-12-18.csv.gz"


def open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")  # type: ignore[return-value]
    return path.open(encoding="utf-8-sig", newline="")


def head(source: Path, rows: int, target: Path) -> None:
    """The header and the first `rows` records of `source`, as a plain CSV."""
    with open_text(source) as fh, target.open("w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(fh), csv.writer(out)
        for index, record in enumerate(reader):
            if index > rows:
                break
            writer.writerow(record)


def parse_only(path: Path) -> tuple[int, float]:
    """Records read with the csv module alone: the floor for any importer."""
    started = time.perf_counter()
    with open_text(path) as fh:
        count = sum(1 for row in csv.reader(fh) if row) - 1
    return count, time.perf_counter() - started


def report(label: str, rows: int, seconds: float) -> None:
    rate = rows / seconds if seconds else 0.0
    print(f"{label:<24} {rows:>9,} rows  {seconds:>8.2f} s  {rate:>10,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="only the first N rows")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="a Traffy export")
    args = parser.parse_args()
    csv.field_size_limit(16 * 1024 * 1024)

    work = Path(tempfile.mkdtemp(prefix="pracha-bench-"))
    source: Path = args.file
    if args.rows is not None:
        source = work / f"first-{args.rows}.csv"
        head(args.file, args.rows, source)

    # A throwaway database and var dir, set before Django reads its settings.
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["PRACHA_VAR_DIR"] = str(work / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)

    from pracha.cases.models import Case

    print(f"file: {args.file}" + (f" (first {args.rows:,} rows)" if args.rows else ""))
    print(f"database: {os.environ['DATABASE_URL']}")
    rows, parse_seconds = parse_only(source)
    report("csv module only", rows, parse_seconds)

    started = time.perf_counter()
    out = io.StringIO()
    call_command("import_traffy", str(source), no_progress=True, stdout=out, stderr=out)
    seconds = time.perf_counter() - started
    report("import_traffy (SQLite)", rows, seconds)
    print(f"cases in the database: {Case.objects.count():,}")
    print(f"the import takes {seconds / parse_seconds:.1f}x as long as parsing alone")
    print("\n".join(line for line in out.getvalue().splitlines() if "rows read" in line))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
