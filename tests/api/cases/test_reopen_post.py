"""POST /api/v1/cases/{ticket_id}/reopen: the reporter reopens within the window, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.cases.models import Case
from pracha.states import State
from tests.factories import set_state
from tests.helpers import case_url, post_json


@pytest.fixture
def filed(file_case: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return file_case()


def reopen(api: Client, ticket_id: str, body: dict[str, Any], **headers: str) -> Any:
    return post_json(api, case_url(ticket_id, "reopen"), body, **headers)


@pytest.mark.parametrize("closed", [State.DONE, State.IRRELEVANT])
def test_reopen_a_closed_case(api: Client, filed: dict[str, Any], closed: State) -> None:
    ticket_id = filed["ticket_id"]
    set_state(ticket_id, closed, closed_at=timezone.now() - timedelta(days=29, hours=23))

    response = reopen(
        api, ticket_id, {"reason": "หลุมกลับมาอีก"}, HTTP_X_CITIZEN_TOKEN=filed["citizen_token"]
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["status"], body["closed_at"]) == ("waiting", "open", None)
    assert body["reopen_count"] == 1
    last = body["timeline"][-1]
    assert (last["kind"], last["from_state"], last["to_state"]) == (
        "reopened",
        closed.value,
        "waiting",
    )
    assert last["note"] == "หลุมกลับมาอีก"
    assert last["to_agency"]["code"] == "bma"


def test_the_token_may_be_in_the_body(api: Client, filed: dict[str, Any]) -> None:
    set_state(filed["ticket_id"], State.DONE)
    body = {"reason": "ยังไม่ได้ซ่อม", "citizen_token": filed["citizen_token"]}
    assert reopen(api, filed["ticket_id"], body).status_code == 200


def test_after_31_days_it_is_refused(api: Client, filed: dict[str, Any]) -> None:
    ticket_id = filed["ticket_id"]
    set_state(ticket_id, State.DONE, closed_at=timezone.now() - timedelta(days=31))

    response = reopen(
        api, ticket_id, {"reason": "ยังไม่ได้ซ่อม", "citizen_token": filed["citizen_token"]}
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"case {ticket_id} was closed more than 30 days ago; file a new report",
        "code": "illegal_transition",
    }
    assert Case.objects.get(ticket_id=ticket_id).state == State.DONE


def test_an_open_case_cannot_be_reopened(api: Client, filed: dict[str, Any]) -> None:
    response = reopen(
        api, filed["ticket_id"], {"reason": "x", "citizen_token": filed["citizen_token"]}
    )
    assert response.status_code == 409
    assert "still open" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "reason"),
        ({"reason": ""}, 400, "reason"),
        ({"reason": "   "}, 400, "reason"),
        ({"reason": 12}, 422, "reason"),
        ({"reason": "x" * 2001}, 400, "reason"),
        ({"reason": "a\x00b"}, 400, "reason"),
    ],
)
def test_a_reason_is_required(
    api: Client, filed: dict[str, Any], body: dict[str, Any], status: int, field: str
) -> None:
    set_state(filed["ticket_id"], State.DONE)
    response = reopen(api, filed["ticket_id"], {**body, "citizen_token": filed["citizen_token"]})
    assert response.status_code == status
    assert response.json()["field"] == field
    assert Case.objects.get(ticket_id=filed["ticket_id"]).state == State.DONE


@pytest.mark.parametrize("headers", [{}, {"HTTP_X_CITIZEN_TOKEN": "nope"}])
def test_the_token_is_required(api: Client, filed: dict[str, Any], headers: dict[str, str]) -> None:
    set_state(filed["ticket_id"], State.DONE)
    response = reopen(api, filed["ticket_id"], {"reason": "ยังไม่เสร็จ"}, **headers)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Case.objects.get(ticket_id=filed["ticket_id"]).reopen_count == 0
