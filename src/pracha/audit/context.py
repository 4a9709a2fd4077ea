"""Who is acting and from where: the current request, or a label set by a command.

The middleware keeps the request in a context variable so that audit entries written deep
inside services and signal receivers still know the user, the API key and the address.
"""

from __future__ import annotations

import getpass
import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("pracha_audit_request", default=None)
_label: ContextVar[str | None] = ContextVar("pracha_audit_label", default=None)
# Writes kept until the request's transactions are over (see pracha.audit.log.audit_refusal).
_after_request: ContextVar[list[Callable[[], object]] | None] = ContextVar(
    "pracha_audit_after_request", default=None
)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        pending = _after_request.set([])
        try:
            return self.get_response(request)
        finally:
            for write in _after_request.get() or []:
                write()
            _after_request.reset(pending)
            _request.reset(token)


def after_request(write: Callable[[], object]) -> bool:
    """Run `write` once the current request is answered; False outside a request."""
    writes = _after_request.get()
    if writes is None:
        return False
    writes.append(write)
    return True


def current_request() -> HttpRequest | None:
    return _request.get()


@contextmanager
def acting_as(label: str) -> Iterator[None]:
    """Name the actor for audit entries written outside a request (commands, jobs)."""
    token = _label.set(label)
    try:
        yield
    finally:
        _label.reset(token)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind PRACHA_PROXY_COUNT proxies, taken from X-Forwarded-For.

    Only the entries the trusted proxies appended count: a client can put anything at the
    front of the header, so the address is the one `proxy_count` places from the end.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.PRACHA.proxy_count
    candidate = remote
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if forwarded:
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    for value in (candidate, remote):
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Who:
    user: object | None
    label: str
    api_key_prefix: str
    ip: str | None


def current_actor() -> Who:
    """The user (session or API key), a readable label, the key's prefix and the address."""
    request = current_request()
    if request is None:
        label = _label.get() or f"command line ({_os_user()})"
        return Who(None, label, "", None)
    ip = client_ip(request)
    key = getattr(request, "auth", None)
    prefix = getattr(key, "prefix", "") or ""
    user = getattr(key, "user", None) if prefix else None
    session_user = getattr(request, "user", None)
    if user is None and session_user is not None and session_user.is_authenticated:
        user = session_user
    if user is not None:
        label = user.get_username()
    elif prefix:
        label = f"API key {prefix}…"
    elif (citizen_pk := getattr(getattr(request, "citizen", None), "pk", None)) is not None:
        label = f"citizen #{citizen_pk}"  # signed in to a citizen account (pracha.citizens)
    else:
        label = _label.get() or "anonymous"
    return Who(user, label, prefix, ip)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
