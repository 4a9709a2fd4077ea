"""GET /api/v1/proposals/indicators: by state, on time and median days per agency, share
accepted, results' progress."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from pracha.proposals.models import Proposal
from tests.factories import make_agency, make_officer
from tests.helpers import auth, post_json
from tests.proposals.support import file_proposal, routed_to


def test_indicators(api: Client) -> None:
    drains = make_agency("drains")
    _officer, key = make_officer(drains)
    file_proposal()
    on_time = routed_to(drains)
    late = routed_to(drains)
    waiting = routed_to(drains)
    Proposal.objects.filter(pk=late.pk).update(
        threshold_reached_at=late.threshold_reached_at - timedelta(days=40),  # type: ignore[operator]
        answer_due_at=late.answer_due_at - timedelta(days=40),  # type: ignore[operator]
    )
    Proposal.objects.filter(pk=waiting.pk).update(
        answer_due_at=waiting.answer_due_at - timedelta(days=31)  # type: ignore[operator]
    )
    accept = {"decision": "accepted", "body": "ทำ"}
    reject = {"decision": "rejected", "reason": "legal", "body": "ทำไม่ได้"}
    post_json(api, f"/api/v1/proposals/{on_time.ref}/answer", accept, **auth(key))
    post_json(api, f"/api/v1/proposals/{late.ref}/answer", reject, **auth(key))
    post_json(
        api,
        f"/api/v1/proposals/{on_time.ref}/results",
        {"title": "งาน", "progress": 50},
        **auth(key),
    )

    body = api.get("/api/v1/proposals/indicators").json()
    assert body["by_state"]["published"] == 1
    assert body["by_state"]["in_progress"] == 1
    assert body["by_state"]["rejected"] == 1
    assert body["by_state"]["threshold_reached"] == 1
    assert body["total"] == 4
    assert body["accepted_share"] == 0.5
    assert body["overdue"] == 1
    [row] = body["per_agency"]
    assert row["agency"]["code"] == "drains"
    assert row["answered"] == 2
    assert row["answered_on_time_share"] == 0.5
    assert row["median_days_to_answer"] == 20  # 0 and 40 days
    assert row["accepted_share"] == 0.5
    assert row["overdue"] == 1
    assert body["results"] == {"count": 1, "mean_progress": 50, "implemented": 0}
