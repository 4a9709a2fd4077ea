"""Login throttling that slows password guessing without handing anyone a way to lock an
officer out.

Why no lockout: failures counted per username and address let anyone behind the officer's
address lock the officer out, and Thai mobile carriers put thousands of phones behind one
address (carrier-grade NAT); counted per username alone, anyone anywhere could. So:

- A username never locks. Its first PRACHA_LOGIN_FAILURES count of attempts (since its last
  success) are free; after that each attempt opens the next one only after a wait that
  doubles, 30 s, 60 s, ... at most the period. The count is kept for a day after the last
  attempt (not just the period), so a guesser who keeps trying stays at the longest wait
  instead of earning the free attempts back. Guessing becomes hopeless, the officer still
  gets in. The wait is a refusal (429 with Retry-After), never a sleeping worker.
- An address is refused only after PRACHA_LOGIN_FAILURES_PER_IP failures with any usernames,
  many more than one person makes.
- A device that signed in as this username before (a signed cookie set at each successful
  sign-in) skips both: failures from elsewhere never stop the officer at their own phone or
  PC. The device has its own limit (PRACHA_LOGIN_FAILURES per period), after which it is
  treated like any other, so a stolen cookie buys no extra guesses.
- Every refused attempt is in the audit log (auth.login_throttled).

Works for every login through `django.contrib.auth.authenticate` (the admin, the back office):
the backend claims the attempt's place, atomically, so parallel requests cannot slip past a
wait; the middleware answers the login forms with a readable 429 and sets the cookie.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from pracha.audit.log import audit
from pracha.config import Rate
from pracha.limits.counters import hit, peek, reset
from pracha.limits.device import address_ident

log = logging.getLogger(__name__)

IP_BUCKET = "login:ip"
DEVICE_BUCKET = "login:device"
FIRST_WAIT = 30  # seconds after the last free attempt; doubles with each attempt after it
# How long a username's count of attempts outlives its last attempt. Longer than the longest
# wait: were both to expire together, every wait at the cap would hand back the free attempts.
TRIES_MEMORY = 86400
DEVICE_COOKIE = "pracha_login_device"
DEVICE_COOKIE_AGE = 180 * 86400  # an officer away for a season signs in once the slow way
_DEVICE_SALT = "pracha.limits.login_throttle.device"
_DEVICE_USERS = 20  # a shared office PC remembers this many officers
_REFUSED = "_pracha_login_refused"
_VIA_DEVICE = "_pracha_login_via_device"
_SIGNED_IN = "_pracha_login_signed_in"


@dataclass(frozen=True)
class Refusal:
    retry_after: int
    limit: str  # "username" or "address"


# --- Known devices ------------------------------------------------------------------------


def _read_device(request: HttpRequest | None) -> dict[str, Any] | None:
    raw = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not raw or len(raw) > 4096:
        return None
    try:
        value = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    ok = isinstance(value, dict) and isinstance(value.get("d"), str)
    return value if ok and isinstance(value.get("u"), list) else None


def known_device(request: HttpRequest | None, username: str) -> str | None:
    """The id of the request's device when it has signed in as `username` before."""
    device = _read_device(request)
    return device["d"] if device is not None and _norm(username) in device["u"] else None


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Set (or extend) the known-device cookie after a successful sign-in as `username`."""
    device = _read_device(request) or {"d": secrets.token_urlsafe(16), "u": []}
    names = [_norm(username), *(u for u in device["u"] if u != _norm(username))]
    value = signing.dumps({"d": device["d"], "u": names[:_DEVICE_USERS]}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- The per-username wait ----------------------------------------------------------------


def _norm(username: str) -> str:
    return username.strip().lower()


def _user_keys(username: str) -> tuple[str, str]:
    digest = hashlib.sha256(_norm(username).encode("utf-8", "replace")).hexdigest()[:32]
    return f"login:tries:{digest}", f"login:next:{digest}"


def wait_after(attempt: int, rate: Rate) -> int:
    """Seconds before the attempt after `attempt` may go ahead (0 while attempts are free)."""
    if attempt < rate.count:
        return 0
    return min(rate.seconds, FIRST_WAIT * 2 ** min(attempt - rate.count, 20))


def _user_wait(username: str, now: float) -> int:
    """Seconds this username must still wait; 0 when an attempt may go ahead."""
    _, gate = _user_keys(username)
    opens = cache.get(gate)
    return max(1, math.ceil(float(opens) - now)) if opens is not None else 0


def _claim_user_attempt(username: str, rate: Rate, now: float) -> int:
    """Count this attempt; 0 when it may go ahead, else the seconds to wait."""
    tries_key, gate = _user_keys(username)
    memory = max(TRIES_MEMORY, rate.seconds)
    cache.add(tries_key, 0, timeout=memory)
    try:
        attempt = cache.incr(tries_key)
    except ValueError:  # expired between add and incr
        cache.set(tries_key, 1, timeout=memory)
        attempt = 1
    cache.touch(tries_key, memory)  # forgotten a day after the last attempt, or on success
    wait = wait_after(attempt, rate)
    # `add` is atomic: of parallel attempts only one opens the gate, the others wait.
    if wait == 0 or cache.add(gate, now + wait, timeout=wait):
        return 0
    with contextlib.suppress(ValueError):
        cache.decr(tries_key)  # a refused attempt tried no password: it must not add to the wait
    return _user_wait(username, now) or 1


def _forget_user(username: str) -> None:
    cache.delete_many(list(_user_keys(username)))


# --- Deciding -----------------------------------------------------------------------------


def lockout(request: HttpRequest | None, username: str) -> Refusal | None:
    """Would this attempt be refused? Counts nothing (the login forms' early answer)."""
    return _decide(request, username, claim=False)


def admit(request: HttpRequest | None, username: str) -> Refusal | None:
    """Count this attempt and decide: the Refusal, or None when the password may be checked."""
    return _decide(request, username, claim=True)


def _decide(request: HttpRequest | None, username: str, *, claim: bool) -> Refusal | None:
    config = settings.PRACHA
    user_rate, ip_rate = config.login_failures_per_user, config.login_failures_per_ip
    now = time.time()
    try:
        device = known_device(request, username)
        if device is not None:
            if user_rate is None:
                return None
            count = hit if claim else peek
            if count(DEVICE_BUCKET, f"{device}|{_norm(username)}", user_rate).allowed:
                if claim and request is not None:
                    setattr(request, _VIA_DEVICE, device)
                return None
            # This device failed too often itself: from here on it is like any other.
        if ip_rate is not None and request is not None:
            verdict = peek(IP_BUCKET, address_ident(request), ip_rate)
            if not verdict.allowed:
                return Refusal(verdict.retry_after, "address")
        if user_rate is None:
            return None
        wait = _claim_user_attempt(username, user_rate, now) if claim else _user_wait(username, now)
    except Exception:  # a cache outage must not keep every officer out
        log.exception("login throttle cache unavailable; attempt let through unchecked")
        return None
    return Refusal(wait, "username") if wait else None


def record_refusal(username: str, refusal: Refusal) -> None:
    audit(
        "auth.login_throttled",
        object_type="user",
        object_id=username[:150],
        detail={"limit": refusal.limit, "retry_after": refusal.retry_after},
    )


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend that refuses while a wait or limit holds.

    Raising PermissionDenied stops `authenticate()` at once: no password is checked.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if name is not None:
            refusal = admit(request, str(name))
            if refusal is not None:
                record_refusal(str(name), refusal)
                if request is not None:
                    setattr(request, _REFUSED, refusal)
                raise PermissionDenied("too many failed logins; try again later")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="login-throttle-count")
