"""Who may act on a case through the API: officers of its agency (or an invited one, as a
helper), by key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.agencies.models import Agency, ApiKey, Officer
from pracha.agencies.services import create_api_key, revoke_api_key
from pracha.cases.models import Case, Event
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json

Officers = Callable[..., tuple[Officer, str]]

# Each officer action with a body and a starting state in which it would succeed.
ACTIONS: dict[str, tuple[State, dict[str, Any]]] = {
    "accept": (State.WAITING, {"note": "รับเรื่อง"}),
    "comment": (State.ACCEPTED, {"note": "กำลังตรวจสอบ"}),
    "state": (State.ACCEPTED, {"state": "in_progress"}),
    "forward": (State.ACCEPTED, {"agency": "district-x", "reason": "ของเขต"}),
    "invite": (State.ACCEPTED, {"agency": "district-x", "reason": "ช่วยด้วย"}),
    "close": (State.ACCEPTED, {"outcome": "irrelevant", "note": "พื้นที่เอกชน"}),
}


@pytest.fixture
def ticket(file_case: Callable[..., dict[str, Any]], make_agency: Callable[..., Agency]) -> str:
    make_agency("district-x", "สำนักงานเขตเอ็กซ์")
    return file_case()["ticket_id"]


def snapshot(ticket_id: str) -> tuple[Any, ...]:
    case = Case.objects.get(ticket_id=ticket_id)
    return (
        case.state,
        case.agency_id,
        case.updated_at,
        list(case.co_agencies.values_list("pk", flat=True)),
        list(case.events.values_list("pk", flat=True)),
    )


def act(client: Client, ticket_id: str, action: str, **headers: str) -> Any:
    state, body = ACTIONS[action]
    set_state(ticket_id, state)
    return post_json(client, case_url(ticket_id, action), body, **headers)


@pytest.mark.parametrize("style", ["bearer", "lowercase-bearer", "x-api-key"])
@pytest.mark.parametrize("action", ACTIONS)
def test_the_agencys_officer_may_act_with_either_header(
    api: Client, ticket: str, officer: tuple[Officer, str], action: str, style: str
) -> None:
    _officer, key = officer
    headers = {
        "bearer": {"HTTP_AUTHORIZATION": f"Bearer {key}"},
        "lowercase-bearer": {"HTTP_AUTHORIZATION": f"bearer {key}"},
        "x-api-key": {"HTTP_X_API_KEY": key},
    }[style]

    response = act(api, ticket, action, **headers)

    assert response.status_code == 200, response.content
    assert response.json()["ticket_id"] == ticket
    assert Case.objects.get(ticket_id=ticket).events.count() == 2


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {"HTTP_AUTHORIZATION": "Bearer pk_not-a-real-key"},
        {"HTTP_AUTHORIZATION": "Basic b2ZmaWNlcjpwYXNzd29yZA=="},
        {"HTTP_X_API_KEY": "pk_not-a-real-key"},
    ],
    ids=["none", "empty-bearer", "unknown-bearer", "basic", "unknown-x-api-key"],
)
def test_without_a_valid_key_it_is_401(
    api: Client, ticket: str, action: str, headers: dict[str, str]
) -> None:
    state, _body = ACTIONS[action]
    before = snapshot(set_state(ticket, state).ticket_id)

    response = act(api, ticket, action, **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "Authorization: Bearer" in body["detail"]
    assert snapshot(ticket) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_a_revoked_key_is_401(
    api: Client, ticket: str, officer: tuple[Officer, str], action: str
) -> None:
    _officer, key = officer
    assert revoke_api_key(key[:12]) == 1
    state, _body = ACTIONS[action]
    before = snapshot(set_state(ticket, state).ticket_id)

    response = act(api, ticket, action, **auth(key))

    assert response.status_code == 401
    assert snapshot(ticket) == before


def test_a_key_records_when_it_was_last_used(
    api: Client, ticket: str, officer: tuple[Officer, str]
) -> None:
    _officer, key = officer
    assert ApiKey.objects.get(prefix=key[:12]).last_used_at is None
    act(api, ticket, "accept", **auth(key))
    assert ApiKey.objects.get(prefix=key[:12]).last_used_at is not None


@pytest.mark.parametrize("action", ACTIONS)
def test_a_key_of_a_non_officer_is_403(api: Client, ticket: str, action: str) -> None:
    user = get_user_model().objects.create_user("citizen-dev", password="x" * 12)
    _key, user_key = create_api_key("personal key", user)
    _key, partner_key = create_api_key("partner system")  # belongs to no user at all
    state, _body = ACTIONS[action]
    before = snapshot(set_state(ticket, state).ticket_id)

    for key in (user_key, partner_key):
        response = act(api, ticket, action, **auth(key))
        assert response.status_code == 403
        assert response.json() == {
            "detail": "this API key does not belong to an active officer",
            "code": "forbidden",
        }
    assert snapshot(ticket) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_a_deactivated_officer_is_403(
    api: Client, ticket: str, officer: tuple[Officer, str], action: str
) -> None:
    me, key = officer
    me.user.is_active = False
    me.user.save()
    state, _body = ACTIONS[action]
    before = snapshot(set_state(ticket, state).ticket_id)

    response = act(api, ticket, action, **auth(key))

    assert response.status_code == 403
    assert snapshot(ticket) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_an_officer_of_another_agency_is_403_and_nothing_changes(
    api: Client,
    ticket: str,
    make_agency: Callable[..., Agency],
    make_officer: Officers,
    action: str,
) -> None:
    _stranger, key = make_officer(make_agency("elsewhere", "หน่วยงานอื่น"))
    state, _body = ACTIONS[action]
    before = snapshot(set_state(ticket, state).ticket_id)

    response = act(api, ticket, action, **auth(key))

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "หน่วยงานอื่น may act only on its own or shared cases" in body["detail"]
    assert snapshot(ticket) == before


@pytest.mark.parametrize("action", ["forward", "invite"])
def test_a_stranger_gets_403_before_any_check_of_the_agency_or_reason(
    api: Client,
    ticket: str,
    make_agency: Callable[..., Agency],
    make_officer: Officers,
    action: str,
) -> None:
    _stranger, key = make_officer(make_agency("elsewhere", "หน่วยงานอื่น"))
    for body in ({"agency": "no-such-agency", "reason": "x"}, {"agency": "bma", "reason": ""}):
        response = post_json(api, case_url(ticket, action), body, **auth(key))
        assert response.status_code == 403


def test_an_invited_agencys_officer_can_then_act(
    api: Client,
    ticket: str,
    officer: tuple[Officer, str],
    make_officer: Officers,
) -> None:
    _me, key = officer
    _guest, guest_key = make_officer(Agency.objects.get(code="district-x"))
    comment = {"note": "เขตจะลอกท่อให้"}
    refused = post_json(api, case_url(ticket, "comment"), comment, **auth(guest_key))
    assert refused.status_code == 403

    invited = post_json(
        api,
        case_url(ticket, "invite"),
        {"agency": "district-x", "reason": "ท่อระบายน้ำเป็นของเขต"},
        **auth(key),
    )
    assert invited.status_code == 200
    assert [a["code"] for a in invited.json()["co_agencies"]] == ["district-x"]
    assert invited.json()["agency"]["code"] == "bma"

    response = post_json(api, case_url(ticket, "comment"), comment, **auth(guest_key))
    assert response.status_code == 200
    assert response.json()["timeline"][-1]["note"] == "เขตจะลอกท่อให้"
    # Helping is not taking over: accepting stays with the responsible agency.
    refused = post_json(api, case_url(ticket, "accept"), {}, **auth(guest_key))
    assert refused.status_code == 403 and "invited to help" in refused.json()["detail"]
    assert post_json(api, case_url(ticket, "accept"), {}, **auth(key)).status_code == 200
    progress = {"state": "in_progress", "note": "เขตเริ่มลอกท่อ"}
    moved = post_json(api, case_url(ticket, "state"), progress, **auth(guest_key))
    assert moved.json()["state"] == "in_progress"


def test_after_forwarding_the_old_agency_loses_access(
    api: Client, ticket: str, officer: tuple[Officer, str], make_officer: Officers
) -> None:
    _me, key = officer
    _new, new_key = make_officer(Agency.objects.get(code="district-x"))
    body = {"agency": "district-x", "reason": "ของเขต"}
    assert post_json(api, case_url(ticket, "forward"), body, **auth(key)).status_code == 200

    assert post_json(api, case_url(ticket, "accept"), {}, **auth(key)).status_code == 403
    assert post_json(api, case_url(ticket, "accept"), {}, **auth(new_key)).status_code == 200


def test_officer_actions_on_an_unknown_case_are_404(
    api: Client, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    response = post_json(api, case_url("2026-NOSUCH", "accept"), {}, **auth(key))
    assert response.status_code == 404
    assert response.json() == {"detail": "no case '2026-NOSUCH'", "code": "not_found"}
    assert not Event.objects.exists()
