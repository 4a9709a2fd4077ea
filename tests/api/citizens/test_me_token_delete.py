"""DELETE /api/v1/me/token (sign out) and DELETE /api/v1/me/tokens (sign out everywhere)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.citizens.models import CitizenToken
from tests.citizens.support import bearer


def test_signing_out_ends_this_token_only(api: Client, sign_in: Callable[..., str]) -> None:
    phone, laptop = sign_in(), sign_in()

    response = api.delete("/api/v1/me/token", **bearer(phone))

    assert response.status_code == 204 and response.content == b""
    assert api.get("/api/v1/me", **bearer(phone)).status_code == 401
    assert api.get("/api/v1/me", **bearer(laptop)).status_code == 200
    assert api.delete("/api/v1/me/token", **bearer(phone)).status_code == 401  # already out
    entry = AuditEntry.objects.get(action="citizen.signed_out")
    assert entry.detail["everywhere"] is False and entry.detail["token"] == phone[:12]


def test_signing_out_everywhere(api: Client, sign_in: Callable[..., str]) -> None:
    phone, laptop = sign_in(), sign_in()
    other = sign_in("other@example.org")
    assert api.delete("/api/v1/me/tokens", **bearer(phone)).status_code == 204
    assert api.get("/api/v1/me", **bearer(laptop)).status_code == 401
    assert api.get("/api/v1/me", **bearer(other)).status_code == 200
    assert CitizenToken.objects.count() == 1


def test_without_a_token_it_is_401(api: Client, db: None) -> None:
    assert api.delete("/api/v1/me/token").status_code == 401
