"""POST /api/v1/cases/{ticket_id}/me-too: another citizen has the same problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.cases.models import Case, Event
from pracha.cases.states import State
from tests.helpers import case_url, set_state


@pytest.fixture
def ticket_id(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


def test_me_too_counts(api: Client, ticket_id: str) -> None:
    first = api.post(case_url(ticket_id, "me-too"))
    second = api.post(case_url(ticket_id, "me-too"))

    assert first.status_code == second.status_code == 200
    assert first.json()["me_too_count"] == 1
    assert second.json()["me_too_count"] == 2
    assert second.json()["timeline"][-1]["kind"] == "me_too"
    assert Event.objects.filter(kind=Event.Kind.ME_TOO).count() == 2


@pytest.mark.parametrize("state", [State.ACCEPTED, State.FORWARDED, State.PROCUREMENT])
def test_me_too_on_any_open_case(api: Client, ticket_id: str, state: State) -> None:
    set_state(ticket_id, state)
    assert api.post(case_url(ticket_id, "me-too")).json()["me_too_count"] == 1


@pytest.mark.parametrize("state", [State.DONE, State.IRRELEVANT])
def test_me_too_on_a_closed_case_is_409(api: Client, ticket_id: str, state: State) -> None:
    set_state(ticket_id, state)
    response = api.post(case_url(ticket_id, "me-too"))
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"case {ticket_id} is closed; reopen it or file a new report",
        "code": "illegal_transition",
    }
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 0


def test_me_too_on_an_unknown_case_is_404(api: Client, db: None) -> None:
    response = api.post(case_url("2026-NOSUCH", "me-too"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
