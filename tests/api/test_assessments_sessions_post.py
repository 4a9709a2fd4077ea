"""POST /api/v1/assessments/{code}/sessions: start a test (an officer's key)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import create_api_key
from pracha.competency.models import Item, Session
from tests.api.assessments_helpers import (
    forbidden_keys,
    shipped,  # noqa: F401 (a fixture)
    start,
)
from tests.helpers import auth


@pytest.mark.usefixtures("shipped")
def test_201_with_the_session_and_the_first_item(api: Client, officer: tuple[Officer, str]) -> None:
    me, key = officer
    response = start(api, key, "practice")
    assert response.status_code == 201
    body = response.json()
    assert {"session", "item"} <= set(body) and body["finished"] is False
    item = body["item"]
    assert {"id", "stem", "options"} <= set(item) and len(item["options"]) == 4
    stored = Item.objects.get(pk=item["id"])
    assert stored.language == "th" and item["stem"] == stored.stem
    assert sorted(item["options"]) == sorted(stored.options)
    assert forbidden_keys(body) == set()
    session = Session.objects.get(pk=body["session"])
    assert session.officer == me and session.agency == me.agency and session.is_open
    assert body["seconds_left"] > 39 * 60


@pytest.mark.usefixtures("shipped")
def test_the_test_in_english(api: Client, officer: tuple[Officer, str]) -> None:
    body = start(api, officer[1], "quick", "en").json()
    assert Item.objects.get(pk=body["item"]["id"]).language == "en"


@pytest.mark.usefixtures("shipped")
def test_without_a_body_the_test_is_in_thai(api: Client, officer: tuple[Officer, str]) -> None:
    response = api.post(
        "/api/v1/assessments/quick/sessions",
        "",
        content_type="application/json",
        **auth(officer[1]),
    )
    assert response.status_code == 201
    assert response.json()["language"] == "th"


@pytest.mark.usefixtures("shipped")
def test_one_open_session_per_officer_409(api: Client, officer: tuple[Officer, str]) -> None:
    first = start(api, officer[1], "quick").json()
    again = start(api, officer[1], "adaptive")
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "session_open" and first["session"] in body["detail"]
    assert Session.objects.count() == 1


@pytest.mark.usefixtures("shipped")
def test_who_may_start(
    api: Client, bma: Agency, make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    nobody = api.post("/api/v1/assessments/quick/sessions", {}, content_type="application/json")
    assert nobody.status_code == 401 and nobody.json()["code"] == "unauthenticated"
    _key, partner = create_api_key("partner system")
    refused = start(api, partner, "quick")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    _me, key = make_officer(bma)
    assert start(api, key, "no-such-test").status_code == 404


@pytest.mark.usefixtures("shipped")
def test_a_bad_language_is_422(api: Client, officer: tuple[Officer, str]) -> None:
    response = start(api, officer[1], "quick", "fr")
    assert response.status_code == 422 and response.json()["field"] == "language"
