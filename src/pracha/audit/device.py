"""Which device, and which citizen, a request comes from: the identities rate limits and
"me too" count by, rather than the client address that thousands of phones share behind a
mobile carrier's NAT.

A device id is a random value signed with SECRET_KEY (Django's signing), so a client cannot
invent one or take another's by guessing: a forged or altered id counts as none. Pages carry
it in the `pracha_device` cookie; API and app clients send it back in the `X-Device-Token`
header. A request that brings none gets one issued on its answer (cookie and header).
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from pracha.audit.context import client_ip

COOKIE = "pracha_device"
HEADER = "X-Device-Token"
_SALT = "pracha.audit.device"
_MAX_CHARS = 200  # a signed id is ~50 characters; anything far longer is not one of ours
_COOKIE_AGE = 2 * 365 * 86400
_UNSET = object()


def new_device_token() -> str:
    """A fresh signed device id, as sent to the client."""
    return signing.Signer(salt=_SALT).sign(secrets.token_urlsafe(16))


def read_device_token(token: str | None) -> str | None:
    """The device id inside a signed token; None when missing, altered or forged."""
    if not token or len(token) > _MAX_CHARS:
        return None
    try:
        return signing.Signer(salt=_SALT).unsign(token.strip())
    except signing.BadSignature:
        return None


def device_id(request: HttpRequest) -> str | None:
    """The request's verified device id (the header wins over the cookie); None without one."""
    cached = getattr(request, "_pracha_device", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    found = read_device_token(request.headers.get(HEADER)) or read_device_token(
        request.COOKIES.get(COOKIE)
    )
    request._pracha_device = found  # type: ignore[attr-defined]
    return found


def ensure_device_id(request: HttpRequest) -> str:
    """The request's device id, issuing one now if it has none (sent with the answer).

    For what must be tied to a device from the first request on, such as the reporter's own
    case; rate limits still count this request as one without a device id."""
    found = device_id(request)
    if found is not None:
        return found
    token = getattr(request, "_pracha_issued", None) or new_device_token()
    request._pracha_issued = token  # type: ignore[attr-defined]
    return read_device_token(token) or ""


def reporter_ident(request: HttpRequest) -> str:
    """Who files a report, as `person_ident` names them, never a (shared) address."""
    return citizen_ident(request) or f"device:{ensure_device_id(request)}"


def citizen_ident(request: HttpRequest) -> str | None:
    """The signed-in citizen's id, or None.

    The seam for citizen accounts (a later issue): their authentication sets
    `request.citizen`, and rate limits and "me too" then count the person, not the device.
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
            token = getattr(request, "_pracha_issued", None) or new_device_token()
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
