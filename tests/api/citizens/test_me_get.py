"""GET /api/v1/me: the signed-in citizen's account, reports, settings and consents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.citizens.models import CitizenToken
from pracha.citizens.signals import my_pracha_items
from tests.citizens.support import EMAIL, bearer
from tests.factories import BANGKOK
from tests.helpers import auth, post_json

URL = "/api/v1/me"


def test_the_account_as_the_citizen_sees_it(api: Client, sign_in: Callable[..., str]) -> None:
    token = sign_in()
    response = api.get(URL, **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == EMAIL and body["language"] == "th"
    assert body["cases"] == [] and body["cases_count"] == 0
    assert body["notifications"] == {"email": True, "line": True}
    assert body["consents"] == [] and body["items"] == {}
    assert [c["kind"] for c in body["channels"]] == ["email"]


def test_cases_filed_signed_in_are_listed_newest_first(
    api: Client, sign_in: Callable[..., str], file_case: Callable[..., dict[str, Any]]
) -> None:
    token = sign_in()
    first = post_json(api, "/api/v1/cases", {"description": "ไฟดับ", **BANGKOK}, **bearer(token))
    second = post_json(api, "/api/v1/cases", {"description": "น้ำท่วม", **BANGKOK}, **bearer(token))
    file_case(description="someone else's")  # anonymous: not mine
    body = api.get(URL, **bearer(token)).json()
    assert [c["ticket_id"] for c in body["cases"]] == [
        second.json()["ticket_id"],
        first.json()["ticket_id"],
    ]
    assert body["cases_count"] == 2
    assert body["cases"][0]["state"] == "waiting" and "reporter" not in body["cases"][0]


def test_without_a_token_it_is_401_with_the_way_in(api: Client, db: None) -> None:
    response = api.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "POST /api/v1/auth/email" in body["detail"]


def test_an_officers_key_does_not_open_an_account(
    api: Client, officer: tuple[Officer, str]
) -> None:
    response = api.get(URL, **auth(officer[1]))
    assert response.status_code == 401
    assert "not a citizen's token" in response.json()["detail"]


@pytest.mark.parametrize(
    "value", ["ct_", "ct_forged0000000000000000000000000000000", "ct_" + "x" * 300]
)
def test_an_unknown_token_is_401(api: Client, db: None, value: str) -> None:
    response = api.get(URL, **bearer(value))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_token_idle_for_30_days_stops_working(api: Client, sign_in: Callable[..., str]) -> None:
    token = sign_in()
    CitizenToken.objects.update(last_used_at=timezone.now() - timedelta(days=29, hours=23))
    assert api.get(URL, **bearer(token)).status_code == 200  # and its clock starts again
    assert CitizenToken.objects.get().last_used_at > timezone.now() - timedelta(minutes=1)
    CitizenToken.objects.update(last_used_at=timezone.now() - timedelta(days=30, seconds=1))
    response = api.get(URL, **bearer(token))
    assert response.status_code == 401
    assert "unused for 30 days" in response.json()["detail"]
    assert CitizenToken.objects.count() == 0  # forgotten


def test_the_idle_limit_is_a_setting(
    api: Client, sign_in: Callable[..., str], pracha: Callable[..., None]
) -> None:
    token = sign_in()
    pracha(citizen_token_idle_days=1)
    CitizenToken.objects.update(last_used_at=timezone.now() - timedelta(days=1, seconds=1))
    assert api.get(URL, **bearer(token)).status_code == 401


def test_other_modules_add_their_items(api: Client, sign_in: Callable[..., str]) -> None:
    def supports(sender: Any, citizen: Any, **_: Any) -> dict[str, list[Any]]:
        return {"supports": [{"title": "Shade trees on Soi 5", "url": "/p/1/"}]}

    my_pracha_items.connect(supports)
    try:
        body = api.get(URL, **bearer(sign_in())).json()
    finally:
        my_pracha_items.disconnect(supports)
    assert body["items"] == {"supports": [{"title": "Shade trees on Soi 5", "url": "/p/1/"}]}
