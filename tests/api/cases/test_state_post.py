"""POST /api/v1/cases/{ticket_id}/state: moving between working states."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from pracha.states import WORK_STATES, State
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json


@pytest.fixture
def ticket_id(file_case: Callable[..., dict[str, Any]]) -> str:
    ticket_id = file_case()["ticket_id"]
    set_state(ticket_id, State.ACCEPTED)
    return ticket_id


@pytest.mark.parametrize("target", sorted(WORK_STATES))
def test_every_working_state(
    api: Client, ticket_id: str, officer: tuple[Officer, str], target: State
) -> None:
    _me, key = officer
    body = {"state": target.value, "note": "อัปเดต"}
    response = post_json(api, case_url(ticket_id, "state"), body, **auth(key))

    assert response.status_code == 200
    out = response.json()
    assert out["state"] == target.value
    assert out["state_name_th"] == target.label
    assert out["timeline"][-1]["kind"] == "state_changed"
    assert out["timeline"][-1]["note"] == "อัปเดต"


def test_a_path_through_the_work(api: Client, ticket_id: str, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    for target in ("studying", "budget_request", "procurement", "in_progress"):
        response = post_json(api, case_url(ticket_id, "state"), {"state": target}, **auth(key))
        assert response.json()["state"] == target
    timeline = api.get(case_url(ticket_id)).json()["timeline"]
    assert [e["to_state"] for e in timeline if e["kind"] == "state_changed"] == [
        "studying",
        "budget_request",
        "procurement",
        "in_progress",
    ]


@pytest.mark.parametrize("state", ["fixed", "", "WAITING", "กำลังดำเนินการ"])
def test_an_unknown_state_is_400_and_lists_the_states(
    api: Client, ticket_id: str, officer: tuple[Officer, str], state: str
) -> None:
    _me, key = officer
    response = post_json(api, case_url(ticket_id, "state"), {"state": state}, **auth(key))
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "state"
    assert "in_progress" in body["detail"]


@pytest.mark.parametrize(
    ("target", "advice"),
    [("done", "use the close action"), ("forwarded", "use the forward action")],
)
def test_states_owned_by_other_actions_are_409(
    api: Client, ticket_id: str, officer: tuple[Officer, str], target: str, advice: str
) -> None:
    _me, key = officer
    response = post_json(api, case_url(ticket_id, "state"), {"state": target}, **auth(key))
    assert response.status_code == 409
    assert advice in response.json()["detail"]


def test_missing_state_is_422(api: Client, ticket_id: str, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    response = post_json(api, case_url(ticket_id, "state"), {"note": "x"}, **auth(key))
    assert response.status_code == 422
    assert response.json()["detail"] == "state: Field required"
