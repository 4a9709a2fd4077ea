"""Keeping the derived tables in step with the cases, inside the transaction that changes them.

Every save of a case, change of its categories or deletion recomputes the case's facts; if
they differ from the stored ones, the old facts are taken back and the new ones added, in the
same transaction. Cases intake files are counted just after, many at a time (pending.py).
Writes that bypass signals (bulk imports) are caught up from a watermark: every case with an
id up to it has its facts. `pracha insights rebuild` redoes everything.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction

from pracha.cases.categories import codes_by_case
from pracha.cases.models import Case
from pracha.cases.signals import defer_case_change
from pracha.insights.models import CaseFact, InsightsState
from pracha.insights.store.deltas import (
    Deltas,
    add_places,
    insert_facts,
    recount_places,
    refresh_places,
)
from pracha.insights.store.facts import CASE_COLUMNS, FACT_COLUMNS, Fact, facts_for

log = logging.getLogger(__name__)

CaseCategory = Case.categories.through
WATERMARK = "case_watermark"
# Above this many cases in one catch-up, recount the recurring places in one pass.
PLACE_BY_PLACE_LIMIT = 2000
CHUNK = 5000


def stored_facts(case_ids: list[int]) -> dict[int, list[Fact]]:
    found: dict[int, list[Fact]] = defaultdict(list)
    rows = CaseFact.objects.filter(case_id__in=case_ids).values_list(*FACT_COLUMNS)
    for row in rows:
        fact = Fact.from_row(row)
        found[fact.case_id].append(fact)
    return found


def current_facts(case_ids: list[int]) -> dict[int, list[Fact]]:
    """Facts as the cases are now (missing ids: deleted cases, no facts)."""
    codes = codes_by_case(case_ids)
    rows = Case.objects.filter(pk__in=case_ids).values(*CASE_COLUMNS)
    return {row["id"]: facts_for(row, codes.get(row["id"], [])) for row in rows}


def refresh_cases(case_ids: Iterable[int]) -> int:
    """Bring the facts and sums of these cases up to date; returns how many changed."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    changed = 0
    # Inside the caller's transaction no savepoint: a failure here must undo the change too.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            before = stored_facts(chunk)
            after = current_facts(chunk)
            deltas = Deltas()
            places: set[tuple[int, str]] = set()
            gone: list[int] = []
            fresh: list[Fact] = []
            for case_id in chunk:
                old, new = before.get(case_id, []), after.get(case_id, [])
                if sorted(f.as_row() for f in old) == sorted(f.as_row() for f in new):
                    continue
                changed += 1
                deltas.add(old, -1)
                deltas.add(new, +1)
                if old:
                    gone.append(case_id)
                fresh.extend(new)
                places.update((f.cell9, f.category) for f in (*old, *new) if f.cell9)
            deltas.write()
            if gone:
                CaseFact.objects.filter(case_id__in=gone).delete()
            insert_facts(fresh)
            if not gone:
                add_places(fresh)  # facts only added: the places' sums grow, no recount
            elif len(places) <= PLACE_BY_PLACE_LIMIT:
                refresh_places(places)
            else:
                recount_places()
    return changed


def refresh_case(case_id: int) -> None:
    refresh_cases([case_id])


def new_case_ids(after: int) -> Iterator[list[int]]:
    """Ids above `after` that have no facts yet, in chunks."""
    last = after
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id FROM cases_case c WHERE c.id > %s AND NOT EXISTS "
                "(SELECT 1 FROM insights_casefact f WHERE f.case_id = c.id) "
                "ORDER BY c.id LIMIT %s",
                [last, CHUNK],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return
        yield ids
        last = ids[-1]


def get_state(key: str, default: str = "") -> str:
    row = InsightsState.objects.filter(key=key).values_list("value", flat=True).first()
    return default if row is None else row


def set_state(key: str, value: str) -> None:
    InsightsState.objects.update_or_create(key=key, defaults={"value": value})


# --- signal receivers (connected in apps.py) -------------------------------------------------


def on_case_saved(sender: Any, instance: Case, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: rebuild afterwards
        return
    # Once at the end of intake's batch (pending.on_cases_changed).
    if defer_case_change(instance.pk, created=bool(kwargs.get("created"))):
        return
    refresh_case(instance.pk)


def on_case_deleted(sender: Any, instance: Case, **kwargs: Any) -> None:
    refresh_case(instance.pk)


def on_categories_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        if not defer_case_change(instance.pk):
            refresh_case(instance.pk)
    elif pk_set:  # category.cases.add(...): the cases are in pk_set
        refresh_cases(pk_set)
    else:  # category.cases.clear(): which cases lost it is no longer known; use the facts
        code = getattr(instance, "code", None)
        ids = CaseFact.objects.filter(category=code).values_list("case_id", flat=True)
        refresh_cases(list(ids))
