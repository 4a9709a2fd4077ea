"""Signed-in citizens on the web pages: a session that holds the id of a web sign-in token.

The pages use the same tokens as the API (kind "web"), so idle expiry, signing out and
deleting the account work alike; the session never holds the token's value. The middleware
sets `request.citizen` (None when nobody is signed in) on the pages, where
pracha.limits.device.citizen_ident counts the person instead of the device.

The JSON API and Open311 never read the session: a cookie sent by a browser on another site's
behalf must not act for the citizen there. The API takes `Authorization: Bearer ct_...`,
which this middleware reads too, so rate limits count the person from the first check on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pracha.citizens.models import Citizen, CitizenToken
from pracha.citizens.services.tokens import (
    authenticate_token,
    do_issue_token,
    do_sign_out,
    idle_limit,
    is_citizen_token,
    token_by_id,
)

SESSION_KEY = "pracha_citizen_sign_in"
SEEN_KEY = "pracha_citizen_seen"  # the day the session cookie was last renewed
MACHINE_PATHS = ("/api/", "/open311/")
API_PATH = "/api/"


def sign_in(request: HttpRequest, citizen: Citizen) -> CitizenToken:
    """Remember the citizen in this browser; a new session key, so a planted one is useless."""
    previous = session_token(request)
    if previous is not None:
        previous.delete()
    token, _raw = do_issue_token(citizen, CitizenToken.Kind.WEB)
    request.session.cycle_key()
    request.session[SESSION_KEY] = token.pk
    keep_alive(request)
    request.citizen = citizen  # type: ignore[attr-defined]
    request.citizen_token = token  # type: ignore[attr-defined]
    return token


def keep_alive(request: HttpRequest) -> None:
    """The session cookie lives as long as an idle sign-in does (PRACHA_CITIZEN_TOKEN_IDLE_DAYS,
    not Django's two weeks from sign-in), renewed on the first visit of each day."""
    today = timezone.localdate().isoformat()
    if request.session.get(SEEN_KEY) != today:
        request.session[SEEN_KEY] = today
        request.session.set_expiry(idle_limit())


def session_token(request: HttpRequest) -> CitizenToken | None:
    """The live sign-in of this browser; a stale one (signed out elsewhere, idle, account
    deleted) is forgotten."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    token = token_by_id(session.get(SESSION_KEY))
    if token is None:
        del session[SESSION_KEY]
    else:
        keep_alive(request)
    return token


def sign_out(request: HttpRequest, *, everywhere: bool = False) -> None:
    """Forget the sign-in (the token too); the browser keeps the reports it remembers."""
    token = getattr(request, "citizen_token", None) or session_token(request)
    if token is not None:
        do_sign_out(token, everywhere=everywhere)
    if SESSION_KEY in request.session:
        del request.session[SESSION_KEY]
    request.session.cycle_key()
    request.citizen = None  # type: ignore[attr-defined]
    request.citizen_token = None  # type: ignore[attr-defined]


def forget(request: HttpRequest) -> None:
    """After the account was deleted: nothing of it stays in the browser's session."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request.citizen = None  # type: ignore[attr-defined]
    request.citizen_token = None  # type: ignore[attr-defined]


def bearer_token(request: HttpRequest) -> str:
    """The value of `Authorization: Bearer ...`, "" without one."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


class CitizenSessionMiddleware:
    """Sets `request.citizen` (and `request.citizen_token`), None when nobody is signed in:
    on the pages from the session (after SessionMiddleware), on the JSON API from a valid
    citizen token, before any view decorator counts the request against a rate limit. The
    API's auth classes then refuse a token that is not valid (pracha.api.citizens.auth)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = None
        if request.path.startswith(API_PATH):
            raw = bearer_token(request)
            token = authenticate_token(raw) if is_citizen_token(raw) else None
        elif not request.path.startswith(MACHINE_PATHS):
            token = session_token(request)
        request.citizen = token.citizen if token is not None else None  # type: ignore[attr-defined]
        request.citizen_token = token  # type: ignore[attr-defined]
        return self.get_response(request)
