"""New cases counted just after they are filed, many at a time.

Counting a case touches 50-130 rollup, hotspot, fact and place rows. Inside the filing
transaction that work held SQLite's single write lock (and PostgreSQL's locks on the hot
rollup rows) for every report. Intake instead notes each case it files in `PendingCase`, in
the same transaction, so a committed case is always either counted or pending, whatever
crashes. A fold adds the pending cases' facts in chunks: reports filed together share most of
their rollup rows, so a chunk writes each row once.

Folds run when the worker's `insights.tasks.count_new_cases` comes round (every 2 s), and
before every read of the indicators (`catch_up`), so a reader never misses a filed case.
Folds are serialised (PostgreSQL: an advisory lock; SQLite has one writer anyway) and lock
the cases they count, so a case changed by an officer meanwhile is counted once: whichever
comes second finds the other's facts stored and adds only the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from pracha.cases.models import Case
from pracha.inserts import insert_new
from pracha.insights.models import PendingCase
from pracha.insights.store.maintain import refresh_cases
from pracha.replica import use_primary

# Cases per fold transaction. Reports filed together share rollup rows (the same day,
# category, state ...), so a larger chunk writes fewer rows per case (bench/fold.py: on
# PostgreSQL 1.2 ms per case in chunks of 25, 0.61 ms in chunks of 500; on SQLite 0.76 and
# 0.55 ms in chunks of 25 and 100). On SQLite every report waits for the write lock a fold
# holds, so a chunk stays near 50 ms. On PostgreSQL filing never waits for a fold (it only
# adds its pending row); an officer's change to a case in the chunk waits for its commit.
CHUNK = {"sqlite": 100, "postgresql": 500}
# pg_advisory_xact_lock key of the fold ("PRAC" in ASCII).
FOLD_LOCK = 0x50524143


def note_new_cases(case_ids: Iterable[int]) -> None:
    """Count these cases, created in the current transaction, at the next fold."""
    insert_new([PendingCase(case_id=case_id) for case_id in case_ids])


def on_cases_changed(
    sender: Any, case_ids: list[int], created_ids: Sequence[int] = (), **kwargs: Any
) -> None:
    """The end of intake's batch_case_changes() block, inside its transaction: the cases it
    created wait for the next fold; any other case it changed is recounted now."""
    created = set(created_ids)
    note_new_cases(sorted(created))
    refresh_cases([case_id for case_id in case_ids if case_id not in created])


def serialise_folds() -> None:
    """Inside a transaction: wait for any other fold or catch-up to finish (PostgreSQL).

    SQLite needs nothing: every transaction there begins by taking the one write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FOLD_LOCK])


def recount_locked(case_ids: list[int]) -> int:
    """After serialise_folds(), in the same transaction: lock these cases in id order and
    bring their facts up to date; how many changed. (Officers' changes lock one case before
    recounting it, so neither can count a case the other is counting.)

    FOR NO KEY UPDATE, not FOR UPDATE: it still excludes officers' locks, but not the key-share
    lock a new row referencing the case takes (a report linking it as a possible duplicate),
    which would otherwise wait for the whole fold's commit."""
    list(
        Case.objects.select_for_update(no_key=True)
        .filter(pk__in=case_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return refresh_cases(case_ids)


def fold_pending(chunk: int | None = None) -> int:
    """Count every pending case, `chunk` cases a transaction (default CHUNK for the
    database); returns how many were folded. Reads the primary, also in a request that reads
    the replica (which may not have the cases yet, and takes no locks)."""
    with use_primary():
        return _fold(chunk or CHUNK.get(connection.vendor, min(CHUNK.values())))


def _fold(chunk: int) -> int:
    # Only the cases pending when the fold began. Reports keep coming while it works; chasing
    # them would fold a few at a time, each chunk writing its rollup rows again. Left for
    # the next fold (2 s later, or a reader's), they are counted together.
    last = PendingCase.objects.aggregate(last=Max("case_id"))["last"]
    folded = 0
    while last is not None:
        with transaction.atomic():
            serialise_folds()
            ids = list(
                PendingCase.objects.filter(case_id__lte=last)
                .order_by("case_id")
                .values_list("case_id", flat=True)[:chunk]
            )
            if not ids:  # all counted (another fold may have taken them while this one waited)
                break
            recount_locked(ids)
            # Not QuerySet.delete(): a receiver of every model's deletes (the audit log's)
            # makes Django read the rows back and signal each one; nothing listens here.
            PendingCase.objects.filter(case_id__in=ids)._raw_delete(PendingCase.objects.db)
        folded += len(ids)
    return folded
