"""Which device, and which citizen, a request comes from: the identities rate limits and
"me too" count by, rather than the client address that thousands of phones share behind a
mobile carrier's NAT.

A device id is a random value signed with SECRET_KEY (Django's signing), so a client cannot
invent one or take another's by guessing: a forged or altered id counts as none. Pages carry
it in the `pracha_device` cookie; API and app clients send it back in the `X-Device-Token`
header. A request that brings none gets one issued on its answer (cookie and header).

Ids are cheap to get, so they are also rationed: the signature carries when the id was issued,
an id younger than PRACHA_DEVICE_MIN_AGE_SECONDS counts as none for the report limits (a
script cannot file each report with a fresh id), and one address is issued at most
PRACHA_RATE_NEW_DEVICES_PER_IP new ids; beyond that its clients get none and share the strict
bucket of requests without one. Both hold only while report limits per address are on.
"""

from __future__ import annotations

import ipaddress
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from pracha.audit.context import client_ip
from pracha.limits.counters import hit

COOKIE = "pracha_device"
HEADER = "X-Device-Token"
_SALT = "pracha.limits.device"
_MAX_CHARS = 200  # a signed id is ~50 characters; anything far longer is not one of ours
_COOKIE_AGE = 2 * 365 * 86400
_UNSET = object()
NEW_DEVICES_BUCKET = "devices:new"


class _Signer(signing.TimestampSigner):
    """Django's timestamped signer with the issue time given (tests issue aged ids)."""

    def __init__(self, issued_at: float | None = None) -> None:
        super().__init__(salt=_SALT)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        when = time.time() if self.issued_at is None else self.issued_at
        return signing.b62_encode(int(when))


def new_device_token(issued_at: float | None = None) -> str:
    """A fresh signed device id, as sent to the client; it says when it was issued."""
    return _Signer(issued_at).sign(secrets.token_urlsafe(16))


def _read(token: str | None) -> tuple[str, int] | None:
    """(device id, issue time) of a signed token; None when missing, altered or forged."""
    if not token or len(token) > _MAX_CHARS:
        return None
    token = token.strip()
    try:
        value = _Signer().unsign(token)
    except (signing.BadSignature, ValueError):  # ValueError: signed but without a time
        return None
    return value, signing.b62_decode(token.rsplit(":", 2)[1])


def read_device_token(token: str | None) -> str | None:
    """The device id inside a signed token; None when missing, altered or forged."""
    found = _read(token)
    return None if found is None else found[0]


def _device(request: HttpRequest) -> tuple[str, int] | None:
    # Cached on the request, in its __dict__: HttpRequest declares no such attribute.
    cached = request.__dict__.get("_pracha_device", _UNSET)
    if cached is not _UNSET:
        return cached
    found = _read(request.headers.get(HEADER)) or _read(request.COOKIES.get(COOKIE))
    request.__dict__["_pracha_device"] = found
    return found


def device_id(request: HttpRequest) -> str | None:
    """The request's verified device id (the header wins over the cookie); None without one."""
    found = _device(request)
    return None if found is None else found[0]


def device_is_new(request: HttpRequest) -> bool:
    """Whether the request's device id was issued less than PRACHA_DEVICE_MIN_AGE_SECONDS ago."""
    found = _device(request)
    min_age = settings.PRACHA.device_min_age_seconds
    return found is not None and time.time() - found[1] < min_age


def issue_device_token(request: HttpRequest) -> str | None:
    """A new signed id for this request's answer; None once its address has had its share."""
    issued = request.__dict__.get("_pracha_issued", _UNSET)  # cached as in _device()
    if issued is _UNSET:
        issued = new_device_token() if _may_issue(request) else None
        request.__dict__["_pracha_issued"] = issued
    return issued


def _may_issue(request: HttpRequest) -> bool:
    config = settings.PRACHA
    rate = config.rate_new_devices_per_ip
    if rate is None or config.rate_reports_per_ip is None:  # `off` switches it off too
        return True
    return hit(NEW_DEVICES_BUCKET, address_ident(request), rate).allowed


def ensure_device_id(request: HttpRequest) -> str | None:
    """The request's device id, issuing one now if it has none (sent with the answer); None
    when its address has been issued its share of new ids.

    For what must be tied to a device from the first request on, such as the reporter's own
    case; rate limits still count this request as one without a device id."""
    return device_id(request) or read_device_token(issue_device_token(request))


def reporter_ident(request: HttpRequest) -> str:
    """Who files a report, as `person_ident` names them; the address only when no device id
    could be issued (which `do_note_reporter` ignores: it never blocks a shared address)."""
    citizen = citizen_ident(request)
    if citizen is not None:
        return citizen
    device = ensure_device_id(request)
    return f"device:{device}" if device else f"address:{address_ident(request)}"


def citizen_ident(request: HttpRequest) -> str | None:
    """The signed-in citizen's id, or None.

    Citizen accounts (pracha.citizens) set `request.citizen`: the API from a citizen token,
    the pages from the session; rate limits and "me too" then count the person, not the
    device. pracha.cases.services.claims.citizen_person names a citizen the same way.
    """
    citizen = getattr(request, "citizen", None)
    pk = getattr(citizen, "pk", None)
    return None if pk is None else f"citizen:{pk}"


def address_ident(request: HttpRequest) -> str:
    """The client address as counted: IPv4 as is, IPv6 by its /64 network."""
    ip = client_ip(request) or "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def person_ident(request: HttpRequest) -> str:
    """Who a request stands for, for one-per-person actions ("me too"): the signed-in citizen,
    else the device, else (no device id) the address, so dropping the cookie does not help."""
    device = device_id(request)
    return (
        citizen_ident(request)
        or (f"device:{device}" if device else None)
        or f"address:{address_ident(request)}"
    )


class DeviceMiddleware:
    """Issue a device id to a client that has none, on pages and on anything it sends.

    Plain GETs of the JSON API and open data get none, so their answers stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if device_id(request) is None and _wants_device(request, response):
            token = issue_device_token(request)
            if token is None:  # the address's share is used up: no id, the strict bucket
                return response
            response.set_cookie(
                COOKIE,
                token,
                max_age=_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            response[HEADER] = token
        return response


def _wants_device(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method not in {"GET", "HEAD", "OPTIONS"}:
        return True
    return response.get("Content-Type", "").startswith("text/html")
