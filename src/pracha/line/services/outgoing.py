"""Chat answers: written with the handling of the event they answer, sent after the commit.

An answer goes out with the event's reply token while it is fresh (free, but single-use and
good for about a minute); an expired or refused token falls back to a push, which carries
the answer's own X-Line-Retry-Key on every try, so LINE shows it once however often it is
retried. A failed push waits (longer each time) for the worker's next pass; a 429 waits for
LINE's Retry-After.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from pracha.line.messages import as_dicts, from_dicts
from pracha.line.models import InboxEvent, Outgoing
from pracha.notify import line_api

log = logging.getLogger(__name__)

REPLY_WINDOW = timedelta(seconds=50)  # LINE keeps a reply token about a minute
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 10
FIRST_RETRY_SECONDS = 15
LONGEST_RETRY_SECONDS = 1800


def do_answer(
    user_id: str,
    messages: list[Any],
    *,
    event: InboxEvent | None = None,
    reply_token: str = "",
    occurred_at: datetime | None = None,
) -> Outgoing | None:
    """Queue an answer (inside the transaction that handled the event); at most 5 messages."""
    if not messages or not user_id:
        return None
    return Outgoing.objects.create(
        user_id=user_id,
        inbox_event=event,
        reply_token=reply_token,
        reply_before=(occurred_at + REPLY_WINDOW) if reply_token and occurred_at else None,
        messages=as_dicts(messages[:5]),
    )


def _take(row: Outgoing, now: datetime) -> bool:
    """Lease the row so the in-request sender and the worker never send it both."""
    taken = Outgoing.objects.filter(
        pk=row.pk, sent_at__isnull=True, failed_at__isnull=True, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=now + LEASE)
    return taken == 1


def send(row: Outgoing, now: datetime | None = None) -> bool:
    """Try to send one answer; True once it went out."""
    now = now or timezone.now()
    if row.sent_at or row.failed_at or not _take(row, now):
        return bool(row.sent_at)
    messages = from_dicts(row.messages)
    if row.reply_token and row.attempts == 0 and row.reply_before and now < row.reply_before:
        try:
            line_api.reply(row.reply_token, messages)
        except line_api.LineCallFailed as exc:
            log.info("reply refused (%s); pushing instead", exc)
        else:
            _sent(row, now, "reply")
            return True
    try:
        line_api.push(row.user_id, messages, row.retry_key)
    except line_api.LineCallFailed as exc:
        _failed(row, now, exc)
        return False
    _sent(row, now, "push")
    return True


def _sent(row: Outgoing, now: datetime, how: str) -> None:
    Outgoing.objects.filter(pk=row.pk).update(
        sent_at=now, sent_by=how, attempts=row.attempts + 1, last_error=""
    )
    row.sent_at, row.sent_by = now, how


def _failed(row: Outgoing, now: datetime, exc: line_api.LineCallFailed) -> None:
    attempts = row.attempts + 1
    wait = min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1))
    if exc.rate_limited and exc.retry_after:
        wait = exc.retry_after
    changes: dict[str, object] = {"attempts": attempts, "last_error": str(exc)[:1000]}
    if attempts >= MAX_ATTEMPTS:
        changes["failed_at"] = now
        log.error("gave up a LINE answer after %s attempts: %s", attempts, exc)
    else:
        changes["next_attempt_at"] = now + timedelta(seconds=wait)
    Outgoing.objects.filter(pk=row.pk).update(**changes)
    row.attempts = attempts


def send_due(now: datetime | None = None, user_id: str | None = None) -> int:
    """Send the answers due now (of one user, or all), oldest first; how many went out."""
    now = now or timezone.now()
    rows = Outgoing.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    )
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    sent = 0
    for row in list(rows.order_by("created_at", "pk")[:200]):
        try:
            sent += int(send(row, now))
        except DatabaseError:
            raise
        except Exception:
            log.exception("could not send a LINE answer")
    return sent
