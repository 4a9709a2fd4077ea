"""PATCH /api/v1/me: language and notification settings per channel."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.audit.models import AuditEntry
from tests.citizens.support import bearer

URL = "/api/v1/me"


def patch(api: Client, token: str, body: Any) -> Any:
    return api.patch(URL, json.dumps(body), content_type="application/json", **bearer(token))


def test_language_and_notifications_are_saved(api: Client, sign_in: Callable[..., str]) -> None:
    token = sign_in()
    response = patch(api, token, {"language": "en", "notifications": {"email": False}})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "en"
    assert body["notifications"] == {"email": False, "line": True}
    assert api.get(URL, **bearer(token)).json()["notifications"]["email"] is False
    changes = AuditEntry.objects.filter(action="citizen.settings_changed")
    assert [e.detail for e in changes.order_by("id")] == [
        {"language": "en"},
        {"notifications": {"email": False, "line": True}},
    ]


def test_an_empty_patch_changes_nothing(api: Client, sign_in: Callable[..., str]) -> None:
    token = sign_in()
    assert patch(api, token, {}).status_code == 200
    assert not AuditEntry.objects.filter(action="citizen.settings_changed").exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"language": "fr"}, 422, "language"),
        ({"notifications": {"fax": True}}, 400, "notifications"),
        ({"notifications": {"email": "yes please"}}, 422, "notifications.email"),
    ],
)
def test_bad_settings_are_refused(
    api: Client, sign_in: Callable[..., str], body: Any, status: int, field: str
) -> None:
    response = patch(api, sign_in(), body)
    assert response.status_code == status
    assert response.json()["field"] == field


def test_without_a_token_it_is_401(api: Client, db: None) -> None:
    response = api.patch(URL, "{}", content_type="application/json")
    assert response.status_code == 401
