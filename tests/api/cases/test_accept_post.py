"""POST /api/v1/cases/{ticket_id}/accept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.agencies.models import Officer
from pracha.cases.models import Case
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json


def test_accept_answers_the_staff_view(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    me, key = officer
    ticket_id = file_case()["ticket_id"]
    post_json(api, case_url(ticket_id, "comment"), {"note": "ภายใน", "public": False}, **auth(key))

    response = post_json(api, case_url(ticket_id, "accept"), {"note": "รับแล้วครับ"}, **auth(key))

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "accepted"
    assert body["state_name_th"] == "รับเรื่อง"
    last = body["timeline"][-1]
    assert last["kind"] == "accepted"
    assert last["note"] == "รับแล้วครับ"
    # Public label by role and agency (issue 23.5): never the officer's login.
    assert last["actor"].startswith("เจ้าหน้าที่ กรุงเทพมหานคร / Officer, ")
    assert (last["actor_kind"], last["actor_agency_code"]) == ("officer", me.agency.code)
    assert me.user.username not in response.content.decode()
    assert (last["from_state"], last["to_state"]) == ("waiting", "accepted")
    # The officer's answer includes staff-only notes; the public GET does not.
    assert "ภายใน" in [e["note"] for e in body["timeline"]]
    public = api.get(case_url(ticket_id)).json()
    assert "ภายใน" not in [e["note"] for e in public["timeline"]]


def test_accept_with_an_empty_or_non_json_body(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    empty = api.post(
        case_url(ticket_id, "accept"), "", content_type="application/json", **auth(key)
    )
    assert empty.status_code == 422
    assert empty.json()["detail"] == "body: Field required"
    form = api.post(case_url(ticket_id, "accept"), {"note": "x"}, **auth(key))
    assert form.status_code == 400
    assert form.json()["detail"] == "the request body is not valid JSON"
    assert Case.objects.get(ticket_id=ticket_id).state == State.WAITING


def test_accepting_twice_is_409(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    assert post_json(api, case_url(ticket_id, "accept"), {}, **auth(key)).status_code == 200

    response = post_json(api, case_url(ticket_id, "accept"), {}, **auth(key))

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"case {ticket_id} is accepted; it cannot move to accepted",
        "code": "illegal_transition",
    }


def test_accepting_a_forwarded_case(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    set_state(ticket_id, State.FORWARDED)
    response = post_json(api, case_url(ticket_id, "accept"), {}, **auth(key))
    assert response.json()["state"] == "accepted"


def test_a_note_with_a_nul_byte_is_400(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    response = post_json(api, case_url(ticket_id, "accept"), {"note": "a\x00"}, **auth(key))
    assert response.status_code == 400
    assert response.json()["field"] == "note"
    assert Case.objects.get(ticket_id=ticket_id).state == State.WAITING


def test_a_note_that_is_not_text_is_422(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    response = post_json(api, case_url(ticket_id, "accept"), {"note": ["a"]}, **auth(key))
    assert response.status_code == 422
    assert response.json()["field"] == "note"
