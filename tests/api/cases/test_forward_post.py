"""POST /api/v1/cases/{ticket_id}/forward: hand a case to another agency, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Event
from pracha.states import State
from tests.helpers import auth, case_url, post_json


@pytest.fixture
def ticket_id(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


@pytest.fixture
def district(make_agency: Callable[..., Agency]) -> Agency:
    return make_agency("district-bangrak", "สำนักงานเขตบางรัก", name_en="Bang Rak District Office")


def forward(api: Client, ticket_id: str, key: str, body: dict[str, Any]) -> Any:
    return post_json(api, case_url(ticket_id, "forward"), body, **auth(key))


@pytest.mark.parametrize(
    "ref", ["district-bangrak", "สำนักงานเขตบางรัก", "bang rak district office", "id"]
)
def test_forward_by_code_name_or_id(
    api: Client, ticket_id: str, officer: tuple[Officer, str], district: Agency, ref: str
) -> None:
    _me, key = officer
    ref = str(district.pk) if ref == "id" else ref
    response = forward(api, ticket_id, key, {"agency": ref, "reason": "ถนนซอยเป็นของเขต"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "forwarded"
    assert body["agency"]["code"] == "district-bangrak"
    assert body["forward_count"] == 1
    last = body["timeline"][-1]
    assert last["kind"] == "forwarded"
    assert last["note"] == "ถนนซอยเป็นของเขต"
    assert (last["from_agency"]["code"], last["to_agency"]["code"]) == ("bma", "district-bangrak")
    # The public sees the forward and its reason too.
    public = api.get(case_url(ticket_id)).json()
    assert public["timeline"][-1]["to_agency"]["code"] == "district-bangrak"


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        ({"agency": "no-such-agency", "reason": "x"}, 400, "agency", "no agency matches"),
        ({"agency": "", "reason": "x"}, 400, "agency", "no agency matches"),
        ({"agency": "bma", "reason": "x"}, 400, "agency", "already with"),
        ({"agency": "district-bangrak", "reason": ""}, 400, "reason", "reason"),
        ({"agency": "district-bangrak", "reason": "  \n "}, 400, "reason", "reason"),
        ({"agency": "district-bangrak"}, 422, "reason", "Field required"),
        ({"reason": "x"}, 422, "agency", "Field required"),
        ({"agency": 7, "reason": "x"}, 422, "agency", "string"),
        ({"agency": "a\x00", "reason": "x"}, 400, "agency", "no agency matches"),
        ({"agency": "x" * 1000, "reason": "x"}, 400, "agency", "no agency matches"),
    ],
)
def test_bad_forwards(
    api: Client,
    ticket_id: str,
    officer: tuple[Officer, str],
    district: Agency,
    body: dict[str, Any],
    status: int,
    field: str,
    words: str,
) -> None:
    _me, key = officer
    response = forward(api, ticket_id, key, body)

    assert response.status_code == status, response.content
    out = response.json()
    assert out["field"] == field
    assert words in out["detail"]
    assert len(out["detail"]) < 300
    case = Case.objects.get(ticket_id=ticket_id)
    assert (case.state, case.agency.code, case.forward_count) == (State.WAITING, "bma", 0)
    assert not Event.objects.filter(kind=Event.Kind.FORWARDED).exists()


def test_forward_to_an_inactive_agency(
    api: Client, ticket_id: str, officer: tuple[Officer, str], district: Agency
) -> None:
    _me, key = officer
    district.is_active = False
    district.save()
    response = forward(api, ticket_id, key, {"agency": "district-bangrak", "reason": "x"})
    assert response.status_code == 400
    assert response.json()["detail"] == "สำนักงานเขตบางรัก no longer takes cases"


def test_a_closed_case_cannot_be_forwarded(
    api: Client,
    file_case: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
    district: Agency,
) -> None:
    _me, key = officer
    ticket_id = file_case()["ticket_id"]
    post_json(
        api, case_url(ticket_id, "close"), {"outcome": "irrelevant", "note": "ซ้ำ"}, **auth(key)
    )
    response = forward(api, ticket_id, key, {"agency": "district-bangrak", "reason": "x"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
