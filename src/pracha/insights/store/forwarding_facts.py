"""One fact per forward: who sent the case where, how long the sender held it, and whether it
went back to an agency that had already held it (a bounce). Summed per agency pair.

"Time lost" for a forward is the time from the case reaching the forwarding agency (its
report, or the forward that brought it there) to the forward itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction

from pracha.cases.models import CaseKind, Event
from pracha.insights.models import ForwardFact, InsightsState
from pracha.insights.store.cube import BLOCK, MONTH, QUARTER, YEAR, periods_of
from pracha.insights.store.deltas import bulk_insert, upsert
from pracha.insights.store.facts import local_day
from pracha.insights.store.metrics import BUCKETS, HIST_COLUMNS, bucket_of

WATERMARK = "forward_watermark"
ANY = -1  # from_key/to_key of rows summed over every agency
FORWARD_GRAINS = (BLOCK, MONTH, QUARTER, YEAR)
KEYS = ("grain", "period", "from_key", "to_key")
SUMS = ("forwards", "held_seconds", "bounces", *HIST_COLUMNS)
HISTORY_KINDS = (Event.Kind.CREATED, Event.Kind.FORWARDED)


def facts_of_history(events: Sequence[Mapping[str, Any]]) -> list[ForwardFact]:
    """Forward facts from one case's created and forwarded events, in time order."""
    facts: list[ForwardFact] = []
    arrived: dict[int, Any] = {}
    held: set[int] = set()
    start = None
    for event in events:
        if event["kind"] == Event.Kind.CREATED:
            start = event["at"]
            if event["to_agency_id"]:
                arrived[event["to_agency_id"]] = event["at"]
                held.add(event["to_agency_id"])
            continue
        source, target = event["from_agency_id"] or 0, event["to_agency_id"] or 0
        since = arrived.get(source, start if start is not None else event["at"])
        seconds = max(0, int((event["at"] - since).total_seconds()))
        facts.append(
            ForwardFact(
                event_id=event["id"],
                case_id=event["case_id"],
                day=local_day(event["at"]),
                from_key=source,
                to_key=target,
                held_seconds=seconds,
                bucket=bucket_of(seconds / 3600),
                bounce=target in held,
            )
        )
        if source:
            held.add(source)
        if target:
            held.add(target)
            arrived[target] = event["at"]
    return facts


def _histories(case_ids: list[int]) -> dict[int, list[Mapping[str, Any]]]:
    found: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    rows = (
        Event.objects.filter(case_id__in=case_ids, kind__in=HISTORY_KINDS)
        .filter(case__kind=CaseKind.REPORT)  # service requests are never in public figures
        .order_by("case_id", "at", "id")
        .values("id", "case_id", "kind", "at", "from_agency_id", "to_agency_id")
    )
    for row in rows:
        found[row["case_id"]].append(row)
    return found


def _deltas(
    facts: Iterable[ForwardFact], sign: int, into: dict[tuple[int, ...], list[int]]
) -> None:
    for fact in facts:
        periods = periods_of(date.fromordinal(fact.day))
        # The pair, the sender alone (to ANY), the receiver alone (from ANY) and everything:
        # totals and per-agency figures then sum a few rows, not every pair.
        for source, target in (
            (fact.from_key, fact.to_key),
            (fact.from_key, ANY),
            (ANY, fact.to_key),
            (ANY, ANY),
        ):
            for grain in FORWARD_GRAINS:
                row = into.setdefault((grain, periods[grain], source, target), [0] * len(SUMS))
                row[0] += sign
                row[1] += sign * fact.held_seconds
                row[2] += sign * int(fact.bounce)
                row[3 + fact.bucket] += sign


def refresh_forwards(case_ids: Iterable[int]) -> None:
    """Recompute the forward facts of these cases and move the sums accordingly."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    with transaction.atomic():
        old = list(ForwardFact.objects.filter(case_id__in=ids))
        histories = _histories(ids)
        new = [fact for case_id in ids for fact in facts_of_history(histories.get(case_id, []))]
        deltas: dict[tuple[int, ...], list[int]] = {}
        _deltas(old, -1, deltas)
        _deltas(new, +1, deltas)
        rows = [(*key, *sums) for key, sums in sorted(deltas.items()) if any(sums)]
        upsert("insights_forwardrollup", KEYS, SUMS, rows)
        ForwardFact.objects.filter(case_id__in=ids).delete()
        ForwardFact.objects.bulk_create(new, batch_size=2000)


def catch_up_forwards() -> None:
    """Facts for forward events written without signals (imports)."""
    top = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    row = InsightsState.objects.filter(key=WATERMARK).values_list("value", flat=True).first()
    mark = int(row or 0)
    if top <= mark:
        return
    done: set[int] = set()
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT e.case_id FROM cases_event e WHERE e.id > %s AND e.kind = %s "
                "AND NOT EXISTS (SELECT 1 FROM insights_forwardfact f WHERE f.event_id = e.id) "
                "LIMIT 2000",
                [mark, Event.Kind.FORWARDED],
            )
            case_ids = [r[0] for r in cursor.fetchall() if r[0] not in done]
        if not case_ids:
            break
        refresh_forwards(case_ids)
        done.update(case_ids)
    InsightsState.objects.update_or_create(key=WATERMARK, defaults={"value": str(top)})


def on_event_saved(
    sender: Any, instance: Event, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or instance.kind != Event.Kind.FORWARDED:
        return
    refresh_forwards([instance.case_id])


def on_event_deleted(sender: Any, instance: Event, **kwargs: Any) -> None:
    if instance.kind == Event.Kind.FORWARDED:
        refresh_forwards([instance.case_id])


assert len(SUMS) == 3 + BUCKETS


FACT_FIELDS = (
    "event_id",
    "case_id",
    "day",
    "from_key",
    "to_key",
    "held_seconds",
    "bucket",
    "bounce",
)


def rebuild_forwards(chunk: int = 20_000) -> int:
    """All forward facts and sums from scratch (tables already empty); returns forwards."""
    case_ids = list(
        Event.objects.filter(kind=Event.Kind.FORWARDED, case__kind=CaseKind.REPORT)
        .order_by("case_id")
        .values_list("case_id", flat=True)
        .distinct()
    )
    deltas: dict[tuple[int, ...], list[int]] = {}
    count = 0
    for start in range(0, len(case_ids), chunk):
        histories = _histories(case_ids[start : start + chunk])
        facts = [fact for events in histories.values() for fact in facts_of_history(events)]
        _deltas(facts, +1, deltas)
        bulk_insert(
            "insights_forwardfact",
            FACT_FIELDS,
            [tuple(getattr(f, name) for name in FACT_FIELDS) for f in facts],
        )
        count += len(facts)
    rows = [(*key, *sums) for key, sums in sorted(deltas.items()) if any(sums)]
    for start in range(0, len(rows), 20_000):
        bulk_insert("insights_forwardrollup", (*KEYS, *SUMS), rows[start : start + 20_000])
    return count
