"""Login throttling: after repeated failures a username (from one address), or an address,
must wait before trying again.

Works for every login that goes through `django.contrib.auth.authenticate` (the admin, the
officers' back office): the backend refuses while the limit holds, and the middleware answers
the known login forms with a readable 429 and `Retry-After` instead of a generic error.
Limits: PRACHA_LOGIN_FAILURES (per username and address), PRACHA_LOGIN_FAILURES_PER_IP.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from pracha.audit.ratelimit import Verdict, address_ident, hit, peek, reset

USER_BUCKET = "login:user"
IP_BUCKET = "login:ip"


def _user_ident(request: HttpRequest | None, username: str) -> str:
    address = address_ident(request) if request is not None else "-"
    return f"{username.strip().lower()}|{address}"


def lockout(request: HttpRequest | None, username: str) -> Verdict | None:
    """The verdict that refuses this login attempt, or None when it may go ahead."""
    config = settings.PRACHA
    checks = []
    if config.login_failures_per_user is not None:
        checks.append(
            peek(USER_BUCKET, _user_ident(request, username), config.login_failures_per_user)
        )
    if config.login_failures_per_ip is not None and request is not None:
        checks.append(peek(IP_BUCKET, address_ident(request), config.login_failures_per_ip))
    refused = [v for v in checks if not v.allowed]
    return max(refused, key=lambda v: v.retry_after) if refused else None


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend that refuses while a lockout holds.

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
        if name is not None and lockout(request, str(name)) is not None:
            raise PermissionDenied("too many failed logins; try again later")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="login-throttle-count")
def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    config = settings.PRACHA
    username = str(credentials.get("username", ""))
    if config.login_failures_per_user is not None:
        hit(USER_BUCKET, _user_ident(request, username), config.login_failures_per_user)
    if config.login_failures_per_ip is not None and request is not None:
        hit(IP_BUCKET, address_ident(request), config.login_failures_per_ip)


@receiver(user_logged_in, dispatch_uid="login-throttle-reset")
def forget_failures(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    rate = settings.PRACHA.login_failures_per_user
    if rate is not None:
        reset(USER_BUCKET, _user_ident(request, user.get_username()), rate)


def login_paths() -> set[str]:
    paths = {resolve_url(settings.LOGIN_URL)}
    with contextlib.suppress(NoReverseMatch):
        paths.add(reverse("admin:login"))
    return paths


class LoginThrottleMiddleware:
    """Answer a locked-out login form with 429 and Retry-After, before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in login_paths():
            verdict = lockout(request, request.POST.get("username", ""))
            if verdict is not None:
                minutes = max(1, round(verdict.retry_after / 60))
                response = HttpResponse(
                    "Too many failed logins. Try again in about "
                    f"{minutes} minute{'s' if minutes > 1 else ''}.\n"
                    f"เข้าสู่ระบบผิดหลายครั้งเกินไป โปรดลองใหม่ในอีกประมาณ {minutes} นาที\n",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(verdict.retry_after)
                return response
        return self.get_response(request)
