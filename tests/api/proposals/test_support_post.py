"""POST /api/v1/proposals/{ref}/support: 201, again 409, anonymous 401, the author may; at
the threshold: threshold_reached, a deadline, routed, the agency and followers e-mailed."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from pracha.agencies.models import Agency, RoutingRule
from pracha.proposals.models import Proposal, Support
from tests.factories import make_agency, make_officer
from tests.proposals.support import bearer, file_proposal, make_citizen


def support(api: Client, ref: str, token: str = "", **body: Any) -> Any:
    headers = bearer(token) if token else {}
    return api.post(
        f"/api/v1/proposals/{ref}/support", body, content_type="application/json", **headers
    )


def test_support_once(api: Client) -> None:
    proposal = file_proposal()
    _citizen, token = make_citizen()
    first = support(api, proposal.ref, token)
    assert first.status_code == 201
    assert first.json()["supports"] == 1
    again = support(api, proposal.ref, token)
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert Proposal.objects.get(pk=proposal.pk).supports == 1


def test_anonymous_401(api: Client) -> None:
    proposal = file_proposal()
    response = support(api, proposal.ref)
    assert response.status_code == 401
    assert not Support.objects.exists()


def test_the_author_may_support_their_own(api: Client) -> None:
    author, token = make_citizen()
    proposal = file_proposal(author)
    assert support(api, proposal.ref, token).status_code == 201


def test_no_such_proposal_404(api: Client) -> None:
    _citizen, token = make_citizen()
    assert support(api, "P-2026-999999", token).status_code == 404


def test_the_threshold_routes_and_tells(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    drains = make_agency("drains", "สำนักการระบายน้ำ", name_en="Drainage and Sewerage")
    RoutingRule.objects.create(
        category="flooding", target="agency", agency=drains, priority=1000, reason="test"
    )
    officer, _key = make_officer(drains)
    officer.user.email = "drains-officer@example.org"
    officer.user.save()
    author, _token = make_citizen("author@example.org")
    proposal = file_proposal(author, category="flooding", district="บางรัก")
    follower, token_f = make_citizen("follower@example.org")
    quiet, token_q = make_citizen("quiet@example.org")
    third, token_t = make_citizen("third@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        support(api, proposal.ref, token_f)
        support(api, proposal.ref, token_q, follow=False)
    assert Proposal.objects.get(pk=proposal.pk).state == "published"
    with django_capture_on_commit_callbacks(execute=True):
        last = support(api, proposal.ref, token_t)
    assert last.json()["state"] == "threshold_reached"

    detail = api.get(f"/api/v1/proposals/{proposal.ref}").json()
    assert detail["state"] == "threshold_reached"
    assert detail["supports"] == 3
    assert detail["answer_due_at"]
    assert detail["agency"] == {
        "code": "drains",
        "name_th": "สำนักการระบายน้ำ",
        "name_en": "Drainage and Sewerage",
    }
    told = {address for message in mail.outbox for address in message.to}
    assert told == {
        "author@example.org",
        "follower@example.org",
        "third@example.org",
        "drains-officer@example.org",
    }
    assert all(proposal.ref in message.subject for message in mail.outbox)
    # Supports go on past the threshold, still once per person.
    late, token_l = make_citizen()
    assert support(api, proposal.ref, token_l).json()["supports"] == 4
    del late, follower, quiet, third


def test_without_a_matching_rule_the_default_agency_answers(api: Client, bma: Agency) -> None:
    RoutingRule.objects.all().delete()
    proposal = file_proposal()
    for _ in range(3):
        support(api, proposal.ref, make_citizen()[1])
    assert Proposal.objects.get(pk=proposal.pk).agency == bma
