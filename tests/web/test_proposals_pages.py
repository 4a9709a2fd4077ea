"""The proposals pages (Thai and English): list with filters and bars, a new proposal, one
proposal with supports, answer, results with live cases and timeline; citizens' actions; the
officers' pages to answer, publish drafts in bulk, forward, report progress and moderate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.proposals.models import AnswerTemplate, Proposal
from pracha.proposals.services.moderation import do_report_abuse
from tests.factories import make_agency, make_case
from tests.helpers import page_text
from tests.proposals.support import file_proposal, make_citizen, routed_to, support_by, web_client

OfficerClient = Callable[[Agency], tuple[Client, Officer]]
pytestmark = pytest.mark.django_db


def test_the_list_in_both_languages(client: Client, pracha: Callable[..., None]) -> None:
    pracha(proposal_threshold=3)
    proposal = file_proposal(category="lighting")
    support_by(proposal, 1)
    thai = client.get("/proposals/")
    assert thai.status_code == 200
    assert proposal.ref in page_text(thai)
    assert "<progress" in thai.content.decode() and "style=" not in thai.content.decode()
    client.cookies["django_language"] = "en"
    english = page_text(client.get("/proposals/?category=lighting&sort=new"))
    assert "Citizens' proposals" in english and "1 of 3 supports" in english
    assert client.get("/proposals/?sort=bogus").status_code == 400


def test_file_a_proposal_on_the_web(client: Client) -> None:
    assert client.get("/proposals/new/").status_code == 302  # sign in first
    citizen, _ = make_citizen()
    browser = web_client(citizen, "en")
    assert browser.get("/proposals/new/").status_code == 200
    bad = browser.post("/proposals/new/", {"title": "x", "body": "short"})
    assert bad.status_code == 400 and "title" in page_text(bad)
    done = browser.post(
        "/proposals/new/",
        {"title": "More benches in Lumphini Park", "body": "Older people need places to rest."},
    )
    assert done.status_code == 302
    proposal = Proposal.objects.get(author=citizen)
    assert done["Location"] == f"/proposals/{proposal.ref}/"


def test_support_follow_withdraw_and_report_on_the_page(pracha: Callable[..., None]) -> None:
    pracha(proposal_threshold=3)
    author, _ = make_citizen()
    proposal = file_proposal(author)
    citizen, _ = make_citizen()
    browser = web_client(citizen, "en")
    page = page_text(browser.get(f"/proposals/{proposal.ref}/"))
    assert "Support" in page
    assert browser.post(f"/proposals/{proposal.ref}/support/", {"follow": "1"}).status_code == 302
    again = browser.post(f"/proposals/{proposal.ref}/support/")
    assert again.status_code == 409 and "already support" in page_text(again)
    assert "You support this proposal." in page_text(browser.get(f"/proposals/{proposal.ref}/"))
    assert browser.post(f"/proposals/{proposal.ref}/withdraw/").status_code == 403
    assert browser.post(f"/proposals/{proposal.ref}/report/", {"reason": "spam"}).status_code == 302
    assert browser.post(f"/proposals/{proposal.ref}/nothing/").status_code == 404
    owner = web_client(author, "en")
    assert owner.post(f"/proposals/{proposal.ref}/withdraw/").status_code == 302
    assert "Withdrawn by the author" in page_text(owner.get(f"/proposals/{proposal.ref}/"))
    assert Client().get("/proposals/P-2000-000001/").status_code == 404


def test_officers_answer_publish_and_report_progress(
    officer_client: OfficerClient, pracha: Callable[..., None]
) -> None:
    pracha(proposal_threshold=3)
    drains = make_agency("drains", name_en="Drainage")
    officer, _ = officer_client(drains)
    first, second = routed_to(drains), routed_to(drains)
    page = officer.get("/office/proposals/")
    assert page.status_code == 200 and first.ref in page_text(page)
    refused = officer.post(
        f"/office/proposals/{first.ref}/answer/", {"decision": "rejected", "body": "no"}
    )
    assert refused.status_code == 400
    template = AnswerTemplate.objects.create(
        agency=drains, name="yes", decision="accepted", body="เราจะทำ"
    )
    drafted = officer.post(
        "/office/proposals/bulk/", {"refs": [first.ref, second.ref], "template": template.pk}
    )
    assert drafted.status_code == 302
    supervisor_client, supervisor = officer_client(drains)
    supervisor.role = Officer.Role.SUPERVISOR
    supervisor.save()
    drafts = supervisor_client.get("/office/proposals/")
    assert f"draft-{first.ref}" in drafts.content.decode()
    published = supervisor_client.post("/office/proposals/bulk/", {"refs": [first.ref, second.ref]})
    assert published.status_code == 302
    first.refresh_from_db()
    assert first.state == "accepted"
    case = make_case()
    reported = officer.post(
        f"/office/proposals/{first.ref}/results/",
        {"title": "งานติดตั้ง", "progress": "30", "cases": case.ticket_id},
    )
    assert reported.status_code == 302
    bad = officer.post(
        f"/office/proposals/{first.ref}/results/", {"title": "x", "progress": "lots"}
    )
    assert bad.status_code == 400
    public = Client()
    public.cookies["django_language"] = "en"
    text = page_text(public.get(f"/proposals/{first.ref}/"))
    assert "What is being done" in text and case.ticket_id in text and "30%" in text
    assert "The answer of" in text


def test_moderators_decide_on_hidden_proposals(
    officer_client: OfficerClient, pracha: Callable[..., None]
) -> None:
    pracha(proposal_threshold=3)
    proposal = file_proposal()
    for _ in range(3):
        do_report_abuse(make_citizen()[0], proposal, "สแปม")
    hidden = Client().get(f"/proposals/{proposal.ref}/")
    assert proposal.title not in page_text(hidden)
    browser, moderator = officer_client(make_agency("city-mod"))
    moderator.role = Officer.Role.SUPERVISOR
    moderator.save()
    assert proposal.ref in page_text(browser.get("/office/proposals/"))
    kept = browser.post(
        f"/office/proposals/{proposal.ref}/moderate/", {"decision": "keep", "note": "ok"}
    )
    assert kept.status_code == 302
    assert proposal.title in page_text(Client().get(f"/proposals/{proposal.ref}/"))


def test_indicators_page(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/proposals/indicators/")
    assert response.status_code == 200
    assert "Proposals by state" in page_text(response)


def test_the_dashboard_shows_proposals(client: Client, pracha: Callable[..., None]) -> None:
    pracha(proposal_threshold=3)
    file_proposal()
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "1 proposals; 0 answers overdue; 0 implemented." in page_text(response)
