"""Rate limits on intake, counted in Django's cache so every gunicorn worker shares them.

Use `@rate_limited("reports")` on a Django view, or `@decorate_view(rate_limited("reports"))`
under a django-ninja route decorator; both answer JSON. A page or an XML API that wants its
own 429 calls `over_limit(request, "reports")` and renders the Refusal it returns.

Thai mobile carriers put thousands of phones behind one public address, so the address is
only a high ceiling. A request with a valid API key is counted against that key (partner
systems). Any other request is counted twice, the narrower bucket first:
  1. its signed-in citizen, else its signed device id (pracha.limits.device), else a strict
     bucket shared by every request from its address that brings no device id (so dropping
     the cookie does not escape the limit); for reports, a device id issued minutes ago
     counts as none (so minting a fresh id for each report does not escape it either);
  2. its client address (IPv6 by /64, the block one household gets).
A request refused by its own bucket does not use up the address's ceiling, so one hammering
phone cannot lock out its neighbours. Over a limit the answer is 429 with `Retry-After`.
Limits come from PRACHA_RATE_* settings; `off` disables one, and `off` on the address limit
(PRACHA_RATE_REPORTS_PER_IP) switches every limit on requests without an API key off.

Counting uses fixed windows (`cache.add` then `cache.incr`). With the database or file cache
two workers may occasionally both count the same number, so a burst can exceed the limit
by a request or two; Redis (CACHE_URL=redis://...) counts exactly.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from pracha.agencies.models import ApiKey, hash_key
from pracha.config import Rate
from pracha.limits.counters import hit
from pracha.limits.device import address_ident, citizen_ident, device_id, device_is_new

log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Scope:
    """What one kind of intake is counted by: Config fields `rate_<name>_<kind>`."""

    name: str
    label: str  # as in "at most 20 reports per 10 minutes"
    new_device_is_none: bool = False  # a device id younger than the minimum age counts as none

    def rate(self, kind: str) -> Rate | None:
        rate: Rate | None = getattr(settings.PRACHA, f"rate_{self.name}_{kind}")
        return rate


SCOPES = {
    "reports": Scope("reports", "reports", new_device_is_none=True),
    "photos": Scope("photos", "photos"),
    "metoo": Scope("metoo", "me-toos"),
    # Sign-in codes (pracha.citizens): also limited per e-mail address, in the database.
    "signin": Scope("signin", "sign-in codes"),
}


def api_key_prefix(request: HttpRequest) -> str | None:
    """The prefix of a valid, active API key on the request (read-only lookup)."""
    auth = request.headers.get("Authorization", "")
    raw = request.headers.get("X-API-Key") or (
        auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    )
    if not raw or len(raw) > 200:
        return None
    return (
        ApiKey.objects.active().filter(key_hash=hash_key(raw)).values_list("prefix", flat=True)
    ).first()


@dataclass(frozen=True)
class Refusal:
    """Why a request is over its limit: for a 429 page or answer of your own."""

    detail: str
    retry_after: int


@dataclass(frozen=True)
class Bucket:
    rate: Rate | None
    name: str
    ident: str
    who: str  # for the message: "from this device"


def buckets(request: HttpRequest, scope: str) -> list[Bucket]:
    """The buckets this request is counted in, narrowest first."""
    limits = SCOPES[scope]
    ip_rate, key_rate = limits.rate("per_ip"), limits.rate("per_key")
    if ip_rate is None and key_rate is None:
        return []
    prefix = api_key_prefix(request)
    if prefix is not None:
        return [Bucket(key_rate, f"{scope}:key", prefix, "from this API key")]
    if ip_rate is None:  # `off` for addresses: no limit on requests without an API key
        return []
    address = address_ident(request)
    citizen, device = citizen_ident(request), device_id(request)
    if citizen is not None:
        own = Bucket(limits.rate("per_citizen"), f"{scope}:citizen", citizen, "from your account")
    elif device is not None and not (limits.new_device_is_none and device_is_new(request)):
        own = Bucket(limits.rate("per_device"), f"{scope}:device", device, "from this device")
    else:
        own = Bucket(
            limits.rate("no_device"),
            f"{scope}:nodevice",
            address,
            "from your address without a device id, or with one issued minutes ago "
            "(keep cookies on, or send X-Device-Token)",
        )
    return [own, Bucket(ip_rate, f"{scope}:ip", address, "from your address")]


def over_limit(request: HttpRequest, scope: str) -> Refusal | None:
    """Count this request in its buckets; a Refusal from the first one it is over."""
    for bucket in buckets(request, scope):
        if bucket.rate is None:
            continue
        verdict = hit(bucket.name, bucket.ident, bucket.rate)
        if not verdict.allowed:
            return Refusal(
                f"too many requests {bucket.who}: at most {verdict.limit} "
                f"{SCOPES[scope].label} per {period_words(bucket.rate)}; "
                f"try again in {verdict.retry_after} s",
                verdict.retry_after,
            )
    return None


def case_limit_address(request: HttpRequest, scope: str) -> str | None:
    """The address to count per case ("me too"), or None: an API key has its own budget, and
    `off` for addresses switches this off as well."""
    if SCOPES[scope].rate("per_ip") is None or api_key_prefix(request) is not None:
        return None
    return address_ident(request)


def check_rate_limit(request: HttpRequest, scope: str) -> HttpResponse | None:
    """None when the request may go on; otherwise the JSON 429 answer to send."""
    refusal = over_limit(request, scope)
    return None if refusal is None else too_many_requests(refusal.detail, refusal.retry_after)


def too_many_requests(detail: str, retry_after: int) -> HttpResponse:
    body = json.dumps({"detail": detail, "code": "rate_limited"}, ensure_ascii=False)
    response = HttpResponse(body, status=429, content_type="application/json")
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(
    scope: str, exempt: Callable[[HttpRequest], bool] | None = None
) -> Callable[[View], View]:
    """Decorator: refuse with 429 once the request's key or address is over `scope`'s limit.

    `exempt(request)` true lets a request through uncounted (a retry of a stored request,
    which writes nothing, must get its original answer however busy the client has been)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown rate limit scope {scope!r}; known: {', '.join(SCOPES)}")

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request = next((a for a in args if isinstance(a, HttpRequest)), None)
            if (
                request is not None
                and request.method not in {"GET", "HEAD", "OPTIONS"}
                and not (exempt is not None and exempt(request))
            ):
                refusal = check_rate_limit(request, scope)
                if refusal is not None:
                    return refusal
            return view(*args, **kwargs)

        return cast(View, wrapper)

    return decorate


def period_words(rate: Rate) -> str:
    for unit, seconds in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if rate.seconds % seconds == 0:
            amount = rate.seconds // seconds
            return f"{amount} {unit}s" if amount > 1 else unit
    return f"{rate.seconds} seconds"
