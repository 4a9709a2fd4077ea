"""Counters in Django's cache, shared by every gunicorn worker: fixed windows (`cache.add`
then `cache.incr`). The primitive under the intake limits (pracha.limits.ratelimit), the
login throttle, device ids issued per address and "me too" per case and address."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from pracha.config import Rate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int


def hit(bucket: str, ident: str, rate: Rate, *, now: float | None = None) -> Verdict:
    """Count one event for `ident` in `bucket`; over `rate.count` in the window is refused."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = _key(bucket, ident, rate, window)
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    try:
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.seconds + 1)
            count = 1
    except Exception:  # a cache outage must not lose reports: let the request through
        log.exception("rate limit cache unavailable; %s not counted", bucket)
        return Verdict(True, 0, rate.count, 0)
    return Verdict(count <= rate.count, count, rate.count, retry_after)


def peek(bucket: str, ident: str, rate: Rate, *, now: float | None = None) -> Verdict:
    """Like `hit` without counting: is `ident` already over the limit?"""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    try:
        count = int(cache.get(_key(bucket, ident, rate, window)) or 0)
    except Exception:
        log.exception("rate limit cache unavailable; %s not checked", bucket)
        return Verdict(True, 0, rate.count, 0)
    return Verdict(count < rate.count, count, rate.count, retry_after)


def reset(bucket: str, ident: str, rate: Rate, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    try:
        cache.delete(_key(bucket, ident, rate, int(now // rate.seconds)))
    except Exception:
        log.exception("rate limit cache unavailable; %s not reset", bucket)


def _key(bucket: str, ident: str, rate: Rate, window: int) -> str:
    digest = hashlib.sha256(ident.encode("utf-8", "replace")).hexdigest()[:32]
    return f"rl:{bucket}:{rate.seconds}:{window}:{digest}"
