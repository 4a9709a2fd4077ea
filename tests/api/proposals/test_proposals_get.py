"""GET /api/v1/proposals (filters, sorting) and GET /api/v1/proposals/{ref}."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from pracha.proposals.models import Proposal
from tests.proposals.support import file_proposal, support_by


def refs(response: object) -> list[str]:
    return [item["ref"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def test_the_list_filters_and_sorts(api: Client) -> None:
    few = file_proposal(category="lighting", district="บางรัก")
    many = file_proposal(category="flooding", district="บางรัก")
    other = file_proposal(category="lighting", district="ปทุมวัน")
    support_by(many, 2)
    support_by(few, 1)
    Proposal.objects.filter(pk=other.pk).update(closes_at=few.closes_at - timedelta(days=5))

    response = api.get("/api/v1/proposals")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert refs(response) == [many.ref, few.ref, other.ref]  # most supports first
    assert refs(api.get("/api/v1/proposals?sort=new")) == [other.ref, many.ref, few.ref]
    assert refs(api.get("/api/v1/proposals?sort=closing"))[0] == other.ref
    assert refs(api.get("/api/v1/proposals?category=lighting&district=บางรัก")) == [few.ref]
    assert refs(api.get("/api/v1/proposals?district=เขตปทุมวัน")) == [other.ref]
    filtered = api.get("/api/v1/proposals?state=expired")
    assert filtered.json() == {"items": [], "count": 0}


def test_bad_filters_are_refused(api: Client) -> None:
    for query, field in (
        ("state=nope", "state"),
        ("sort=best", "sort"),
        ("category=x", "category"),
    ):
        response = api.get(f"/api/v1/proposals?{query}")
        assert response.status_code == 400
        assert response.json()["field"] == field


def test_one_proposal(api: Client) -> None:
    proposal = file_proposal()
    answer = api.get(f"/api/v1/proposals/{proposal.ref}").json()
    for key in (
        "ref",
        "title",
        "body",
        "state",
        "supports",
        "threshold",
        "closes_at",
        "answer_due_at",
        "agency",
        "answer",
        "results",
    ):
        assert key in answer
    assert answer["answer_due_at"] is None and answer["agency"] is None
    assert [e["kind"] for e in answer["timeline"]] == ["published"]
    assert api.get(f"/api/v1/proposals/{proposal.ref.lower()}").status_code == 200
    missing = api.get("/api/v1/proposals/P-2020-999999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
