"""POST /api/v1/cases/{ticket_id}/rate: the reporter's 1-5 stars, once per closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from pracha.cases.models import Case, Event
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json


@pytest.fixture
def filed(file_case: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return file_case()


def rate(api: Client, ticket_id: str, body: dict[str, Any], **headers: str) -> Any:
    return post_json(api, case_url(ticket_id, "rate"), body, **headers)


@pytest.mark.parametrize("where", ["body", "header"])
def test_the_reporter_rates_a_closed_case(api: Client, filed: dict[str, Any], where: str) -> None:
    ticket_id, token = filed["ticket_id"], filed["citizen_token"]
    set_state(ticket_id, State.DONE)
    body: dict[str, Any] = {"stars": 5, "comment": "ขอบคุณมากครับ"}
    headers = {}
    if where == "body":
        body["citizen_token"] = token
    else:
        headers["HTTP_X_CITIZEN_TOKEN"] = token

    response = rate(api, ticket_id, body, **headers)

    assert response.status_code == 200, response.content
    out = response.json()
    assert out["stars"] == 5
    last = out["timeline"][-1]
    assert (last["kind"], last["stars"], last["note"]) == ("rated", 5, "ขอบคุณมากครับ")
    assert (last["actor"], last["actor_kind"]) == ("ผู้แจ้ง / The reporter", "reporter")


@pytest.mark.parametrize("stars", [0, 6, -3, 100])
def test_stars_out_of_range_are_400(api: Client, filed: dict[str, Any], stars: int) -> None:
    set_state(filed["ticket_id"], State.DONE)
    response = rate(
        api, filed["ticket_id"], {"stars": stars, "citizen_token": filed["citizen_token"]}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "stars must be a whole number from 1 to 5",
        "code": "invalid_input",
        "field": "stars",
    }


@pytest.mark.parametrize("stars", ["5", 4.5, True, None, [5]])
def test_stars_that_are_not_whole_numbers_are_422(
    api: Client, filed: dict[str, Any], stars: Any
) -> None:
    set_state(filed["ticket_id"], State.DONE)
    response = rate(
        api, filed["ticket_id"], {"stars": stars, "citizen_token": filed["citizen_token"]}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "stars"


@pytest.mark.parametrize("token", [None, "", "wrong", "0" * 32])
def test_without_the_reporters_token_it_is_403(
    api: Client, filed: dict[str, Any], token: str | None
) -> None:
    set_state(filed["ticket_id"], State.DONE)
    body: dict[str, Any] = {"stars": 1} | ({} if token is None else {"citizen_token": token})
    response = rate(api, filed["ticket_id"], body)
    assert response.status_code == 403
    assert "citizen_token" in response.json()["detail"]
    assert Case.objects.get(ticket_id=filed["ticket_id"]).stars is None


def test_another_cases_token_does_not_work(
    api: Client, filed: dict[str, Any], file_case: Callable[..., dict[str, Any]]
) -> None:
    other = file_case()
    set_state(filed["ticket_id"], State.DONE)
    response = rate(api, filed["ticket_id"], {"stars": 1, "citizen_token": other["citizen_token"]})
    assert response.status_code == 403


def test_an_open_case_cannot_be_rated(api: Client, filed: dict[str, Any]) -> None:
    response = rate(api, filed["ticket_id"], {"stars": 3, "citizen_token": filed["citizen_token"]})
    assert response.status_code == 409
    assert "once it is closed" in response.json()["detail"]


def test_once_per_closing_and_again_after_reopening(
    api: Client, filed: dict[str, Any], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id, token = filed["ticket_id"], filed["citizen_token"]
    set_state(ticket_id, State.IN_PROGRESS)
    post_json(api, case_url(ticket_id, "close"), {"outcome": "done"}, **auth(key))

    assert rate(api, ticket_id, {"stars": 4, "citizen_token": token}).status_code == 200
    twice = rate(api, ticket_id, {"stars": 1, "citizen_token": token})
    assert twice.status_code == 409
    assert twice.json()["code"] == "conflict"
    assert Case.objects.get(ticket_id=ticket_id).stars == 4

    reopened = post_json(
        api, case_url(ticket_id, "reopen"), {"reason": "ยังไม่เสร็จ", "citizen_token": token}
    )
    assert reopened.status_code == 200
    post_json(api, case_url(ticket_id, "accept"), {}, **auth(key))
    post_json(api, case_url(ticket_id, "close"), {"outcome": "done"}, **auth(key))

    again = rate(api, ticket_id, {"stars": 2, "citizen_token": token})
    assert again.status_code == 200
    assert again.json()["stars"] == 2
    assert list(Event.objects.filter(kind=Event.Kind.RATED).values_list("stars", flat=True)) == [
        4,
        2,
    ]


def test_rating_an_unknown_case_is_404(api: Client, db: None) -> None:
    response = rate(api, "2026-NOSUCH", {"stars": 5, "citizen_token": "x"})
    assert response.status_code == 404
