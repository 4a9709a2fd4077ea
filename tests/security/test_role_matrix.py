"""Who may do what: every role against every action, through the API.

Roles: anonymous, the reporter (citizen token), an officer of the responsible agency, of an
invited agency (a helper), a supervisor of the invited agency (still only a helper), an
officer of another agency, a supervisor of the responsible agency, a superuser who is an
officer of another agency (a city-wide supervisor), an administrator (superuser with an API
key but no agency), a partner system's key (no officer), and a revoked key. A refusal must
change nothing; an allowed action must do what it says. Helpers work on the case; only the
responsible agency and supervisors move responsibility (pracha.cases.actors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.agencies.models import Agency, ApiKey, Officer
from pracha.agencies.services import create_api_key, revoke_api_key
from pracha.audit.models import AuditEntry
from pracha.cases.models import Case
from pracha.cases.services import workflow
from tests.factories import BANGKOK, REPORTER, set_state
from tests.helpers import auth, case_url, image_bytes, upload

ROLES = [
    "anonymous",
    "reporter",
    "responsible_officer",
    "invited_officer",
    "invited_supervisor",
    "other_agency_officer",
    "supervisor",
    "superuser_officer",
    "admin",
    "partner_key",
    "revoked_key",
]
MANAGERS = {"responsible_officer", "supervisor", "superuser_officer"}
STAFF = MANAGERS | {"invited_officer", "invited_supervisor"}
TEXT_PHONE = "089-999-1234"  # a phone number in the report's text: masked for outsiders
NO_KEY = {"anonymous", "reporter", "revoked_key"}  # officer endpoints answer 401
EVERYONE = set(ROLES)


@dataclass(frozen=True)
class Action:
    state: str  # the case's state before the action
    allowed: frozenset[str]
    ok: int  # the status an allowed role gets
    refused: Callable[[str], int]  # the status a refused role gets


def officer_refusal(role: str) -> int:
    return 401 if role in NO_KEY else 403


def citizen_refusal(role: str) -> int:
    return 403


ACTIONS: dict[str, Action] = {
    "file": Action("waiting", frozenset(EVERYONE), 201, citizen_refusal),
    "read": Action("accepted", frozenset(EVERYONE), 200, citizen_refusal),
    "list": Action("accepted", frozenset(EVERYONE), 200, citizen_refusal),
    "add_photo": Action("accepted", frozenset(STAFF | {"reporter"}), 201, citizen_refusal),
    "after_photo": Action("accepted", frozenset(STAFF), 201, citizen_refusal),
    "accept": Action("waiting", frozenset(MANAGERS), 200, officer_refusal),
    "comment": Action("accepted", frozenset(STAFF), 200, officer_refusal),
    "staff_comment": Action("accepted", frozenset(STAFF), 200, officer_refusal),
    "state": Action("accepted", frozenset(STAFF), 200, officer_refusal),
    "forward": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "invite": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "close": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "reroute": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "rate": Action("done", frozenset({"reporter"}), 200, citizen_refusal),
    "reopen": Action("done", frozenset({"reporter"}), 200, citizen_refusal),
    # The reporter may not say "me too" to their own report (own_report, 403).
    "me_too": Action("waiting", frozenset(EVERYONE - {"reporter"}), 200, citizen_refusal),
    "read_contact": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "correct_triage": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "merge": Action("accepted", frozenset(MANAGERS), 200, officer_refusal),
    "duplicates": Action("accepted", frozenset(EVERYONE), 200, citizen_refusal),
}
MATRIX = [(role, action) for role in ROLES for action in ACTIONS]


@dataclass
class World:
    client: Client
    ticket: str
    token: str
    headers: dict[str, str]
    role: str
    target: Agency
    original: str  # another open case, to merge into


@pytest.fixture
def world(
    request: pytest.FixtureRequest,
    api: Client,
    bma: Agency,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    media: Path,
) -> Callable[[str, str], World]:
    def build(role: str, state: str) -> World:
        invited = make_agency("invited", "สำนักงานเขตที่ได้รับเชิญ")
        other = make_agency("other", "หน่วยงานอื่น")
        target = make_agency("target", "หน่วยงานปลายทาง")
        body = api.post(
            "/api/v1/cases",
            {"description": f"ไฟดับทั้งซอย โทร {TEXT_PHONE}", **BANGKOK, "reporter": REPORTER},
            content_type="application/json",
        ).json()
        ticket, token = body["ticket_id"], body["citizen_token"]
        original = api.post(
            "/api/v1/cases",
            {"description": "ไฟดับทั้งซอย มืดมาก", **BANGKOK},
            content_type="application/json",
        ).json()["ticket_id"]
        responsible, key = make_officer(bma, "responsible")
        Case.objects.get(ticket_id=ticket).co_agencies.add(invited)
        # A staff-only note, so reading shows who sees staff notes.
        workflow.do_comment(
            Case.objects.get(ticket_id=ticket), responsible, "บันทึกภายใน", public=False
        )
        set_state(ticket, state)
        headers: dict[str, str] = {}
        if role == "responsible_officer":
            headers = auth(key)
        elif role == "invited_officer":
            headers = auth(make_officer(invited, "invited-officer")[1])
        elif role == "invited_supervisor":
            headers = auth(make_officer(invited, "invited-boss", role="supervisor")[1])
        elif role == "other_agency_officer":
            headers = auth(make_officer(other, "stranger")[1])
        elif role == "supervisor":
            headers = auth(make_officer(bma, "boss", role="supervisor")[1])
        elif role == "superuser_officer":
            city, key = make_officer(other, "city-admin")
            get_user_model().objects.filter(pk=city.user_id).update(is_superuser=True)
            headers = auth(key)
        elif role == "admin":
            root = get_user_model().objects.create_superuser("root", "r@example.org", "pw-12345678")
            headers = auth(create_api_key("admin key", root)[1])
        elif role == "partner_key":
            headers = auth(create_api_key("partner system")[1])
        elif role == "revoked_key":
            _officer, old = make_officer(bma, "former")
            revoke_api_key(old[:12])
            headers = auth(old)
        # The actor is not the browser that filed the case (it would count as the reporter).
        return World(Client(), ticket, token, headers, role, target, original)

    return build


def perform(w: World, action: str) -> Any:
    c, t, h = w.client, w.ticket, w.headers
    token = {"citizen_token": w.token} if w.role == "reporter" else {}

    # The reporter's token in the body and, for me-too (no body), as X-Citizen-Token.
    as_reporter = {"HTTP_X_CITIZEN_TOKEN": w.token} if w.role == "reporter" else {}

    def post(path: str, body: dict[str, Any]) -> Any:
        return c.post(path, {**body, **token}, content_type="application/json", **h, **as_reporter)

    if action == "file":
        body = {"description": "ทางเท้าพัง", **BANGKOK}
        return c.post("/api/v1/cases", body, content_type="application/json", **h)
    if action == "read":
        return c.get(case_url(t), **h)
    if action == "list":
        return c.get("/api/v1/cases", {"limit": 5}, **h)
    if action in {"add_photo", "after_photo"}:
        kind = "before" if action == "add_photo" else "after"
        return upload(c, t, image_bytes(), kind=kind, **token, **h)
    bodies: dict[str, tuple[str, dict[str, Any]]] = {
        "accept": ("accept", {"note": "รับเรื่อง"}),
        "comment": ("comment", {"note": "กำลังตรวจสอบ"}),
        "staff_comment": ("comment", {"note": "ภายใน", "public": False}),
        "state": ("state", {"state": "in_progress"}),
        "forward": ("forward", {"agency": "target", "reason": "ของหน่วยงานนี้"}),
        "invite": ("invite", {"agency": "target", "reason": "ช่วยกัน"}),
        "close": ("close", {"outcome": "irrelevant", "note": "พื้นที่เอกชน"}),
        "rate": ("rate", {"stars": 4}),
        "reopen": ("reopen", {"reason": "ยังไม่ได้แก้"}),
        "me_too": ("me-too", {}),
    }
    if action == "read_contact":
        return c.get(case_url(t, "reporter"), {"purpose": "โทรสอบถามจุดเกิดเหตุ"}, **h)
    if action == "duplicates":
        return c.get(case_url(t, "duplicates"), **h)
    if action == "reroute":  # a triage correction that moves the case to another agency
        body = {"categories": ["road"], "agency": "target", "note": "ผิดหน่วยงาน"}
        return post(case_url(t, "triage"), body)
    if action == "correct_triage":
        return post(case_url(t, "triage"), {"categories": ["road"], "note": "ผิดหมวด"})
    if action == "merge":
        return post(case_url(t, "merge"), {"into": w.original, "note": "ซ้ำกับเรื่องก่อน"})
    path, body = bodies[action]
    return post(case_url(t, path), body)


def snapshot(ticket: str) -> tuple[Any, ...]:
    case = Case.objects.get(ticket_id=ticket)
    return (
        case.state,
        case.agency_id,
        sorted(case.categories.values_list("code", flat=True)),
        case.stars,
        case.me_too_count,
        sorted(case.co_agencies.values_list("pk", flat=True)),
        case.events.count(),
        case.photos.count(),
        Case.objects.count(),
    )


def test_the_matrix_covers_every_role_and_every_action() -> None:
    print(f"\nrole x action matrix: {len(ROLES)} roles x {len(ACTIONS)} actions = {len(MATRIX)}")
    assert len(MATRIX) == len(ROLES) * len(ACTIONS) == 220


@pytest.mark.parametrize(("role", "action"), MATRIX)
def test_role_may_or_may_not_act(
    world: Callable[[str, str], World], role: str, action: str
) -> None:
    spec = ACTIONS[action]
    w = world(role, spec.state)
    before = snapshot(w.ticket)
    reads_before = AuditEntry.objects.filter(action="contact.read").count()

    response = perform(w, action)

    if role in spec.allowed:
        assert response.status_code == spec.ok, (role, action, response.content[:300])
        if action not in {"read", "list", "read_contact", "duplicates"}:
            assert snapshot(w.ticket) != before, (role, action, "nothing changed")
    else:
        assert response.status_code == spec.refused(role), (role, action, response.content[:300])
        assert snapshot(w.ticket) == before, (role, action, "a refused action changed the case")
        body = response.json()
        assert body["detail"] and body["code"] in {"forbidden", "unauthenticated", "own_report"}
    text = response.content.decode()
    if action == "read":
        assert ("บันทึกภายใน" in text) == (role in STAFF), role
        assert (TEXT_PHONE in text) == (role in STAFF), role  # unmasked for the staff only
    reads = AuditEntry.objects.filter(action="contact.read").count() - reads_before
    if action == "read_contact" and role in spec.allowed:
        assert response.json()["phone"] == REPORTER["phone"]
        assert reads == 1
    else:
        assert reads == 0
        assert REPORTER["phone"] not in text and REPORTER["email"] not in text
        assert REPORTER["name"] not in text


def test_a_refused_contact_read_by_an_officer_is_logged(
    world: Callable[[str, str], World],
) -> None:
    w = world("invited_officer", "accepted")
    assert perform(w, "read_contact").status_code == 403
    entry = AuditEntry.objects.get(action="contact.read_refused")
    assert entry.object_id == w.ticket and entry.actor.username == "invited-officer"


def test_administrators_manage_agencies_rules_and_keys_in_the_admin(
    db: None, make_officer: Callable[..., tuple[Officer, str]], bma: Agency
) -> None:
    root = get_user_model().objects.create_superuser("root", "r@example.org", "pw-12345678")
    officer, _key = make_officer(bma)
    admin, clerk = Client(), Client()
    admin.force_login(root)
    clerk.force_login(officer.user)
    pages = [
        "/admin/agencies/agency/add/",
        "/admin/agencies/officer/add/",
        "/admin/agencies/apikey/add/",
        "/admin/cases/category/",
    ]
    rules = "/admin/agencies/routingrule/"
    if admin.get(rules).status_code == 200:  # routing rules live in the agencies app
        pages.append(rules)
    for page in pages:
        assert admin.get(page).status_code == 200, page
        # An officer is not staff: the admin sends them to its login page.
        response = clerk.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], page
    assert ApiKey.objects.filter(user=officer.user).exists()
