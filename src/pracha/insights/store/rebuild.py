"""Rebuilding every derived table from the cases and events: `pracha insights rebuild`.

Facts are computed in Python (local dates, H3 cells, targets), streamed case by case in id
order and loaded in bulk (COPY on PostgreSQL); the sums are computed from the same facts with
numpy (rebuild_sums.py) and loaded the same way. tests/insights checks that a rebuild gives
exactly the tables the incremental updates keep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from time import perf_counter

from django.db import connection, transaction
from django.db.models import Field

from pracha.cases import sla
from pracha.cases.models import Case, Event
from pracha.insights.models import CaseFact
from pracha.insights.store.deltas import (
    HOTSPOT_COUNTS,
    HOTSPOT_KEY_COLUMNS,
    ROLLUP_KEY_COLUMNS,
    bulk_insert,
    recount_places,
)
from pracha.insights.store.facts import CASE_COLUMNS, FACT_COLUMNS, fact_rows
from pracha.insights.store.forwarding_facts import WATERMARK as FORWARD_WATERMARK
from pracha.insights.store.forwarding_facts import rebuild_forwards
from pracha.insights.store.maintain import WATERMARK, CaseCategory, set_state
from pracha.insights.store.metrics import METRIC_COLUMNS
from pracha.insights.store.rebuild_sums import FactColumns, hotspot_rows, rollup_rows

SLA_FINGERPRINT = "sla_fingerprint"
TABLES = (
    "insights_casefact",
    "insights_rollup",
    "insights_hotspotrollup",
    "insights_recurringplace",
    "insights_forwardfact",
    "insights_forwardrollup",
)
CHUNK = 5000

Progress = Callable[[str], None]


def clear() -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}")
            else:
                cursor.execute(f"DELETE FROM {table}")


def write_facts(progress: Progress) -> FactColumns:
    """Facts of every case, streamed in id order; also kept as columns for the sums."""
    columns = FactColumns()
    last, done = 0, 0
    while True:
        rows = list(Case.objects.filter(pk__gt=last).order_by("pk").values(*CASE_COLUMNS)[:CHUNK])
        if not rows:
            break
        ids = [row["id"] for row in rows]
        codes: dict[int, list[str]] = defaultdict(list)
        links = CaseCategory.objects.filter(case_id__gte=ids[0], case_id__lte=ids[-1])
        for case_id, code in links.values_list("case_id", "category__code"):
            codes[case_id].append(code)
        facts = [fact for row in rows for fact in fact_rows(row, codes[row["id"]])]
        bulk_insert("insights_casefact", FACT_COLUMNS, facts)
        columns.add(facts)
        last, done = ids[-1], done + len(rows)
        if done % 100_000 < CHUNK:
            progress(f"facts: {done:,} cases")
    columns.finish()
    return columns


def drop_fact_indexes() -> None:
    """Loading facts and then indexing them is several times faster than indexing each row."""
    with connection.cursor() as cursor:
        for index in CaseFact._meta.indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")


def _column(name: str) -> str:
    field = CaseFact._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None  # indexes name real columns
    return field.column


def create_fact_indexes() -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for index in CaseFact._meta.indexes:
            columns = ", ".join(q(_column(f)) for f in index.fields)
            cursor.execute(f"CREATE INDEX {q(index.name)} ON insights_casefact ({columns})")


def write_sums(facts: FactColumns) -> None:
    for rows in rollup_rows(facts):
        bulk_insert("insights_rollup", (*ROLLUP_KEY_COLUMNS, *METRIC_COLUMNS), rows)
    hot = list(hotspot_rows(facts))
    for start in range(0, len(hot), 50_000):
        bulk_insert(
            "insights_hotspotrollup",
            (*HOTSPOT_KEY_COLUMNS, *HOTSPOT_COUNTS),
            hot[start : start + 50_000],
        )


def rebuild(progress: Progress = lambda message: None) -> dict[str, float]:
    """Recompute every derived table in one transaction; returns seconds per step."""
    timings: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> None:
        started = perf_counter()
        work()
        timings[name] = perf_counter() - started
        progress(f"{name}: {timings[name]:.1f} s")

    with transaction.atomic():
        top_case = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        top_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        step("clear", clear)
        step("drop fact indexes", drop_fact_indexes)
        facts: list[FactColumns] = []
        step("facts", lambda: facts.append(write_facts(progress)))
        step("rollups and hotspots", lambda: write_sums(facts[0]))
        facts.clear()
        step("index facts", create_fact_indexes)
        step("recurring places", recount_places)
        step("forwards", rebuild_forwards)
        set_state(WATERMARK, str(top_case))
        set_state(FORWARD_WATERMARK, str(top_event))
        set_state(SLA_FINGERPRINT, sla.fingerprint())
    if connection.vendor == "postgresql":
        # VACUUM too: until the visibility map is set, PostgreSQL prices index-only scans
        # as heap reads and picks slower plans (seen: 370 ms against 40 ms for a block-level
        # hotspot map at 1M cases). It cannot run inside a transaction (as in tests).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"{command} {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return timings
