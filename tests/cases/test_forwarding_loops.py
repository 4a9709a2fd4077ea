"""Forwarding ping-pong: a case may go back to an agency that had it only so many times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.errors import ForwardingLoop
from pracha.cases.models import Case, Event
from pracha.cases.services import workflow
from pracha.cases.services.workflow import held_by
from pracha.states import State
from tests.helpers import auth, case_url, post_json

Officers = Callable[..., tuple[Officer, str]]


@pytest.fixture
def agencies(
    bma: Agency, make_agency: Callable[..., Agency], make_officer: Officers
) -> dict[str, tuple[Agency, Officer, str]]:
    """A (the city, where cases start), B and C, each with one officer and key."""
    b = make_agency("agency-b", "หน่วยงาน บี")
    c = make_agency("agency-c", "หน่วยงาน ซี")
    return {
        name: (agency, *make_officer(agency)) for name, agency in (("A", bma), ("B", b), ("C", c))
    }


@pytest.fixture
def case(file_case: Callable[..., dict[str, Any]]) -> Case:
    return Case.objects.get(ticket_id=file_case()["ticket_id"])


def forward(case: Case, agencies: dict[str, Any], frm: str, to: str) -> Event:
    return workflow.do_forward(case, agencies[frm][1], agencies[to][0], f"{frm} ส่งให้ {to}")


def test_back_once_is_allowed_by_default(case: Case, agencies: dict[str, Any]) -> None:
    forward(case, agencies, "A", "B")
    forward(case, agencies, "B", "A")

    case.refresh_from_db()
    assert case.agency == agencies["A"][0]
    assert case.forward_count == 2
    assert held_by(case) == [agencies["A"][0].pk, agencies["B"][0].pk, agencies["A"][0].pk]


def test_a_second_return_is_a_loop(case: Case, agencies: dict[str, Any]) -> None:
    forward(case, agencies, "A", "B")
    forward(case, agencies, "B", "A")

    with pytest.raises(ForwardingLoop) as refused:
        forward(case, agencies, "A", "B")

    assert "already been with หน่วยงาน บี" in refused.value.message
    assert "supervisor" in refused.value.message
    case.refresh_from_db()
    assert case.agency == agencies["A"][0]
    assert case.forward_count == 2
    assert case.events.filter(kind=Event.Kind.FORWARDED).count() == 2


def test_new_agencies_are_not_returns(case: Case, agencies: dict[str, Any]) -> None:
    forward(case, agencies, "A", "B")
    forward(case, agencies, "B", "C")
    forward(case, agencies, "C", "A")  # the one return allowed
    assert Case.objects.get(pk=case.pk).agency == agencies["A"][0]


def test_a_case_routed_without_a_forward_counts_its_holder(
    case: Case, agencies: dict[str, Any]
) -> None:
    """Routing after intake hands the case to B with no forward event; B still held it."""
    Case.objects.filter(pk=case.pk).update(agency=agencies["B"][0])
    case.refresh_from_db()
    forward(case, agencies, "B", "C")
    forward(case, agencies, "C", "B")  # the one return allowed

    with pytest.raises(ForwardingLoop):
        forward(case, agencies, "B", "C")
    a, b, c = (agencies[name][0].pk for name in "ABC")
    assert held_by(Case.objects.get(pk=case.pk)) == [a, b, c, b]


def test_with_limit_zero_no_return_is_allowed(
    case: Case, agencies: dict[str, Any], pracha: Callable[..., None]
) -> None:
    pracha(forward_return_limit=0)
    forward(case, agencies, "A", "B")

    with pytest.raises(ForwardingLoop, match=r"limit 0"):
        forward(case, agencies, "B", "A")

    assert Case.objects.get(pk=case.pk).agency == agencies["B"][0]


def test_a_higher_limit_allows_more_returns(
    case: Case, agencies: dict[str, Any], pracha: Callable[..., None]
) -> None:
    pracha(forward_return_limit=2)
    forward(case, agencies, "A", "B")
    forward(case, agencies, "B", "A")
    forward(case, agencies, "A", "B")
    with pytest.raises(ForwardingLoop):
        forward(case, agencies, "B", "A")


def test_the_loop_through_the_api_is_409(api: Client, case: Case, agencies: dict[str, Any]) -> None:
    def send(key: str, to: str) -> Any:
        body = {"agency": to, "reason": "ไม่ใช่งานของเรา"}
        return post_json(api, case_url(case.ticket_id, "forward"), body, **auth(key))

    assert send(agencies["A"][2], "agency-b").status_code == 200
    assert send(agencies["B"][2], "bma").status_code == 200

    response = send(agencies["A"][2], "agency-b")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "forwarding_loop"
    assert "supervisor" in body["detail"]
    assert Case.objects.get(pk=case.pk).state == State.FORWARDED
