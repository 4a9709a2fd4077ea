"""The inbox: webhook events stored as LINE sent them, then handled one by one.

`do_store_delivery` checks the signature with the SDK's own parser and stores each event,
unique on its webhookEventId, before the webhook answers 200: a redelivered or repeated event
is stored once and so handled once, and an event stored before a crash is still handled.
`process_pending` handles what is stored and not yet handled, in the order the events
happened, each in one transaction with the user's conversation locked, then sends the
answers. The webhook calls it for its own events right after the commit (once its 200 has
gone out); the notify worker's LINE pass calls it for whatever a crash or an error left.
"""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from linebot.v3 import WebhookParser

from pracha.cases.errors import DomainError
from pracha.cases.services.photos import check_photo
from pracha.line.messages import text
from pracha.line.models import Conversation, InboxEvent, Outgoing
from pracha.line.services import outgoing
from pracha.line.services.accounts import conversation_for, line_language
from pracha.line.services.conversation import (
    Incoming,
    do_reset,
    draft_window,
    handle,
    read_postback,
)
from pracha.line.words import say
from pracha.notify import line_api

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FETCH_PAUSES = (0.3, 1.0)  # seconds between tries of a photo download
PER_PASS = 200
MESSAGE_KINDS = {"text", "image", "location"}
KEEP = timedelta(days=7)
PRUNE_EVERY_SECONDS = 3600


class BadDelivery(ValueError):
    """A delivery with a valid signature but a body that is no webhook payload."""


def do_store_delivery(body: str, signature: str) -> list[str]:
    """Check the signature (the SDK raises InvalidSignatureError) and store the events; the
    LINE user ids they are from."""
    WebhookParser(settings.PRACHA.line_channel_secret).parse(body, signature)
    try:
        events = json.loads(body).get("events", [])
    except (ValueError, AttributeError) as exc:
        raise BadDelivery("the body is not a LINE webhook payload") from exc
    if not isinstance(events, list):
        raise BadDelivery("events must be a list")
    rows = [row for raw in events if isinstance(raw, dict) and (row := _row(raw)) is not None]
    with transaction.atomic():
        InboxEvent.objects.bulk_create(rows, ignore_conflicts=True)
    return sorted({r.user_id for r in rows if r.user_id})


def _row(raw: dict[str, Any]) -> InboxEvent | None:
    event_id = str(raw.get("webhookEventId") or "")
    if not event_id or len(event_id) > 64:
        return None
    source = raw.get("source") or {}
    context = raw.get("deliveryContext") or {}
    return InboxEvent(
        webhook_event_id=event_id,
        user_id=str(source.get("userId") or "")[:64] if isinstance(source, dict) else "",
        event_type=str(raw.get("type") or "")[:40],
        body=raw,
        occurred_at=_moment(raw.get("timestamp")),
        redelivered=bool(isinstance(context, dict) and context.get("isRedelivery")),
    )


