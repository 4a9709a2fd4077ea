"""Token authentication for officers and partner systems."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from pracha.agencies.models import ApiKey, Officer
from pracha.agencies.services import authenticate_api_key
from pracha.cases.errors import NotAllowed
from pracha.citizens.services.tokens import is_citizen_token


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer <key>`, or the same key in an `X-API-Key` header."""

    def __call__(self, request: HttpRequest) -> ApiKey | None:
        header = request.headers.get("X-API-Key")
        if header:
            return self.authenticate(request, header)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        if is_citizen_token(token):
            raise CitizenTokenRefused(
                "this is a citizen's sign-in token; officer actions need an officer's API key"
            )
        return authenticate_api_key(token)


class CitizenTokenRefused(NotAllowed):
    """A citizen's token (`ct_...`) sent where only an officer's API key will do."""

    code = "officer_key_required"


def _active_officer(key: ApiKey | None) -> Officer | None:
    """The officer a key acts as, if the key has one and their login is active."""
    if key is None or key.user_id is None:
        return None
    officer = Officer.objects.select_related("agency", "user").filter(user_id=key.user_id).first()
    if officer is None or not officer.user.is_active:
        return None
    return officer


def officer_from(request: HttpRequest) -> Officer:
    """The officer behind the request's key; 403 when the key belongs to no active officer."""
    # django-ninja sets request.auth to what authenticate() returned (absent from the stubs).
    officer = _active_officer(request.auth)  # type: ignore[attr-defined]
    if officer is None:
        raise NotAllowed("this API key does not belong to an active officer")
    return officer


def optional_officer(request: HttpRequest) -> Officer | None:
    """The officer behind a key, when the request carries a valid one (public endpoints)."""
    auth = request.headers.get("Authorization", "")
    raw = request.headers.get("X-API-Key") or (
        auth[7:] if auth.lower().startswith("bearer ") else ""
    )
    raw = raw.strip()
    if not raw or is_citizen_token(raw):  # a citizen's token is never an officer's key
        return None
    return _active_officer(authenticate_api_key(raw))
