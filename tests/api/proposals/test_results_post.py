"""POST /api/v1/proposals/{ref}/results: progress, milestones and linked cases (their live
state shown); in_progress, implemented at 100; only after an accepting answer."""

from __future__ import annotations

from django.test import Client

from pracha.proposals.models import Proposal
from tests.factories import make_agency, make_case, make_officer, set_state
from tests.helpers import auth, post_json
from tests.proposals.support import routed_to

ACCEPT = {"decision": "accepted", "body": "ทำแน่นอน"}


def accepted(api: Client) -> tuple[Proposal, str]:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    proposal = routed_to(drains)
    response = post_json(api, f"/api/v1/proposals/{proposal.ref}/answer", ACCEPT, **auth(key))
    assert response.status_code == 201
    return proposal, key


def test_results_move_the_proposal_and_show_live_cases(api: Client) -> None:
    proposal, key = accepted(api)
    case = make_case()
    url = f"/api/v1/proposals/{proposal.ref}/results"
    body = {
        "title": "ติดตั้งไฟ 20 ดวง",
        "progress": 40,
        "cases": [case.ticket_id],
        "milestones": [{"title": "จัดซื้อ", "on": "2026-01-15", "progress": 20}],
    }
    response = post_json(api, url, body, **auth(key))
    assert response.status_code == 201, response.content
    detail = response.json()
    assert detail["state"] == "in_progress"
    assert detail["progress"] == 40
    [result] = detail["results"]
    assert result["milestones"] == [{"title": "จัดซื้อ", "on": "2026-01-15", "progress": 20}]
    assert result["cases"][0]["ticket_id"] == case.ticket_id
    assert result["cases"][0]["state"] == case.state

    set_state(case.ticket_id, "in_progress")
    live = api.get(f"/api/v1/proposals/{proposal.ref}").json()
    assert live["results"][0]["cases"][0]["state"] == "in_progress"

    done = post_json(
        api,
        url,
        {"title": "ติดตั้งไฟ 20 ดวง", "progress": 100, "result_id": result["id"]},
        **auth(key),
    )
    assert done.json()["state"] == "implemented"
    assert done.json()["progress"] == 100
    assert [e["kind"] for e in done.json()["timeline"]][-1] == "implemented"
    assert post_json(api, url, {"title": "more", "progress": 10}, **auth(key)).status_code == 409


def test_bad_results_are_refused(api: Client) -> None:
    proposal, key = accepted(api)
    url = f"/api/v1/proposals/{proposal.ref}/results"
    for body, field in (
        ({"title": "x", "progress": 101}, "progress"),
        ({"title": "x", "progress": -1}, "progress"),
        ({"title": " ", "progress": 10}, "title"),
        ({"title": "x", "progress": 10, "cases": ["NOPE-1"]}, "cases"),
        ({"title": "x", "progress": 10, "result_id": 999}, None),
    ):
        response = post_json(api, url, body, **auth(key))
        assert 400 <= response.status_code < 500, body
        if field:
            assert response.json()["field"] == field
    assert post_json(api, url, {"title": "x"}, **auth(key)).status_code == 422
    _other, other_key = make_officer(make_agency("parks"))
    assert post_json(api, url, {"title": "x", "progress": 5}, **auth(other_key)).status_code == 403


def test_no_results_before_an_accepting_answer(api: Client) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    proposal = routed_to(drains)
    url = f"/api/v1/proposals/{proposal.ref}/results"
    assert post_json(api, url, {"title": "x", "progress": 5}, **auth(key)).status_code == 409
    rejected = {"decision": "rejected", "reason": "budget", "body": "ไม่มีงบ"}
    post_json(api, f"/api/v1/proposals/{proposal.ref}/answer", rejected, **auth(key))
    assert post_json(api, url, {"title": "x", "progress": 5}, **auth(key)).status_code == 409
