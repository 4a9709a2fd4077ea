"""The one outbox of every channel: rows written with the change, taken with a lease, marked
sent, retried with backoff, given up after a number of attempts.

A row is written in the transaction that stores what it tells of (a timeline event, an
alert), from a post_save receiver (pracha.notify.receivers): either the change and its
messages are stored, or neither is. A worker then takes due rows (`claim`), sends them
through their channel's sender and records the outcome (`record`). What a row means and how
it is sent belongs to the channel (pracha.notify.webhooks.delivery, pracha.notify.email);
the bookkeeping is here, once, for all of them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Q
from django.utils import timezone

from pracha.inserts import insert_new
from pracha.notify.models import Delivery

Row = TypeVar("Row", bound=Delivery)


@dataclass(frozen=True)
class Retry:
    """When to try again after a failure, and when to give up.

    The wait after the n-th failure is `first_seconds` doubled n-1 times, at most
    `longest_seconds` (with ±20 % jitter, so rows that failed together spread out).
    """

    first_seconds: float
    longest_seconds: float
    max_attempts: int
    jitter: bool = True

    def wait(self, attempts: int, *, jitter: bool | None = None) -> float:
        wait = min(self.longest_seconds, self.first_seconds * 2 ** max(0, attempts - 1))
        spread = self.jitter if jitter is None else jitter
        return wait * random.uniform(0.8, 1.2) if spread else float(wait)


@dataclass
class PassResult:
    """What one pass of a channel's sender did."""

    delivered: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.failed


@dataclass(frozen=True)
class Sender:
    """A channel as the worker sees it (each sender module defines one)."""

    channel: str
    what: str  # names the channel's loop in logs: "webhook delivery", "reporter e-mail"
    send_due: Callable[[], PassResult]  # one pass over the channel's due rows
    report: Callable[[PassResult], str]  # a line saying what a pass did
    keep: Callable[[], timedelta]  # how long sent rows stay listed
    batch: int  # a pass that attempted this many rows may have left more due at once


def queue(channel: str, rows: Iterable[dict[str, Any]]) -> list[Delivery]:
    """Outbox rows on `channel` (one per dict of fields), due now. Call it inside the
    transaction of the change they tell of."""
    now = timezone.now()
    return insert_new(
        [Delivery(channel=channel, created_at=now, next_attempt_at=now, **row) for row in rows]
    )


def claim(rows: Sequence[Row], now: datetime, lease: timedelta) -> list[Row]:
    """Take these rows for this worker; returns those it got.

    Only a row nobody has changed since it was read is taken (its `next_attempt_at` is still
    the one read), so two workers never take the same row. Taking it moves its next attempt
    one lease ahead: no other worker takes it meanwhile, and if this one dies mid-send the
    row is taken again once the lease has run out (at worst a message goes out twice, never
    is it lost).
    """
    if not rows:
        return []
    token = uuid.uuid4()
    until = now + lease
    seen = Q()
    for row in rows:
        seen |= Q(pk=row.pk, next_attempt_at=row.next_attempt_at)
    Delivery.objects.pending().filter(seen).update(claim=token, next_attempt_at=until)
    taken = set(Delivery.objects.filter(claim=token).values_list("pk", flat=True))
    chosen = []
    for row in rows:
        if row.pk in taken:
            row.claim, row.next_attempt_at = token, until
            chosen.append(row)
    return chosen


def record(
    rows: Iterable[Row],
    now: datetime,
    *,
    ok: bool,
    retry: Retry,
    status: int | None = None,
    error: str = "",
) -> list[Row]:
    """Record an attempt at sending `rows` (taken by `claim`): sent, or failed and due again
    after the channel's backoff, or given up after its last attempt. Returns the rows given
    up. A row another worker has taken since (this worker's lease ran out) is left to it."""
    given_up: list[Row] = []
    for row in rows:
        attempts = row.attempts + 1
        changes: dict[str, object] = {
            "attempts": attempts,
            "last_attempt_at": now,
            "last_status": status,
            "last_error": error[:2000],
            "claim": None,
        }
        if ok:
            changes["delivered_at"] = now
        elif attempts >= retry.max_attempts:
            changes["failed_at"] = now
            given_up.append(row)
        else:
            changes["next_attempt_at"] = now + timedelta(seconds=retry.wait(attempts))
        mine = Delivery.objects.filter(pk=row.pk)
        if row.claim is not None:
            mine = mine.filter(claim=row.claim)
        mine.update(**changes)
        for name, value in changes.items():
            setattr(row, name, value)
    return given_up


def prune(channel: str, keep: timedelta, now: datetime | None = None) -> int:
    """Forget the channel's rows sent longer ago than `keep`; how many."""
    cutoff = (now or timezone.now()) - keep
    deleted, _ = Delivery.objects.on(channel).filter(delivered_at__lt=cutoff).delete()
    return deleted
