"""Who may do what in the officers' back office: every signed-in role against every page
action. The API has its own matrix (test_role_matrix); these are the session-based forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from tests.helpers import set_state

ROLES = [
    "anonymous",
    "no_agency_user",
    "responsible_officer",
    "invited_officer",
    "other_agency_officer",
    "supervisor",
]
STAFF = {"responsible_officer", "invited_officer", "supervisor"}
ACTIONS: dict[str, tuple[str, dict[str, str]]] = {  # name: (state before, form)
    "accept": ("waiting", {"note": "รับเรื่อง"}),
    "comment": ("accepted", {"note": "กำลังตรวจสอบ", "visibility": "public"}),
    "staff_comment": ("accepted", {"note": "ภายใน", "visibility": "staff"}),
    "state": ("accepted", {"state": "in_progress"}),
    "forward": ("accepted", {"agency": "target", "reason": "ของหน่วยงานนี้"}),
    "invite": ("accepted", {"agency": "target", "reason": "ช่วยกัน"}),
    "close": ("accepted", {"outcome": "irrelevant", "note": "พื้นที่เอกชน"}),
    "bulk_accept": ("waiting", {"action": "accept"}),
}
MATRIX = [(role, action) for role in ROLES for action in ACTIONS]


@pytest.fixture
def signed_in(
    bma: Agency,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> Callable[[str], Client]:
    def sign_in(role: str) -> Client:
        client = Client()
        if role == "anonymous":
            return client
        if role == "no_agency_user":
            user = get_user_model().objects.create_user("clerk", password="pw-12345678")
        elif role == "responsible_officer":
            user = make_officer(bma, "responsible")[0].user
        elif role == "invited_officer":
            user = make_officer(Agency.objects.get(code="invited"), "invited-officer")[0].user
        elif role == "other_agency_officer":
            user = make_officer(make_agency("other", "หน่วยงานอื่น"), "stranger")[0].user
        else:
            user = make_officer(bma, "boss", role="supervisor")[0].user
        client.force_login(user)
        return client

    return sign_in


def snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.state,
        case.agency_id,
        sorted(case.co_agencies.values_list("pk", flat=True)),
        case.events.count(),
    )


def test_the_matrix_covers_every_role_and_every_action() -> None:
    print(f"\nback-office matrix: {len(ROLES)} roles x {len(ACTIONS)} actions = {len(MATRIX)}")
    assert len(MATRIX) == 48


@pytest.mark.parametrize(("role", "action"), MATRIX)
def test_role_may_or_may_not_act_in_the_office(
    signed_in: Callable[[str], Client],
    file_case: Callable[..., dict[str, Any]],
    make_agency: Callable[..., Agency],
    bma: Agency,
    role: str,
    action: str,
) -> None:
    state, form = ACTIONS[action]
    invited = make_agency("invited", "สำนักงานเขตที่ได้รับเชิญ")
    make_agency("target", "หน่วยงานปลายทาง")
    case = Case.objects.get(ticket_id=file_case()["ticket_id"])
    assert case.agency_id == bma.pk
    case.co_agencies.add(invited)
    set_state(case.ticket_id, state)
    client = signed_in(role)
    before = snapshot(case)

    if action == "bulk_accept":
        response = client.post("/office/bulk/", {**form, "tickets": [case.ticket_id]})
    else:
        path = "comment" if action == "staff_comment" else action
        response = client.post(f"/office/case/{case.ticket_id}/{path}/", form)

    if role == "anonymous":
        assert response.status_code == 302 and "/office/login/" in response["Location"]
    elif role == "no_agency_user":
        assert response.status_code == 403
    elif role in STAFF or action == "bulk_accept":
        assert response.status_code == 302  # back to the case or the inbox, with a message
    else:
        assert response.status_code == 403, response.content[:300]
    changed = snapshot(case) != before
    assert changed == (role in STAFF), (role, action, "changed" if changed else "unchanged")


def test_an_unknown_action_is_not_found(
    signed_in: Callable[[str], Client], file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case()["ticket_id"]
    response = signed_in("responsible_officer").post(f"/office/case/{ticket}/demolish/")
    assert response.status_code == 404
