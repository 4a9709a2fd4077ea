"""POST /api/v1/proposals: a signed-in citizen files; masked; bad input refused with reasons."""

from __future__ import annotations

from django.test import Client

from pracha.proposals.models import Follow, Proposal
from tests.helpers import post_json
from tests.proposals.support import BODY, TITLE, bearer, make_citizen

URL = "/api/v1/proposals"


def test_a_citizen_files_a_proposal(api: Client) -> None:
    citizen, token = make_citizen()
    body = {"title": TITLE, "body": BODY, "category": "lighting", "district": "เขตบางรัก"}
    response = post_json(api, URL, body, **bearer(token))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["state"] == "published"
    assert answer["ref"].startswith("P-")
    assert answer["supports"] == 0
    assert answer["threshold"] == 3
    assert answer["category"] == "lighting"
    assert answer["district"] == "บางรัก"
    assert answer["agency"] is None and answer["answer"] is None and answer["results"] == []
    proposal = Proposal.objects.get(ref=answer["ref"])
    assert proposal.author == citizen
    assert Follow.objects.filter(proposal=proposal, citizen=citizen).exists()


def test_without_a_citizen_token_401(api: Client) -> None:
    response = post_json(api, URL, {"title": TITLE, "body": BODY})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated" or "token" in response.json()["detail"]
    assert not Proposal.objects.exists()


def test_an_officer_key_is_not_a_citizen(api: Client, officer: tuple[object, str]) -> None:
    _officer, key = officer
    response = post_json(api, URL, {"title": TITLE, "body": BODY}, **bearer(key))
    assert response.status_code == 401


def test_personal_data_in_the_text_is_masked(api: Client) -> None:
    _citizen, token = make_citizen()
    text = "ติดต่อผมได้ที่ 081-234-5678 หรือ somchai.j@example.com เรื่องไฟในสวน"
    response = post_json(api, URL, {"title": TITLE, "body": text}, **bearer(token))
    assert response.status_code == 201
    stored = Proposal.objects.get(ref=response.json()["ref"]).body
    assert "081-234-5678" not in stored and "somchai.j@example.com" not in stored
    assert "081-234-5678" not in response.content.decode()


def test_bad_input_is_refused_with_reasons(api: Client) -> None:
    _citizen, token = make_citizen()
    cases = [
        ({"title": "สั้น", "body": BODY}, "title"),
        ({"title": TITLE, "body": "สั้น"}, "body"),
        ({"title": TITLE, "body": BODY, "category": "no-such-category"}, "category"),
        ({"title": TITLE, "body": BODY, "lat": 13.7}, "lat"),
        ({"title": TITLE, "body": BODY, "lat": 51.5, "lon": -0.1}, "lat"),
    ]
    for body, field in cases:
        response = post_json(api, URL, body, **bearer(token))
        assert response.status_code == 400, (body, response.content)
        assert response.json()["field"] == field
        assert response.json()["detail"]
    assert post_json(api, URL, {"title": TITLE}, **bearer(token)).status_code == 422
    assert not Proposal.objects.exists()


def test_a_map_pin_gives_the_district(api: Client) -> None:
    _citizen, token = make_citizen()
    body = {"title": TITLE, "body": BODY, "lat": 13.7563, "lon": 100.5018}
    response = post_json(api, URL, body, **bearer(token))
    assert response.status_code == 201
    assert response.json()["district"]
    assert response.json()["pin"] == {"lat": 13.7563, "lon": 100.5018}
