"""Who may do what in the officers' back office: every signed-in role against every page
action. The API has its own matrix (test_role_matrix); these are the session-based forms.
Invited helpers comment and report progress; accepting, forwarding, inviting, closing and
reading the contact stay with the responsible agency and supervisors; the case page offers
only what its POST allows and shows exactly what the API shows the same officer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import create_api_key
from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, ReporterContact
from pracha.cases.services import workflow
from tests.factories import set_state
from tests.helpers import auth, case_url

ROLES = [
    "anonymous",
    "no_agency_user",
    "responsible_officer",
    "invited_officer",
    "invited_supervisor",
    "other_agency_officer",
    "supervisor",
    "superuser_officer",
]
MANAGERS = {"responsible_officer", "supervisor", "superuser_officer"}
STAFF = MANAGERS | {"invited_officer", "invited_supervisor"}
OFFICERS = [r for r in ROLES if r not in {"anonymous", "no_agency_user"}]
ACTIONS: dict[str, tuple[str, dict[str, str]]] = {  # name: (state before, form); "who" below
    "accept": ("waiting", {"note": "รับเรื่อง"}),
    "comment": ("accepted", {"note": "กำลังตรวจสอบ", "visibility": "public"}),
    "staff_comment": ("accepted", {"note": "ภายใน", "visibility": "staff"}),
    "state": ("accepted", {"state": "in_progress"}),
    "forward": ("accepted", {"agency": "target", "reason": "ของหน่วยงานนี้"}),
    "invite": ("accepted", {"agency": "target", "reason": "ช่วยกัน"}),
    "close": ("accepted", {"outcome": "irrelevant", "note": "พื้นที่เอกชน"}),
    "bulk_accept": ("waiting", {"action": "accept"}),
    "contact": ("accepted", {"purpose": "โทรสอบถามจุดเกิดเหตุ"}),
}
ALLOWED = {
    **{action: STAFF for action in ("comment", "staff_comment", "state")},
    **{action: MANAGERS for action in ("accept", "forward", "invite", "close", "bulk_accept")},
    "contact": MANAGERS,
}
BUTTONS = {  # what the case page offers, by the action that needs the button
    "accept": 'action="/office/case/{t}/accept/"',
    "forward": 'action="/office/case/{t}/forward/"',
    "invite": 'action="/office/case/{t}/invite/"',
    "close": 'action="/office/case/{t}/close/"',
    "contact": 'action="/office/case/{t}/contact/"',
    "comment": 'action="/office/case/{t}/comment/"',
}
TEXT_PHONE = "089-999-1234"
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
        elif role == "invited_supervisor":
            invited = Agency.objects.get(code="invited")
            user = make_officer(invited, "invited-boss", role="supervisor")[0].user
        elif role == "other_agency_officer":
            user = make_officer(make_agency("other", "หน่วยงานอื่น"), "stranger")[0].user
        elif role == "superuser_officer":
            user = make_officer(make_agency("city", "ศาลาว่าการ"), "city-admin")[0].user
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
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
    assert len(MATRIX) == len(ROLES) * len(ACTIONS) == 72


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
    ReporterContact.objects.create(case=case, name="สมชาย", phone="081-234-5678")
    set_state(case.ticket_id, state)
    client = signed_in(role)
    before = snapshot(case)
    reads_before = AuditEntry.objects.filter(action="contact.read").count()

    if action == "bulk_accept":
        response = client.post("/office/bulk/", {**form, "tickets": [case.ticket_id]})
    else:
        path = "comment" if action == "staff_comment" else action
        response = client.post(f"/office/case/{case.ticket_id}/{path}/", form)

    if role == "anonymous":
        assert response.status_code == 302 and "/office/login/" in response["Location"]
    elif role == "no_agency_user":
        assert response.status_code == 403
    elif action == "contact":
        allowed = role in ALLOWED[action]
        assert response.status_code == (200 if allowed else 403), response.content[:300]
        assert ("081-234-5678" in response.content.decode()) == allowed
    elif role in ALLOWED[action] or action == "bulk_accept":
        assert response.status_code == 302  # back to the case or the inbox, with a message
    else:
        assert response.status_code == 403, response.content[:300]
    changed = snapshot(case) != before
    expected = role in ALLOWED[action] and action != "contact"
    assert changed == expected, (role, action, "changed" if changed else "unchanged")
    reads = AuditEntry.objects.filter(action="contact.read").count() - reads_before
    assert reads == (1 if action == "contact" and role in ALLOWED[action] else 0)


def test_an_unknown_action_is_not_found(
    signed_in: Callable[[str], Client], file_case: Callable[..., dict[str, Any]]
) -> None:
    ticket = file_case()["ticket_id"]
    response = signed_in("responsible_officer").post(f"/office/case/{ticket}/demolish/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", OFFICERS)
def test_the_case_page_offers_and_shows_what_the_api_allows(
    signed_in: Callable[[str], Client],
    file_case: Callable[..., dict[str, Any]],
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    bma: Agency,
    role: str,
) -> None:
    """One rule for both: the staff-only note and the unmasked text appear on the page
    exactly when the API shows them to the same officer, and the page offers a button only
    to those the POST would let through."""
    invited = make_agency("invited", "สำนักงานเขตที่ได้รับเชิญ")
    ticket = file_case(description=f"ไฟดับทั้งซอย ติดต่อ {TEXT_PHONE}")["ticket_id"]
    case = Case.objects.get(ticket_id=ticket)
    case.co_agencies.add(invited)
    owner, _key = make_officer(bma, "owner")
    workflow.do_comment(case, owner, "บันทึกภายในเท่านั้น", public=False)
    set_state(ticket, "accepted")
    client = signed_in(role)
    page = client.get(f"/office/case/{ticket}/").content.decode()
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    api = Client().get(case_url(ticket), **auth(create_api_key("page check", user)[1]))
    answer = api.content.decode()

    staff = role in STAFF
    assert ("บันทึกภายในเท่านั้น" in page) == ("บันทึกภายในเท่านั้น" in answer) == staff
    assert (TEXT_PHONE in page) == (TEXT_PHONE in answer) == staff
    for action, form in BUTTONS.items():
        wanted = role in ALLOWED.get(action, MANAGERS)
        if action == "accept":
            wanted = False  # an accepted case offers no accept, to anyone
        assert (form.format(t=ticket) in page) == wanted, (role, action)
