"""Every (from, to) pair of states: allowed moves succeed through their action, others refuse.

The case's state is set directly in the database; the move goes through the service that owns
it (accept, forward, change state, close, or the citizen's reopen) and, separately, through the
API, where an illegal move is a 409 with a readable `detail`.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.errors import IllegalTransition
from pracha.cases.models import Case, Event
from pracha.cases.services import citizen, workflow
from pracha.states import CLOSED_STATES, TRANSITIONS, WORK_STATES, State, can_move
from pracha.tickets import citizen_token
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json

ALL_PAIRS = list(product(State, State))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]

EVENT_KIND = {
    State.ACCEPTED: Event.Kind.ACCEPTED,
    State.FORWARDED: Event.Kind.FORWARDED,
    State.DONE: Event.Kind.CLOSED,
    State.IRRELEVANT: Event.Kind.CLOSED,
    State.WAITING: Event.Kind.REOPENED,
    **{state: Event.Kind.STATE_CHANGED for state in WORK_STATES},
}


def pair_id(pair: tuple[State, State]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def move(case: Case, to: State, officer: Officer, elsewhere: Agency) -> Event:
    """Ask for `to` through the action that owns it."""
    if to == State.ACCEPTED:
        return workflow.do_accept(case, officer, "รับเรื่องแล้ว")
    if to == State.FORWARDED:
        return workflow.do_forward(case, officer, elsewhere, "อยู่ในความรับผิดชอบของเขต")
    if to in CLOSED_STATES:
        return workflow.do_close(case, officer, to, "ตรวจสอบแล้ว")
    if to == State.WAITING:
        return citizen.do_reopen(case, "ยังไม่ได้แก้ไข", citizen_token(case.ticket_id))
    return workflow.do_change_state(case, officer, to, "")


def api_move(client: Client, ticket_id: str, to: State, key: str) -> Any:
    if to == State.ACCEPTED:
        return post_json(client, case_url(ticket_id, "accept"), {}, **auth(key))
    if to == State.FORWARDED:
        body = {"agency": "district-x", "reason": "อยู่ในความรับผิดชอบของเขต"}
        return post_json(client, case_url(ticket_id, "forward"), body, **auth(key))
    if to in CLOSED_STATES:
        body = {"outcome": to.value, "note": "ตรวจสอบแล้ว"}
        return post_json(client, case_url(ticket_id, "close"), body, **auth(key))
    if to == State.WAITING:
        body = {"reason": "ยังไม่ได้แก้ไข", "citizen_token": citizen_token(ticket_id)}
        return post_json(client, case_url(ticket_id, "reopen"), body)
    return post_json(client, case_url(ticket_id, "state"), {"state": to.value}, **auth(key))


@pytest.fixture
def setup(
    file_case: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
    make_agency: Callable[..., Agency],
) -> tuple[str, Officer, str, Agency]:
    ticket_id = file_case()["ticket_id"]
    elsewhere = make_agency("district-x", "สำนักงานเขตทดสอบ")
    return ticket_id, officer[0], officer[1], elsewhere


def test_the_table_covers_every_state_and_closed_states_only_reopen() -> None:
    assert set(TRANSITIONS) == set(State)
    for state in CLOSED_STATES:
        assert TRANSITIONS[state] == {State.WAITING}
    for state in State:
        assert state not in TRANSITIONS[state] or state == State.FORWARDED
        # Only the citizen's reopen leads back to waiting.
        assert (State.WAITING in TRANSITIONS[state]) == (state in CLOSED_STATES)


@pytest.mark.parametrize("pair", ALLOWED, ids=pair_id)
def test_allowed_move_succeeds(setup: tuple[str, Officer, str, Agency], pair: Any) -> None:
    from_state, to_state = pair
    ticket_id, officer, _key, elsewhere = setup
    case = set_state(ticket_id, from_state)
    before = case.events.count()

    event = move(case, to_state, officer, elsewhere)

    case.refresh_from_db()
    assert case.state == to_state
    assert case.events.count() == before + 1
    assert event.kind == EVENT_KIND[to_state]
    assert (event.from_state, event.to_state) == (from_state, to_state)
    assert (case.closed_at is not None) == (to_state in CLOSED_STATES)
    if to_state == State.FORWARDED:
        assert case.agency == elsewhere
        assert event.to_agency == elsewhere


@pytest.mark.parametrize("pair", ILLEGAL, ids=pair_id)
def test_illegal_move_is_refused(setup: tuple[str, Officer, str, Agency], pair: Any) -> None:
    from_state, to_state = pair
    ticket_id, officer, _key, elsewhere = setup
    case = set_state(ticket_id, from_state)
    before = list(case.events.values_list("pk", flat=True))

    with pytest.raises(IllegalTransition) as refused:
        move(case, to_state, officer, elsewhere)

    assert ticket_id in refused.value.message
    assert from_state.value in refused.value.message
    case.refresh_from_db()
    assert case.state == from_state
    assert list(case.events.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("pair", ALLOWED, ids=pair_id)
def test_allowed_move_through_the_api(
    api: Client, setup: tuple[str, Officer, str, Agency], pair: Any
) -> None:
    from_state, to_state = pair
    ticket_id, _officer, key, _elsewhere = setup
    set_state(ticket_id, from_state)

    response = api_move(api, ticket_id, to_state, key)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == to_state.value
    assert body["status"] == ("closed" if to_state in CLOSED_STATES else "open")
    last = body["timeline"][-1]
    assert (last["from_state"], last["to_state"]) == (from_state.value, to_state.value)


@pytest.mark.parametrize("pair", ILLEGAL, ids=pair_id)
def test_illegal_move_through_the_api_is_409(
    api: Client, setup: tuple[str, Officer, str, Agency], pair: Any
) -> None:
    from_state, to_state = pair
    ticket_id, _officer, key, _elsewhere = setup
    set_state(ticket_id, from_state)

    response = api_move(api, ticket_id, to_state, key)

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert ticket_id in body["detail"]
    assert Case.objects.get(ticket_id=ticket_id).state == from_state


@pytest.mark.parametrize(
    ("target", "advice"),
    [
        (State.ACCEPTED, "use the accept action"),
        (State.FORWARDED, "use the forward action"),
        (State.DONE, "use the close action"),
        (State.IRRELEVANT, "use the close action"),
        (State.WAITING, "only the reporter can reopen"),
    ],
)
def test_the_state_action_only_moves_between_working_states(
    setup: tuple[str, Officer, str, Agency], target: State, advice: str
) -> None:
    """Moves owned by another action are refused with a pointer to that action."""
    ticket_id, officer, _key, _elsewhere = setup
    source = next(s for s in State if can_move(s, target))
    case = set_state(ticket_id, source)

    with pytest.raises(IllegalTransition) as refused:
        workflow.do_change_state(case, officer, target)

    assert advice in refused.value.message
    assert Case.objects.get(pk=case.pk).state == source
