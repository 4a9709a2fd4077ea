"""CPU per INSERT of one new row: Django's bulk_create against pracha.inserts.insert_new.

    .venv/bin/python bench/inserts.py [--rows N] [--database-url URL]

Inserts N case rows (the widest row a report writes) one statement at a time, inside one
transaction that is rolled back, first with `Case.objects.bulk_create([case])`, then with
`insert_new([case])`, on a fresh temporary SQLite database (or the PostgreSQL database you
name, migrated: a scratch one). Prints the CPU time of this process per row for each, and
the part of it spent building the instances alone, measured in the same run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from triage_duplicates import setup  # bench/ is this script's folder: a scratch migrated database


def per_row_cpu(rows: int, insert: Callable[[Any], Any], make: Callable[[], Any]) -> float:
    """Microseconds of this process's CPU per row, in a transaction that is rolled back."""
    from django.db import transaction

    with transaction.atomic():
        insert(make())  # warm: the first statement of a kind may be compiled or cached
        started = time.process_time()
        for _ in range(rows):
            insert(make())
        used = time.process_time() - started
        transaction.set_rollback(True)
    return used / rows * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection
    from django.utils import timezone

    from pracha.cases.models import Case
    from pracha.inserts import insert_new

    now = timezone.now()
    numbers = iter(range(10**9))

    def make() -> Case:
        return Case(
            ticket_id=f"BENCH-{next(numbers)}",
            description="ถนนเป็นหลุมเป็นบ่อ รถจักรยานยนต์ล้มบ่อย",
            lat=13.7563,
            lon=100.5018,
            district="บางรัก",
            created_at=now,
            updated_at=now,
            search_text="ถนนเป็นหลุมเป็นบ่อ",
        )

    building = per_row_cpu(args.rows, lambda case: case, make)
    django = per_row_cpu(args.rows, lambda case: Case.objects.bulk_create([case]), make)
    kept = per_row_cpu(args.rows, lambda case: insert_new([case]), make)
    print(f"{connection.vendor}, {args.rows:,} case rows, one INSERT each, CPU per row:")
    print(f"  building the instance alone       {building:7.1f} us")
    print(f"  Case.objects.bulk_create([case])  {django:7.1f} us")
    print(f"  insert_new([case])                {kept:7.1f} us  ({django / kept:.1f}x less)")


if __name__ == "__main__":
    main()
