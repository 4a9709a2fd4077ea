"""Shared by the proposals tests (tests/proposals/, tests/api/proposals/, tests/web/): citizens
with tokens, proposals filed through the service, supports that reach a threshold."""

from __future__ import annotations

import itertools
from typing import Any

from django.test import Client

from pracha.agencies.models import Agency, RoutingRule
from pracha.citizens.models import Citizen, CitizenToken
from pracha.citizens.services.account import do_link_channel
from pracha.citizens.services.tokens import do_issue_token
from pracha.citizens.sessions import SESSION_KEY
from pracha.proposals.models import Proposal
from pracha.proposals.services.filing import NewProposal, do_file_proposal
from pracha.proposals.services.supports import do_support

_numbers = itertools.count(1)
TITLE = "เพิ่มไฟส่องสว่างในสวนสาธารณะ"
BODY = "สวนมืดมากตอนกลางคืน อยากให้ติดไฟเพิ่มเพื่อความปลอดภัยของคนเดินออกกำลังกาย"


def make_citizen(email: str = "", language: str = "th") -> tuple[Citizen, str]:
    """A citizen with a verified e-mail and the raw `ct_` token that signs in as them."""
    citizen = Citizen.objects.create(language=language)
    do_link_channel(citizen, "email", email or f"citizen{next(_numbers)}@example.org")
    _token, raw = do_issue_token(citizen)
    return citizen, raw


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def file_proposal(author: Citizen | None = None, **fields: Any) -> Proposal:
    author = author or make_citizen()[0]
    given = {"title": TITLE, "body": BODY, **fields}
    return do_file_proposal(author, NewProposal(**given))


def support_by(proposal: Proposal, count: int, *, follow: bool = True) -> list[Citizen]:
    """`count` new citizens support the proposal; returns them."""
    people = [make_citizen()[0] for _ in range(count)]
    for person in people:
        do_support(person, proposal, follow=follow)
    proposal.refresh_from_db()
    return people


def routed_to(agency: Agency, **fields: Any) -> Proposal:
    """A proposal that reached the threshold (3 in these tests) and was routed to `agency`."""
    RoutingRule.objects.filter(reason="test").delete()
    RoutingRule.objects.create(
        category="flooding", target="agency", agency=agency, priority=1000, reason="test"
    )
    proposal = file_proposal(category="flooding", **fields)
    support_by(proposal, proposal.threshold - proposal.supports)
    assert proposal.state == "threshold_reached" and proposal.agency == agency
    return proposal


def web_client(citizen: Citizen, language: str = "th") -> Client:
    """A browser session signed in as `citizen` (a web token in its session)."""
    client = Client()
    token, _raw = do_issue_token(citizen, CitizenToken.Kind.WEB)
    session = client.session
    session[SESSION_KEY] = token.pk
    session.save()
    client.cookies["django_language"] = language
    return client
