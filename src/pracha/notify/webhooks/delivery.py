"""The webhook channel's sender: sign, POST, record the outcome, retry later with exponential
backoff (the outbox bookkeeping is pracha.notify.outbox's).

Each POST carries:
- `X-Pracha-Signature: sha256=<hex>`: HMAC-SHA256 of the raw body with the subscription's
  secret (compare it in constant time before trusting the body);
- `X-Pracha-Event-Id`: the event's UUID, the same on every retry (de-duplicate on it);
- `X-Pracha-Event`: the event type; `X-Pracha-Timestamp`: when this attempt was made (Unix
  seconds); `X-Pracha-Delivery-Attempt`: 1 for the first attempt.

A 2xx answer delivers the event. Anything else (an error status, a refused connection, a
timeout) is retried: 10 s after the first failure, doubling up to an hour between attempts
(PRACHA_WEBHOOK_RETRY_SECONDS, PRACHA_WEBHOOK_MAX_ATTEMPTS). Redirects are not followed,
except a 307/308 to the same scheme, host and port; anything else must be fixed in the
subscription's URL.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from pracha.notify.models import Channel, Delivery, WebhookDelivery
from pracha.notify.outbox import PassResult, Retry, Sender, prune, record
from pracha.notify.outbox import claim as claim_rows
from pracha.notify.webhooks.payload import ensure_body

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600
MAX_REDIRECTS = 3
MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "Pracha-Webhooks/1.0"
BATCH = 100


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_policy() -> Retry:
    return Retry(
        first_seconds=settings.PRACHA.webhook_retry_seconds,
        longest_seconds=MAX_BACKOFF_SECONDS,
        max_attempts=settings.PRACHA.webhook_max_attempts,
    )


def backoff_seconds(attempts: int, *, jitter: bool = True) -> float:
    """Wait after the `attempts`-th failure: base, 2 x base, 4 x base, ... at most an hour."""
    return retry_policy().wait(attempts, jitter=jitter)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str
    receiver_down: bool  # refused, timed out, 5xx or 429: other deliveries there would fail too


def _connection(
    scheme: str, host: str, port: int | None, timeout: float
) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(host, port, timeout=timeout)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST once (following at most a few same-origin 307/308 redirects)."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return Outcome(False, None, f"not an http(s) URL: {url[:200]}", False)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = _connection(parts.scheme, parts.hostname, parts.port, timeout)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(MAX_RESPONSE_BYTES)
            status, location = response.status, response.getheader("Location") or ""
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500], True)
        finally:
            connection.close()
        if 200 <= status < 300:
            return Outcome(True, status, "", False)
        if status in {307, 308} and location:
            target = urljoin(url, location)
            here, there = urlsplit(url), urlsplit(target)
            if (here.scheme, here.hostname, here.port) == (
                there.scheme,
                there.hostname,
                there.port,
            ):
                url = target
                continue
            return Outcome(
                False, status, f"redirected to another host ({target[:200]}); not followed", False
            )
        down = status >= 500 or status == 429
        return Outcome(False, status, f"HTTP {status} {response.reason}"[:500], down)
    return Outcome(False, None, "too many redirects", False)


def lease_seconds() -> int:
    return settings.PRACHA.webhook_timeout_seconds * (MAX_REDIRECTS + 1) + 30


def claim(delivery: Delivery, now: datetime) -> bool:
    """Take a due row for this worker (see pracha.notify.outbox.claim)."""
    return bool(claim_rows([delivery], now, timedelta(seconds=lease_seconds())))


def attempt(delivery: Delivery) -> Outcome:
    """Send one delivery now and record what happened."""
    subscription = delivery.subscription
    assert subscription is not None, "a webhook row has a subscription"
    attempt_number = delivery.attempts + 1
    try:
        body = ensure_body(delivery).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Pracha-Event": delivery.event_type,
            "X-Pracha-Event-Id": str(delivery.event_id),
            "X-Pracha-Timestamp": str(int(time.time())),
            "X-Pracha-Delivery-Attempt": str(attempt_number),
            "X-Pracha-Signature": signature(subscription.secret, body),
        }
        outcome = post(subscription.url, body, headers, settings.PRACHA.webhook_timeout_seconds)
    except DatabaseError:
        raise  # the database is away: the row is retried after its lease
    except Exception as exc:  # a bug must not stop the other deliveries; it shows in the admin
        log.exception("webhook %s could not be sent", delivery.event_id)
        outcome = Outcome(False, None, f"internal error: {type(exc).__name__}: {exc}"[:500], False)
    now = timezone.now()
    given_up = record(
        [delivery],
        now,
        ok=outcome.ok,
        retry=retry_policy(),
        status=outcome.status,
        error=outcome.error,
    )
    if given_up:
        log.warning(
            "webhook %s to %s given up after %d attempts: %s",
            delivery.event_id,
            subscription.url,
            attempt_number,
            outcome.error,
        )
    if not outcome.ok and outcome.receiver_down and not delivery.failed_at:
        # The receiver is down: hold its other due events until this one's next attempt
        # instead of spending a timeout on each of them now.
        WebhookDelivery.objects.due(now).filter(subscription_id=subscription.pk).exclude(
            pk=delivery.pk
        ).update(next_attempt_at=delivery.next_attempt_at)
    return outcome


def deliver_due(limit: int = BATCH) -> PassResult:
    """One pass: attempt every due delivery (oldest first, up to `limit`)."""
    result = PassResult()
    now = timezone.now()
    due = list(
        WebhookDelivery.objects.due(now)
        .filter(subscription__is_active=True)
        .select_related("subscription")
        .order_by("next_attempt_at", "id")[:limit]
    )
    for delivery in due:
        if not claim(delivery, now):
            continue
        outcome = attempt(delivery)
        if outcome.ok:
            result.delivered += 1
        else:
            result.failed += 1
    return result


def keep() -> timedelta:
    return timedelta(days=settings.PRACHA.webhook_keep_days)


def prune_delivered(now: datetime | None = None) -> int:
    """Forget deliveries sent more than PRACHA_WEBHOOK_KEEP_DAYS ago."""
    return prune(Channel.WEBHOOK, keep(), now)


def report(result: PassResult) -> str:
    return f"webhooks: {result.delivered} delivered, {result.failed} to retry"


SENDER = Sender(
    channel=Channel.WEBHOOK,
    what="webhook delivery",
    send_due=deliver_due,
    report=report,
    keep=keep,
    batch=BATCH,
)