def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    """A wrong password counts against the address (usernames and devices count attempts)."""
    rate = settings.PRACHA.login_failures_per_ip
    if rate is not None and request is not None and not hasattr(request, _REFUSED):
        hit(IP_BUCKET, address_ident(request), rate)


@receiver(user_logged_in, dispatch_uid="login-throttle-reset")
def forget_failures(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """A success clears the device's count, or, from an unknown device, the username's wait
    (a success from a known device says nothing about failures elsewhere)."""
    rate = settings.PRACHA.login_failures_per_user
    username = user.get_username()
    device = getattr(request, _VIA_DEVICE, None) if request is not None else None
    if request is not None:
        setattr(request, _SIGNED_IN, username)
    if rate is None:
        return
    try:
        if device is not None:
            reset(DEVICE_BUCKET, f"{device}|{_norm(username)}", rate)
        else:
            _forget_user(username)
    except Exception:
        log.exception("login throttle cache unavailable; failures of a sign-in not cleared")


def login_paths() -> set[str]:
    paths = {resolve_url(settings.LOGIN_URL)}
    with contextlib.suppress(NoReverseMatch):
        paths.add(reverse("admin:login"))
    return paths


def too_many_logins(refusal: Refusal) -> HttpResponse:
    wait = refusal.retry_after
    if wait < 90:
        english, thai = f"{wait} seconds", f"{wait} วินาที"
    else:
        minutes = round(wait / 60)
        english, thai = f"about {minutes} minutes", f"ประมาณ {minutes} นาที"
    response = HttpResponse(
        f"Too many failed logins. Try again in {english}.\n"
        f"เข้าสู่ระบบผิดหลายครั้งเกินไป โปรดลองใหม่ในอีก {thai}\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


class LoginThrottleMiddleware:
    """On the login forms: answer a refused attempt with 429 and Retry-After (before the view
    when the wait is already known), and remember the device after a successful sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path not in login_paths():
            return self.get_response(request)
        username = request.POST.get("username", "")
        refusal = lockout(request, username)
        if refusal is not None:
            record_refusal(username, refusal)
            return too_many_logins(refusal)
        response = self.get_response(request)
        refused = getattr(request, _REFUSED, None)
        if refused is not None:  # a parallel attempt took the place first
            return too_many_logins(refused)
        signed_in = getattr(request, _SIGNED_IN, None)
        if signed_in is not None:
            remember_device(request, response, signed_in)
        return response
