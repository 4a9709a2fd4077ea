"""Citizen tokens and officers' API keys are told apart by their prefix: neither opens the
other's endpoints, each refusal says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.agencies.models import Officer
from tests.citizens.support import bearer
from tests.helpers import auth, case_url, post_json


def test_a_citizen_token_on_an_officer_endpoint_is_403_with_the_reason(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case()["ticket_id"]
    token = sign_in()
    for headers in (bearer(token), {"HTTP_X_API_KEY": token}):
        response = post_json(api, case_url(ticket, "accept"), {}, **headers)
        assert response.status_code == 403
        assert response.json() == {
            "detail": (
                "this is a citizen's sign-in token; officer actions need an officer's API key"
            ),
            "code": "officer_key_required",
        }
    reporter = api.get(case_url(ticket, "reporter"), {"purpose": "call back"}, **bearer(token))
    assert reporter.status_code == 403


def test_officer_keys_keep_working_everywhere(
    api: Client, officer: tuple[Officer, str], file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case()["ticket_id"]
    response = post_json(api, case_url(ticket, "accept"), {"note": "รับเรื่อง"}, **auth(officer[1]))
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert api.get(case_url(ticket), **auth(officer[1])).status_code == 200


def test_an_officer_key_on_the_citizen_endpoints_is_401(
    api: Client, officer: tuple[Officer, str]
) -> None:
    for call, path in (
        (api.get, "/api/v1/me"),
        (api.get, "/api/v1/me/export"),
        (api.delete, "/api/v1/me"),
        (api.delete, "/api/v1/me/token"),
    ):
        response = call(path, **auth(officer[1]))
        assert response.status_code == 401, path
        assert "officers' API keys do not open a citizen's account" in response.json()["detail"]
    assert Officer.objects.filter(pk=officer[0].pk).exists()
