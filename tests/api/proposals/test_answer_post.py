"""POST /api/v1/proposals/{ref}/answer (officer of the routed agency; others 403), drafts a
supervisor publishes (one, or in bulk from templates), forwarding with a note."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.proposals.models import Answer, AnswerTemplate, Proposal
from tests.factories import make_agency, make_officer
from tests.helpers import auth, post_json
from tests.proposals.support import make_citizen, routed_to, support_by

ANSWER = {"decision": "accepted", "body": "เราจะติดตั้งไฟเพิ่ม 20 ดวงภายในปีนี้"}


def answer(api: Client, ref: str, key: str, **body: Any) -> Any:
    return post_json(api, f"/api/v1/proposals/{ref}/answer", {**ANSWER, **body}, **auth(key))


def test_the_routed_agency_answers_at_once(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    author, _ = make_citizen("author@example.org")
    proposal = routed_to(drains, author=author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(api, proposal.ref, key)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "accepted"
    assert body["answer"]["decision"] == "accepted"
    assert body["answer"]["on_time"] is True
    assert body["answer"]["agency"]["code"] == "drains"
    assert "author@example.org" in {a for m in mail.outbox for a in m.to}
    assert AuditEntry.objects.filter(action="proposal.answered", object_id=proposal.ref).exists()
    # Answered once: no second answer.
    assert answer(api, proposal.ref, key).status_code == 409


def test_others_may_not_answer(api: Client) -> None:
    drains = make_agency("drains")
    _other, other_key = make_officer(make_agency("parks"))
    proposal = routed_to(drains)
    response = answer(api, proposal.ref, other_key)
    assert response.status_code == 403
    assert post_json(api, f"/api/v1/proposals/{proposal.ref}/answer", ANSWER).status_code == 401
    _citizen, token = make_citizen()
    assert answer(api, proposal.ref, token).status_code == 403  # a citizen's token


def test_not_before_the_threshold(api: Client) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    proposal = routed_to(drains)
    Proposal.objects.filter(pk=proposal.pk).update(state="published")
    assert answer(api, proposal.ref, key).status_code == 409


def test_a_rejection_needs_a_reason_code(api: Client) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    proposal = routed_to(drains)
    missing = answer(api, proposal.ref, key, decision="rejected")
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    wrong = answer(api, proposal.ref, key, decision="rejected", reason="lazy")
    assert wrong.status_code == 400 and wrong.json()["field"] == "reason"
    bad = answer(api, proposal.ref, key, decision="maybe")
    assert bad.status_code == 400 and bad.json()["field"] == "decision"
    empty = answer(api, proposal.ref, key, body=" ")
    assert empty.status_code == 400 and empty.json()["field"] == "body"
    ok = answer(api, proposal.ref, key, decision="rejected", reason="budget")
    assert ok.status_code == 201
    assert ok.json()["answer"]["reason"] == "budget"
    assert ok.json()["state"] == "rejected"


def test_a_draft_waits_for_a_supervisor(api: Client) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    _boss, boss_key = make_officer(drains, role="supervisor")
    proposal = routed_to(drains)
    drafted = answer(api, proposal.ref, key, draft=True)
    assert drafted.status_code == 201
    assert drafted.json()["answer"] is None
    assert drafted.json()["state"] == "threshold_reached"
    publish = f"/api/v1/proposals/{proposal.ref}/answer/publish"
    assert post_json(api, publish, {}, **auth(key)).status_code == 403  # not a supervisor
    published = post_json(api, publish, {}, **auth(boss_key))
    assert published.status_code == 200
    assert published.json()["answer"]["decision"] == "accepted"
    assert post_json(api, publish, {}, **auth(boss_key)).status_code == 409


def test_bulk_drafts_from_a_template_then_bulk_publish(api: Client) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    _boss, boss_key = make_officer(drains, role="supervisor")
    first = routed_to(drains)
    second = routed_to(drains)
    elsewhere = routed_to(make_agency("parks"))
    template = AnswerTemplate.objects.create(
        agency=drains, name="planned", decision="rejected", reason="already_planned", body="มีแผนแล้ว"
    )
    refs = [first.ref, second.ref, elsewhere.ref]
    drafted = post_json(
        api, "/api/v1/proposals/answers/draft", {"template": template.pk, "refs": refs}, **auth(key)
    )
    assert drafted.status_code == 200, drafted.content
    assert drafted.json()["done"] == [first.ref, second.ref]
    assert list(drafted.json()["refused"]) == [elsewhere.ref]
    published = post_json(
        api, "/api/v1/proposals/answers/publish", {"refs": refs}, **auth(boss_key)
    )
    assert published.json()["done"] == [first.ref, second.ref]
    assert elsewhere.ref in published.json()["refused"]
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.state == "rejected"
    assert not Answer.objects.filter(published_at__isnull=True).exists()
    missing = post_json(
        api, "/api/v1/proposals/answers/draft", {"template": 999, "refs": refs}, **auth(key)
    )
    assert missing.status_code == 404


def test_forward_to_the_competent_agency(api: Client) -> None:
    drains = make_agency("drains")
    parks = make_agency("parks", name_en="Parks")
    _officer, key = make_officer(drains)
    _parks_officer, parks_key = make_officer(parks)
    proposal = routed_to(drains)
    url = f"/api/v1/proposals/{proposal.ref}/forward"
    no_note = post_json(api, url, {"agency": "parks", "note": " "}, **auth(key))
    assert no_note.status_code == 400 and no_note.json()["field"] == "note"
    unknown = post_json(api, url, {"agency": "nowhere", "note": "x"}, **auth(key))
    assert unknown.status_code == 400 and unknown.json()["field"] == "agency"
    assert (
        post_json(api, url, {"agency": "drains", "note": "x"}, **auth(parks_key)).status_code == 403
    )
    moved = post_json(api, url, {"agency": "parks", "note": "สวนเป็นของสำนักสิ่งแวดล้อม"}, **auth(key))
    assert moved.status_code == 200
    assert moved.json()["agency"]["code"] == "parks"
    assert moved.json()["timeline"][-1]["kind"] == "forwarded"
    assert moved.json()["timeline"][-1]["note"] == "สวนเป็นของสำนักสิ่งแวดล้อม"
    assert answer(api, proposal.ref, key).status_code == 403  # no longer theirs
    assert answer(api, proposal.ref, parks_key).status_code == 201


def test_supporters_who_do_not_follow_are_not_told(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    proposal = routed_to(drains)
    quiet = support_by(proposal, 1, follow=False)[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer(api, proposal.ref, key)
    assert quiet.email not in {a for m in mail.outbox for a in m.to}
    assert mail.outbox  # the author and the following supporters were
