"""An invited agency helps; it never takes the case over (issues 22.2, 22.3, 23.1, 23.3).

The district office (the responsible agency) asks Public Works to help. Public Works'
officers comment, report progress and add photos; they cannot accept, forward, re-route,
merge, invite, close or read the reporter's contact, through the API or the office pages.
A supervisor (of the responsible agency, or a superuser who is an officer) can, audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.audit.models import AuditEntry
from pracha.cases.models import Case
from pracha.cases.services import workflow
from pracha.tickets import citizen_token
from tests.factories import BANGKOK, set_state
from tests.helpers import auth, case_url, english, image_bytes, page_text, post_json, upload

pytestmark = pytest.mark.django_db

REPORTER = {"name": "สมศรี มีสุข", "phone": "081-234-5678", "email": "somsri@example.org"}
TEXT_PHONE = "089-999-1234"  # written in the report's text: masked for outsiders
STAFF_NOTE = "บันทึกภายใน: นัดช่างพรุ่งนี้"
Capture = Callable[..., Any]


@dataclass
class Scene:
    ticket: str
    district: Agency  # responsible
    works: Agency  # invited to help
    owner: Officer
    owner_key: str
    helper: Officer
    helper_key: str

    def case(self) -> Case:
        return Case.objects.get(ticket_id=self.ticket)


@pytest.fixture
def scene(
    api: Client,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    media: Any,
) -> Scene:
    body = {
        "description": f"ท่อระบายน้ำอุดตัน น้ำท่วมซอย ติดต่อ {TEXT_PHONE}",
        **BANGKOK,
        "reporter": REPORTER,
    }
    response = api.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 201, response.content
    ticket = response.json()["ticket_id"]
    district = make_agency("khet-bangrak", "สำนักงานเขตบางรัก")
    works = make_agency("works", "สำนักการโยธา")
    Case.objects.filter(ticket_id=ticket).update(agency=district)
    owner, owner_key = make_officer(district, "district-officer")
    helper, helper_key = make_officer(works, "works-officer")
    case = Case.objects.get(ticket_id=ticket)
    workflow.do_invite(case, owner, works, "ต้องลอกท่อใหญ่")
    workflow.do_comment(case, owner, STAFF_NOTE, public=False)
    return Scene(ticket, district, works, owner, owner_key, helper, helper_key)


def signed_in(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def state_of(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (case.state, case.agency_id, sorted(case.co_agencies.values_list("code", flat=True)))


# --- item 1 (22.2): the takeover through the API ---------------------------------------------


def test_the_invited_agency_cannot_take_the_case_over_through_the_api(
    api: Client, scene: Scene
) -> None:
    set_state(scene.ticket, "accepted")
    before = state_of(scene.case())
    h = auth(scene.helper_key)

    # The attack: re-route to themselves, then read the contact, then lock the owner out.
    reroute = {"categories": ["flooding"], "agency": "works", "note": "ของเรา"}
    attempts = {
        "triage": post_json(api, case_url(scene.ticket, "triage"), reroute, **h),
        "forward": post_json(
            api, case_url(scene.ticket, "forward"), {"agency": "works", "reason": "x"}, **h
        ),
        "invite": post_json(
            api, case_url(scene.ticket, "invite"), {"agency": "bma", "reason": "x"}, **h
        ),
        "close": post_json(
            api, case_url(scene.ticket, "close"), {"outcome": "irrelevant", "note": "x"}, **h
        ),
        "contact": api.get(case_url(scene.ticket, "reporter"), {"purpose": "โทรหา"}, **h),
    }
    for name, response in attempts.items():
        assert response.status_code == 403, (name, response.content[:200])
        body = response.json()
        assert body["code"] == "forbidden"
        assert "invited to help" in body["detail"] and "สำนักงานเขตบางรัก" in body["detail"]
        assert REPORTER["phone"] not in response.content.decode()
    assert state_of(scene.case()) == before
    assert AuditEntry.objects.filter(action="contact.read").count() == 0
    refused = AuditEntry.objects.get(action="contact.read_refused")
    assert refused.actor.username == "works-officer"

    # The owner keeps the case: still reads the contact and acts.
    contact = api.get(
        case_url(scene.ticket, "reporter"), {"purpose": "นัดเข้าพื้นที่"}, **auth(scene.owner_key)
    )
    assert contact.status_code == 200 and contact.json()["phone"] == REPORTER["phone"]


def test_the_invited_agency_cannot_merge_or_accept(
    api: Client, scene: Scene, file_case: Callable[..., dict[str, Any]]
) -> None:
    other = file_case()["ticket_id"]
    h = auth(scene.helper_key)
    merge = post_json(api, case_url(scene.ticket, "merge"), {"into": other}, **h)
    accept = post_json(api, case_url(scene.ticket, "accept"), {}, **h)
    assert (merge.status_code, accept.status_code) == (403, 403)
    assert scene.case().state == "waiting"


def test_the_invited_agency_helps_comments_progress_and_photos(api: Client, scene: Scene) -> None:
    h = auth(scene.helper_key)
    accepted = post_json(api, case_url(scene.ticket, "accept"), {}, **auth(scene.owner_key))
    assert accepted.status_code == 200
    comment = {"note": "โยธาส่งรถดูดเลนแล้ว", "public": True}
    assert post_json(api, case_url(scene.ticket, "comment"), comment, **h).status_code == 200
    staff = {"note": "ใช้เวลา 2 วัน", "public": False}
    assert post_json(api, case_url(scene.ticket, "comment"), staff, **h).status_code == 200
    progress = {"state": "in_progress", "note": "เริ่มลอกท่อ"}
    moved = post_json(api, case_url(scene.ticket, "state"), progress, **h)
    assert moved.status_code == 200 and moved.json()["state"] == "in_progress"
    assert upload(api, scene.ticket, image_bytes(), kind="after", **h).status_code == 201
    # The helper reads the case as its staff do: staff-only notes and the text unmasked.
    read = api.get(case_url(scene.ticket), **h).content.decode()
    assert STAFF_NOTE in read and TEXT_PHONE in read
    assert scene.case().agency == scene.district


def test_a_supervisor_of_the_invited_agency_is_still_only_a_helper(
    api: Client, scene: Scene, make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    _boss, key = make_officer(scene.works, "works-boss", role="supervisor")
    body = {"agency": "works", "reason": "เรารับเอง"}
    response = post_json(api, case_url(scene.ticket, "forward"), body, **auth(key))
    assert response.status_code == 403
    assert scene.case().agency == scene.district


def test_the_owner_or_a_supervisor_moves_responsibility_and_it_is_audited(
    api: Client, scene: Scene, make_agency: Callable[..., Agency], make_officer: Any
) -> None:
    _boss, boss_key = make_officer(scene.district, "district-boss", role="supervisor")
    set_state(scene.ticket, "accepted")
    reroute = {"categories": ["flooding"], "agency": "works", "note": "ท่อใหญ่เป็นของโยธา"}
    response = post_json(api, case_url(scene.ticket, "triage"), reroute, **auth(boss_key))
    assert response.status_code == 200 and response.json()["agency"]["code"] == "works"
    entry = AuditEntry.objects.filter(action="case.triage_corrected").latest("pk")
    assert entry.object_id == scene.ticket and entry.actor.username == "district-boss"

    # A superuser who is an officer elsewhere acts as a city-wide supervisor.
    city, city_key = make_officer(make_agency("city-hall", "ศาลาว่าการ"), "city-admin")
    get_user_model().objects.filter(pk=city.user_id).update(is_superuser=True)
    back = {"agency": "khet-bangrak", "reason": "เขตดูแลท่อซอย"}
    forwarded = post_json(api, case_url(scene.ticket, "forward"), back, **auth(city_key))
    assert forwarded.status_code == 200 and forwarded.json()["agency"]["code"] == "khet-bangrak"
    entry = AuditEntry.objects.filter(action="case.forwarded").latest("pk")
    assert entry.actor.username == "city-admin"


# --- item 2 (23.1): the reopened case, from the office pages ---------------------------------


def test_a_reopen_lands_with_the_owner_and_a_helper_cannot_accept_it(
    api: Client, scene: Scene, django_capture_on_commit_callbacks: Capture
) -> None:
    workflow.do_accept(scene.case(), scene.owner)
    workflow.do_close(scene.case(), scene.owner, "done", "ลอกท่อแล้ว")
    reopened = post_json(
        api,
        case_url(scene.ticket, "reopen"),
        {"reason": "น้ำยังท่วมอยู่", "citizen_token": citizen_token(scene.ticket)},
    )
    assert reopened.status_code == 200
    case = scene.case()
    assert (case.state, case.agency) == ("waiting", scene.district)

    helper = signed_in(scene.helper)
    page = helper.get(f"/office/case/{scene.ticket}/").content.decode()
    for action in ("accept", "forward", "invite", "close"):
        assert f'action="/office/case/{scene.ticket}/{action}/"' not in page, action
    assert f'action="/office/case/{scene.ticket}/comment/"' in page
    assert 'data-testid="helper-note"' in page
    for action, form in {
        "accept": {"note": ""},
        "forward": {"agency": "works", "reason": "x"},
        "invite": {"agency": "bma", "reason": "x"},
        "close": {"outcome": "irrelevant", "note": "x"},
    }.items():
        response = helper.post(f"/office/case/{scene.ticket}/{action}/", form)
        assert response.status_code == 403, action
    assert state_of(scene.case())[:2] == ("waiting", scene.district.pk)

    # The district sees the reopened case waiting in its own inbox.
    owner = signed_in(scene.owner)
    assert scene.ticket in owner.get("/office/?state=waiting").content.decode()

    # The district accepts it; the reporter's e-mail names the agency that accepted.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"/office/case/{scene.ticket}/accept/", {"note": ""})
    assert response.status_code == 302
    accepted = [
        m for m in mail.outbox if m.to == [REPORTER["email"]] and "หน่วยงานรับเรื่องแล้ว" in m.subject
    ]
    assert accepted and all("สำนักงานเขตบางรัก" in m.body for m in accepted)


# --- item 3 (22.3): what the office case page shows ------------------------------------------


def test_an_outsider_sees_on_the_page_what_the_api_shows_them(
    api: Client, scene: Scene, make_agency: Callable[..., Agency], make_officer: Any
) -> None:
    stranger, key = make_officer(make_agency("elsewhere", "หน่วยงานอื่น"), "stranger")
    page = signed_in(stranger).get(f"/office/case/{scene.ticket}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert STAFF_NOTE not in text and TEXT_PHONE not in text
    answer = api.get(case_url(scene.ticket), **auth(key)).content.decode()
    assert STAFF_NOTE not in answer and TEXT_PHONE not in answer
    # Nor any action or contact form.
    assert f'action="/office/case/{scene.ticket}/' not in text


def test_the_helper_and_the_owner_see_staff_notes_and_the_unmasked_text(scene: Scene) -> None:
    for officer in (scene.helper, scene.owner):
        text = signed_in(officer).get(f"/office/case/{scene.ticket}/").content.decode()
        assert STAFF_NOTE in text and TEXT_PHONE in text, officer


# --- item 4 (23.3): the audited "show contact" on the office page ----------------------------


def test_the_owner_reads_the_contact_on_the_page_with_a_purpose(scene: Scene) -> None:
    owner = signed_in(scene.owner)
    url = f"/office/case/{scene.ticket}/"
    page = owner.get(url).content.decode()
    assert f'action="{url}contact/"' in page and REPORTER["phone"] not in page

    missing = owner.post(url + "contact/", {"purpose": "  "})
    assert missing.status_code == 400 and REPORTER["phone"] not in missing.content.decode()
    assert not AuditEntry.objects.filter(action="contact.read").exists()

    response = owner.post(url + "contact/", {"purpose": "โทรนัดเข้าพื้นที่"})
    assert response.status_code == 200
    text = response.content.decode()
    assert REPORTER["phone"] in text and REPORTER["email"] in text and REPORTER["name"] in text
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="contact.read")
    assert entry.object_id == scene.ticket and entry.actor.username == "district-officer"
    assert entry.detail["purpose"] == "โทรนัดเข้าพื้นที่"


def test_the_helper_is_neither_offered_nor_given_the_contact(scene: Scene) -> None:
    helper = signed_in(scene.helper)
    url = f"/office/case/{scene.ticket}/"
    assert f'action="{url}contact/"' not in helper.get(url).content.decode()
    response = helper.post(url + "contact/", {"purpose": "อยากรู้"})
    assert response.status_code == 403
    assert REPORTER["phone"] not in response.content.decode()
    assert not AuditEntry.objects.filter(action="contact.read").exists()
    assert AuditEntry.objects.get(action="contact.read_refused").actor.username == "works-officer"


def test_the_contact_page_says_when_no_contact_is_held(
    scene: Scene, file_case: Callable[..., dict[str, Any]]
) -> None:
    bare = file_case()["ticket_id"]
    Case.objects.filter(ticket_id=bare).update(agency=scene.district)
    response = signed_in(scene.owner).post(f"/office/case/{bare}/contact/", {"purpose": "โทร"})
    assert response.status_code == 200
    assert 'data-testid="contact-none"' in response.content.decode()
    assert AuditEntry.objects.get(action="contact.read").detail["found"] is False


def refusals(scene: Scene) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="case.action_refused", object_id=scene.ticket))


def test_a_helpers_forward_through_the_api_is_refused_and_audited(
    api: Client, scene: Scene
) -> None:
    body = {"agency": "works", "reason": "เอาไปเลย"}
    response = post_json(api, case_url(scene.ticket, "forward"), body, **auth(scene.helper_key))
    assert response.status_code == 403
    [entry] = refusals(scene)
    assert entry.actor == scene.helper.user
    assert entry.detail == {"action": "forward", "role": "helper"}
    assert scene.case().agency == scene.district


def test_a_helpers_forward_on_the_office_page_is_refused_and_audited(scene: Scene) -> None:
    url = f"/office/case/{scene.ticket}/forward/"
    response = signed_in(scene.helper).post(url, {"agency": "works", "reason": "เอาไปเลย"})
    assert response.status_code == 403
    [entry] = refusals(scene)
    assert entry.actor == scene.helper.user
    assert entry.detail["action"] == "forward"
    assert scene.case().agency == scene.district


def test_a_helpers_accept_inside_the_locking_transaction_is_still_audited(
    api: Client, scene: Scene
) -> None:
    """do_accept checks under the row lock; the refusal rolls that transaction back."""
    response = post_json(api, case_url(scene.ticket, "accept"), {}, **auth(scene.helper_key))
    assert response.status_code == 403
    [entry] = refusals(scene)
    assert entry.detail["action"] == "accept"


def test_the_owners_forward_leaves_no_refusal(api: Client, scene: Scene) -> None:
    body = {"agency": "works", "reason": "งานท่อใหญ่"}
    response = post_json(api, case_url(scene.ticket, "forward"), body, **auth(scene.owner_key))
    assert response.status_code == 200
    assert refusals(scene) == []


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("accept", {}),
        ("close_done", {"note": "เสร็จแล้ว"}),
        ("close_irrelevant", {"note": "ไม่เกี่ยว"}),
        ("forward", {"agency": "works", "note": "ของเรา"}),
    ],
)
def test_the_helpers_bulk_actions_in_the_inbox_cannot_take_the_case_over(
    scene: Scene, action: str, extra: dict[str, str]
) -> None:
    """The office inbox's "act on the ticked cases" goes through the same rule as the API."""
    set_state(scene.ticket, "accepted" if action != "accept" else "waiting")
    before = state_of(scene.case())
    helper = english(signed_in(scene.helper))
    short = scene.ticket.split("-", 1)[1]  # typed without the year, as people paste it
    response = helper.post(
        "/office/bulk/", {"tickets": [short], "action": action, **extra}, follow=True
    )
    assert response.status_code == 200
    assert state_of(scene.case()) == before
    assert f"Not done for 1 cases: {scene.ticket}" in page_text(response)
    refusal = AuditEntry.objects.filter(action="case.action_refused").last()
    assert refusal is not None and refusal.detail["role"] == "helper"


def test_an_outsider_reaching_the_page_by_another_id_form_sees_no_more(
    scene: Scene, make_agency: Callable[..., Agency], make_officer: Any
) -> None:
    """The short or lower-case id redirects or resolves to the same masked page (22.3)."""
    stranger, _key = make_officer(make_agency("elsewhere", "หน่วยงานอื่น"), "stranger")
    client = signed_in(stranger)
    for given in (scene.ticket.split("-", 1)[1], scene.ticket.lower()):
        page = client.get(f"/office/case/{given}/", follow=True)
        assert page.status_code == 200, given
        text = page.content.decode()
        assert STAFF_NOTE not in text and TEXT_PHONE not in text, given
        assert 'data-testid="show-contact"' not in text
        refused = client.post(f"/office/case/{given}/contact/", {"purpose": "ขอดู"})
        assert refused.status_code in {403, 404}, given
        assert REPORTER["phone"] not in refused.content.decode()
