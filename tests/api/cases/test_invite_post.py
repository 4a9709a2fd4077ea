"""POST /api/v1/cases/{ticket_id}/invite: share a case with another agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json


@pytest.fixture
def ticket_id(file_case: Callable[..., dict[str, Any]]) -> str:
    return file_case()["ticket_id"]


@pytest.fixture
def mea(make_agency: Callable[..., Agency]) -> Agency:
    return make_agency("mea-test", "การไฟฟ้านครหลวง (ทดสอบ)")


def invite(api: Client, ticket_id: str, key: str, body: dict[str, Any]) -> Any:
    return post_json(api, case_url(ticket_id, "invite"), body, **auth(key))


def test_invite_shares_the_case(
    api: Client,
    ticket_id: str,
    officer: tuple[Officer, str],
    mea: Agency,
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    _me, key = officer
    response = invite(api, ticket_id, key, {"agency": "mea-test", "reason": "สายไฟห้อยต่ำ"})

    assert response.status_code == 200
    body = response.json()
    assert body["agency"]["code"] == "bma"
    assert [a["code"] for a in body["co_agencies"]] == ["mea-test"]
    assert body["state"] == "waiting"
    last = body["timeline"][-1]
    assert (last["kind"], last["to_agency"]["code"], last["note"]) == (
        "invited",
        "mea-test",
        "สายไฟห้อยต่ำ",
    )
    # The invited agency's officer now helps, and sees staff-only notes; closing and
    # accepting stay with the responsible agency.
    _guest, guest_key = make_officer(mea)
    note = {"note": "ตัดกิ่งไม้แล้ว", "public": False}
    assert (
        post_json(api, case_url(ticket_id, "comment"), note, **auth(guest_key)).status_code == 200
    )
    closed = post_json(
        api, case_url(ticket_id, "close"), {"outcome": "done", "note": "เรียบร้อย"}, **auth(guest_key)
    )
    assert closed.status_code == 403
    assert post_json(api, case_url(ticket_id, "accept"), {}, **auth(guest_key)).status_code == 403
    staff = api.get(case_url(ticket_id), **auth(guest_key)).json()
    assert "ตัดกิ่งไม้แล้ว" in [e["note"] for e in staff["timeline"]]
    assert staff["state"] == "waiting"


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        ({"agency": "nobody", "reason": "x"}, 400, "agency", "no agency matches"),
        ({"agency": "bma", "reason": "x"}, 400, "agency", "already works on"),
        ({"agency": "mea-test", "reason": ""}, 400, "reason", "reason"),
        ({"agency": "mea-test"}, 422, "reason", "Field required"),
    ],
)
def test_bad_invitations(
    api: Client,
    ticket_id: str,
    officer: tuple[Officer, str],
    mea: Agency,
    body: dict[str, Any],
    status: int,
    field: str,
    words: str,
) -> None:
    _me, key = officer
    response = invite(api, ticket_id, key, body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert not Case.objects.get(ticket_id=ticket_id).co_agencies.exists()


def test_inviting_twice_is_400(
    api: Client, ticket_id: str, officer: tuple[Officer, str], mea: Agency
) -> None:
    _me, key = officer
    assert invite(api, ticket_id, key, {"agency": "mea-test", "reason": "x"}).status_code == 200
    again = invite(api, ticket_id, key, {"agency": "mea-test", "reason": "x"})
    assert again.status_code == 400
    assert "already works on" in again.json()["detail"]


def test_no_invitations_to_closed_cases(
    api: Client, ticket_id: str, officer: tuple[Officer, str], mea: Agency
) -> None:
    _me, key = officer
    set_state(ticket_id, State.DONE)
    response = invite(api, ticket_id, key, {"agency": "mea-test", "reason": "x"})
    assert response.status_code == 409
    assert "reopen it first" in response.json()["detail"]