def _moment(millis: object) -> datetime:
    try:
        return datetime.fromtimestamp(int(str(millis)) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def incoming(row: InboxEvent) -> Incoming:
    """What the conversation needs of a stored event (photos not fetched yet)."""
    raw = row.body if isinstance(row.body, dict) else {}
    kind = row.event_type
    message = raw.get("message") or {}
    if kind == "message" and isinstance(message, dict):
        sort = str(message.get("type") or "")
        found = Incoming(
            kind=sort if sort in MESSAGE_KINDS else "other", occurred_at=row.occurred_at
        )
        found.message_id = str(message.get("id") or "")
        found.text = str(message.get("text") or "")
        if sort == "location":
            try:
                found.lat = float(message["latitude"])
                found.lon = float(message["longitude"])
            except (KeyError, TypeError, ValueError):
                found.lat = found.lon = None
            parts = [str(message.get(k) or "") for k in ("title", "address")]
            found.address = " ".join(p for p in parts if p)
        return found
    if kind == "postback":
        data = (raw.get("postback") or {}).get("data", "")
        return Incoming(kind="postback", occurred_at=row.occurred_at, data=read_postback(str(data)))
    if kind in {"follow", "unfollow"}:
        return Incoming(kind=kind, occurred_at=row.occurred_at)
    return Incoming(kind="ignored", occurred_at=row.occurred_at)


def fetch_photo(found: Incoming, language: str) -> None:
    """Download the photo (retried), and check it as an upload is checked."""
    for pause in (*FETCH_PAUSES, None):
        try:
            data, content_type = line_api.message_content(found.message_id)
        except line_api.LineCallFailed as exc:
            log.info("LINE photo download failed (%s)", exc)
            if pause is None:
                found.photo_error = say("photo_unreachable", language)
                return
            time.sleep(pause)
            continue
        break
    if content_type and not content_type.startswith("image/"):
        found.photo_error = content_type
        return
    try:
        check_photo(io.BytesIO(data), len(data))
    except DomainError as exc:
        found.photo_error = exc.message
        return
    found.photo = data


def process_one(pk: int) -> None:
    row = InboxEvent.objects.filter(pk=pk, processed_at__isnull=True).first()
    if row is None:
        return
    found = incoming(row)
    try:
        conversation = None
        if row.user_id and found.kind != "ignored":
            known = Conversation.objects.filter(user_id=row.user_id).first()
            language = known.language if known else line_language(row.user_id)
            conversation = conversation_for(row.user_id, language)
            if found.kind == "image":
                fetch_photo(found, conversation.language)
        with transaction.atomic():
            locked = InboxEvent.objects.select_for_update().get(pk=pk)
            if locked.processed_at is not None:
                return  # handled meanwhile by another process
            if conversation is not None:
                held = (
                    Conversation.objects.select_for_update(of=("self",))
                    .select_related("citizen")
                    .get(pk=conversation.pk)
                )
                answers = handle(held, found)
                outgoing.do_answer(
                    row.user_id,
                    answers,
                    event=locked,
                    reply_token=str(row.body.get("replyToken") or ""),
                    occurred_at=row.occurred_at,
                )
            locked.processed_at = timezone.now()
            locked.attempts += 1
            locked.save(update_fields=["processed_at", "attempts"])
    except DatabaseError:
        raise
    except Exception as exc:
        log.exception("could not handle LINE event %s", row.webhook_event_id)
        gave_up = row.attempts + 1 >= MAX_ATTEMPTS
        InboxEvent.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            processed_at=timezone.now() if gave_up else None,
        )


def expire_drafts(now: datetime | None = None) -> int:
    """Half-way reports left longer than PRACHA_LINE_DRAFT_MINUTES: forgotten, with a word."""
    now = now or timezone.now()
    cutoff = now - draft_window()
    expired = 0
    stale = Conversation.objects.filter(started_at__isnull=False, updated_at__lt=cutoff)
    for pk in list(stale.values_list("pk", flat=True)[:PER_PASS]):
        with transaction.atomic():
            held = Conversation.objects.select_for_update().filter(pk=pk).first()
            if held is None or not held.has_draft or held.updated_at >= cutoff:
                continue
            do_reset(held, now)
            outgoing.do_answer(held.user_id, [text(say("expired", held.language))])
            expired += 1
    return expired


def process_pending(user_id: str | None = None, now: datetime | None = None) -> int:
    """Handle stored events not handled yet (of one user, or all), oldest first, then send
    the answers due; how many events were handled. Safe to run from several processes."""
    if user_id is None:
        expire_drafts(now)
        prune_now()
    rows = InboxEvent.objects.filter(processed_at__isnull=True)
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    pks = list(rows.order_by("occurred_at", "pk").values_list("pk", flat=True)[:PER_PASS])
    for pk in pks:
        process_one(pk)
    if line_api.configured():
        outgoing.send_due(user_id=user_id)
    return len(pks)


def prune_inbox(keep: timedelta = KEEP, now: datetime | None = None) -> int:
    """Forget handled events and sent answers after a week (their texts are personal data)."""
    cutoff = (now or timezone.now()) - keep
    deleted, _ = InboxEvent.objects.filter(processed_at__lt=cutoff).delete()
    answers, _ = Outgoing.objects.filter(created_at__lt=cutoff).exclude(sent_at=None).delete()
    return deleted + answers


_last_prune = -1e9


def prune_now() -> None:
    """Prune at most once an hour per process (the worker calls process_pending every second)."""
    global _last_prune
    if time.monotonic() - _last_prune > PRUNE_EVERY_SECONDS:
        _last_prune = time.monotonic()
        prune_inbox()
