"""POST /api/v1/cases/{ticket_id}/me-too: another citizen has the same problem.

Counted once per device (X-Device-Token or the cookie), citizen or, without either, address;
a repeat answers 200 with "already": true; the reporter is refused with 403 own_report."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from pracha.cases.models import Case, Event, MeToo
from pracha.config import Rate
from pracha.limits.device import COOKIE, HEADER, new_device_token
from pracha.states import State
from tests.factories import set_state
from tests.helpers import case_url


@pytest.fixture
def ticket_id(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


def neighbour() -> Client:
    """Another phone: its own signed device id, the same address as everyone in the tests."""
    client = Client()
    client.cookies[COOKIE] = new_device_token()
    return client


def me_too(client: Client, ticket_id: str, **extra: Any) -> Any:
    return client.post(case_url(ticket_id, "me-too"), **extra)


def test_me_too_counts_once_per_device(ticket_id: str) -> None:
    first = me_too(neighbour(), ticket_id)
    second = me_too(neighbour(), ticket_id)

    assert first.status_code == second.status_code == 200
    assert (first.json()["me_too_count"], first.json()["already"]) == (1, False)
    assert (second.json()["me_too_count"], second.json()["already"]) == (2, False)
    assert second.json()["timeline"][-1]["kind"] == "me_too"
    assert Event.objects.filter(kind=Event.Kind.ME_TOO).count() == 2


def test_sixteen_presses_from_one_client_count_once(ticket_id: str) -> None:
    """The attack of issue 22.6: the count feeds the dashboard and hotspots."""
    phone = neighbour()
    answers = [me_too(phone, ticket_id) for _ in range(16)]

    assert {a.status_code for a in answers} == {200}
    assert [a.json()["already"] for a in answers] == [False] + [True] * 15
    assert answers[-1].json()["me_too_count"] == 1
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 1
    assert Event.objects.filter(kind=Event.Kind.ME_TOO).count() == 1


def test_the_device_header_counts_as_that_device(ticket_id: str) -> None:
    token = new_device_token()
    assert not me_too(Client(), ticket_id, HTTP_X_DEVICE_TOKEN=token).json()["already"]
    assert me_too(Client(), ticket_id, HTTP_X_DEVICE_TOKEN=token).json()["already"]
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 1


def test_dropping_or_forging_the_device_id_does_not_count_again(ticket_id: str) -> None:
    """Without a valid device id the address is the person: one "me too" for all such."""
    answers = [me_too(Client(), ticket_id) for _ in range(3)]
    answers.append(me_too(Client(), ticket_id, HTTP_X_DEVICE_TOKEN="forged:device"))
    forged = Client()
    forged.cookies[COOKIE] = "made-up"
    answers.append(me_too(forged, ticket_id))

    assert [a.json()["already"] for a in answers] == [False, True, True, True, True]
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 1
    # Each device-less client is issued a device id for next time.
    assert answers[0][HEADER]


def test_the_database_refuses_a_second_row_for_one_person(ticket_id: str) -> None:
    case = Case.objects.get(ticket_id=ticket_id)
    MeToo.objects.create(case=case, voter="x" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeToo.objects.create(case=case, voter="x" * 64)


def test_the_reporter_cannot_me_too_their_own_report(api: Client, db: None) -> None:
    filed = api.post(
        "/api/v1/cases",
        {"description": "ไฟดับทั้งซอย", "lat": 13.7563, "lon": 100.5018},
        content_type="application/json",
    ).json()
    ticket_id = filed["ticket_id"]
    # By their citizen_token, from anywhere ...
    by_token = me_too(neighbour(), ticket_id, HTTP_X_CITIZEN_TOKEN=filed["citizen_token"])
    # ... and from the device that filed it (the API client keeps its issued cookie).
    by_device = me_too(api, ticket_id)

    for refused in (by_token, by_device):
        assert refused.status_code == 403
        assert refused.json()["code"] == "own_report"
        assert "you filed this report yourself" in refused.json()["detail"]
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 0
    # A wrong token is simply not the reporter's.
    assert me_too(neighbour(), ticket_id, HTTP_X_CITIZEN_TOKEN="nope").status_code == 200


def test_an_app_reporter_is_known_by_the_device_id_issued_with_the_first_report(
    db: None,
) -> None:
    app = Client()
    filed = app.post(
        "/api/v1/cases",
        {"description": "ท่อแตก", "lat": 13.7563, "lon": 100.5018},
        content_type="application/json",
    )
    token = filed[HEADER]
    refused = me_too(Client(), filed.json()["ticket_id"], HTTP_X_DEVICE_TOKEN=token)
    assert refused.status_code == 403 and refused.json()["code"] == "own_report"


def test_me_too_presses_are_rate_limited_per_device(
    ticket_id: str, file_case: Callable[..., dict[str, Any]], settings: Any
) -> None:
    settings.PRACHA = dataclasses.replace(
        settings.PRACHA, rate_metoo_per_ip=Rate(300, 600), rate_metoo_per_device=Rate(2, 600)
    )
    phone = neighbour()
    tickets = [ticket_id, file_case()["ticket_id"], file_case()["ticket_id"]]
    answers = [me_too(phone, t) for t in tickets]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1]["Retry-After"] and answers[-1].json()["code"] == "rate_limited"


@pytest.mark.parametrize("state", [State.ACCEPTED, State.FORWARDED, State.PROCUREMENT])
def test_me_too_on_any_open_case(ticket_id: str, state: State) -> None:
    set_state(ticket_id, state)
    assert me_too(neighbour(), ticket_id).json()["me_too_count"] == 1


@pytest.mark.parametrize("state", [State.DONE, State.IRRELEVANT])
def test_me_too_on_a_closed_case_is_409(ticket_id: str, state: State) -> None:
    set_state(ticket_id, state)
    response = me_too(neighbour(), ticket_id)
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


ADDRESS_LIMIT = Rate(300, 600)


def per_case_cap(settings: Any, count: int, *, per_ip: Rate | None = ADDRESS_LIMIT) -> None:
    settings.PRACHA = dataclasses.replace(
        settings.PRACHA,
        rate_metoo_per_ip=per_ip,
        rate_metoo_per_case_per_ip=Rate(count, 86400),
    )


def test_one_address_cannot_inflate_a_case_with_minted_devices(
    ticket_id: str, file_case: Callable[..., dict[str, Any]], settings: Any
) -> None:
    """The attack: a fresh device id for every press, all from one address."""
    per_case_cap(settings, 3)
    answers = [me_too(neighbour(), ticket_id) for _ in range(6)]

    assert [a.status_code for a in answers] == [200] * 3 + [429] * 3
    refused = answers[-1]
    assert refused.json()["code"] == "rate_limited" and int(refused["Retry-After"]) >= 1
    assert "at most 3 per day" in refused.json()["detail"]
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 3
    assert MeToo.objects.filter(by_reporter=False).count() == 3
    # Another case, and another address, still count; a repeat still answers "already".
    assert me_too(neighbour(), file_case()["ticket_id"]).status_code == 200
    elsewhere = neighbour()
    assert me_too(elsewhere, ticket_id, REMOTE_ADDR="198.51.100.4").status_code == 200
    again = me_too(elsewhere, ticket_id)  # now from the capped address
    assert (again.status_code, again.json()["already"]) == (200, True)


def test_the_ticket_page_refuses_over_the_per_case_cap(ticket_id: str, settings: Any) -> None:
    per_case_cap(settings, 1)
    assert neighbour().post(f"/t/{ticket_id}/me-too/").status_code in {302, 303}
    refused = neighbour().post(f"/t/{ticket_id}/me-too/")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 1


def test_off_for_addresses_switches_the_per_case_cap_off(ticket_id: str, settings: Any) -> None:
    per_case_cap(settings, 1, per_ip=None)
    assert {me_too(neighbour(), ticket_id).status_code for _ in range(4)} == {200}
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 4
