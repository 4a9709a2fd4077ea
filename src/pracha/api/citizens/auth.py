"""Citizen tokens on the API: `Authorization: Bearer ct_...`.

The `ct_` prefix tells a citizen's token from an officer's API key (`pk_...`) before any
lookup: officer endpoints refuse a citizen token with a reason (pracha.api.auth), and the
citizen endpoints refuse an officer key the same way. Either sets `request.citizen`, which
pracha.limits counts instead of the device (one person, one bucket, across devices).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from pracha.citizens.errors import NotSignedIn
from pracha.citizens.models import Citizen
from pracha.citizens.services.tokens import authenticate_token, is_citizen_token
from pracha.citizens.sessions import bearer_token

SIGN_IN_HINT = "sign in with POST /api/v1/auth/email, then POST /api/v1/auth/email/confirm"


def bearer_value(request: HttpRequest) -> str:
    return bearer_token(request)


def citizen_from_bearer(request: HttpRequest, raw: str) -> Citizen:
    """The citizen a bearer value signs in as; NotSignedIn (401) with the reason otherwise."""
    if not raw:
        raise NotSignedIn(
            f"this needs a signed-in citizen: send 'Authorization: Bearer <token>' ({SIGN_IN_HINT})"
        )
    if not is_citizen_token(raw):
        raise NotSignedIn(
            "this is not a citizen's token (officers' API keys do not open a citizen's "
            f"account); {SIGN_IN_HINT}"
        )
    token = getattr(request, "citizen_token", None)  # read by the middleware already
    if token is None or token.prefix != raw[: len(token.prefix)]:
        token = authenticate_token(raw)
    if token is None:
        raise NotSignedIn(
            "this token no longer signs in: it was signed out, went unused for "
            f"{_idle_days()} days, or its account was deleted; {SIGN_IN_HINT}"
        )
    request.citizen = token.citizen  # type: ignore[attr-defined]
    request.citizen_token = token  # type: ignore[attr-defined]
    return token.citizen


def _idle_days() -> int:
    return int(settings.PRACHA.citizen_token_idle_days)


class CitizenAuth(HttpBearer):
    """A signed-in citizen is required (the /me endpoints)."""

    def __call__(self, request: HttpRequest) -> Citizen:
        return citizen_from_bearer(request, bearer_value(request))

    def authenticate(self, request: HttpRequest, token: str) -> Citizen:
        return citizen_from_bearer(request, token)


class Anonymous:
    """What `request.auth` is on a public endpoint called without a citizen token."""

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "<anonymous>"


ANONYMOUS = Anonymous()


class OptionalCitizenAuth(HttpBearer):
    """Public endpoints that know a signed-in citizen (filing, rating, reopening, me too):
    no token, or an officer's key, passes as before; a citizen token must be valid (401
    otherwise, so an app learns to sign in again rather than act anonymously)."""

    def __call__(self, request: HttpRequest) -> Citizen | Anonymous:
        raw = bearer_value(request)
        if is_citizen_token(raw):
            return citizen_from_bearer(request, raw)
        return ANONYMOUS

    def authenticate(self, request: HttpRequest, token: str) -> Citizen | Anonymous:
        return self(request)
