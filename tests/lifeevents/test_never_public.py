"""A service request (a journey step sent to an agency) holds personal data: it must never
reach the public map, list, search, ticket page, open data, indicators, Open311, webhooks,
reporters' e-mail or the public timeline. Each surface is asked here, beside a public report
that the same surface does show, so a test that passes for the wrong reason would fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.test import Client

from pracha.agencies.models import Agency
from pracha.cases.models import Case, CaseKind
from pracha.cases.services.workflow import do_accept, do_close, do_forward
from pracha.evidence.models import PhotoCheck
from pracha.insights.models import CaseFact, ForwardFact
from pracha.insights.store.pending import fold_pending
from pracha.lifeevents.services.journeys import do_start_journey, do_submit_step
from pracha.notify.models import Channel, Delivery
from pracha.notify.webhooks.subscriptions import do_add_subscription
from tests.factories import make_case, make_officer
from tests.lifeevents.support import FACTS, days_ago, new_citizen

SECRET_ID = "1103700012345"  # the parent's national id: in the request's text


@dataclass
class World:
    request: Case  # the service request
    report: Case  # a public report, for contrast


@pytest.fixture
def world(life_events: None, django_capture_on_commit_callbacks: Any) -> World:
    do_add_subscription("http://127.0.0.1:9/hook", name="a partner")  # every event
    citizen, _headers = new_citizen()
    report = make_case("ไฟถนนดับทั้งซอย ปากซอยวัด")
    with django_capture_on_commit_callbacks(execute=True):
        journey = do_start_journey(citizen, "birth", days_ago(2), FACTS)
        do_submit_step(journey, "birth-certificate", {"birth_certificate_no": "TR-7"})
        step = do_submit_step(journey, "birth-registration")
    assert step.case is not None
    return World(request=step.case, report=report)


def short(ticket: str) -> str:
    return ticket.split("-", 1)[1]


def test_the_request_is_a_private_case_that_plain_queries_do_not_see(world: World) -> None:
    assert world.request.kind == CaseKind.SERVICE_REQUEST and world.request.is_private
    assert not Case.objects.filter(pk=world.request.pk).exists()
    assert Case.all_kinds.filter(pk=world.request.pk).exists()
    assert SECRET_ID in world.request.description


def test_not_in_the_api_list_nor_its_search(api: Client, world: World) -> None:
    listed = api.get("/api/v1/cases?limit=200").json()
    tickets = [c["ticket_id"] for c in listed["items"]]
    assert world.report.ticket_id in tickets and world.request.ticket_id not in tickets
    assert listed["count"] == Case.objects.count()
    for q in (world.request.ticket_id, short(world.request.ticket_id), SECRET_ID, "Register"):
        found = api.get("/api/v1/cases", {"q": q}).json()
        assert found["count"] == 0, q
    assert api.get("/api/v1/cases", {"q": world.report.ticket_id}).json()["count"] == 1


def test_the_api_case_and_ticket_page_answer_404(api: Client, world: World) -> None:
    assert api.get(f"/api/v1/cases/{world.request.ticket_id}").status_code == 404
    assert api.get(f"/api/v1/cases/{short(world.request.ticket_id)}").status_code == 404
    assert api.get(f"/t/{world.request.ticket_id}/").status_code == 404
    assert api.get(f"/t/{world.report.ticket_id}/").status_code == 200


def test_not_on_the_home_page_map_and_list(api: Client, world: World) -> None:
    page = api.get("/").content.decode()
    assert world.report.ticket_id in page and world.request.ticket_id not in page
    searched = api.get("/", {"q": world.request.ticket_id}).content.decode()
    # The search box repeats the query; no link to the case and none of its text.
    assert f"/t/{world.request.ticket_id}/" not in searched and SECRET_ID not in searched


def test_not_in_open311(api: Client, world: World) -> None:
    listed = api.get("/open311/v2/requests.json").json()
    ids = [r["service_request_id"] for r in listed]
    assert world.report.ticket_id in ids and world.request.ticket_id not in ids
    assert api.get(f"/open311/v2/requests/{world.request.ticket_id}.json").status_code == 404


def _download(api: Client, url: str) -> str:
    response = api.get(url)
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def test_not_in_open_data(api: Client, world: World) -> None:
    for fmt in ("csv", "geojson"):
        data = _download(api, f"/api/v1/open-data/cases.{fmt}")
        assert world.report.ticket_id in data and world.request.ticket_id not in data, fmt


def test_not_in_the_indicators_even_after_a_rebuild_nor_the_forwarding_figures(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    registrar, _key = make_officer(Agency.objects.get(code="bma-registration"))
    with django_capture_on_commit_callbacks(execute=True):
        do_forward(world.request, registrar, Agency.objects.get(code="sso"), "wrong office")
    assert not ForwardFact.objects.filter(case_id=world.request.pk).exists()
    fold_pending()  # the filed cases are counted by the next fold
    assert not CaseFact.objects.filter(case_id=world.request.pk).exists()
    assert CaseFact.objects.filter(case_id=world.report.pk).exists()
    call_command("insights", "rebuild", stdout=None)
    assert not CaseFact.objects.filter(case_id=world.request.pk).exists()
    assert not ForwardFact.objects.filter(case_id=world.request.pk).exists()


def test_the_indicators_count_only_the_report(api: Client, world: World) -> None:
    body = api.get("/api/v1/indicators", {"by": "agency"}).json()
    total = sum(row["reported"] for row in body["rows"])
    assert total == Case.objects.count() == 1


def test_no_webhook_reporter_mail_or_photo_check_for_any_step_of_its_workflow(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    registrar, _key = make_officer(Agency.objects.get(code="bma-registration"))
    with django_capture_on_commit_callbacks(execute=True):
        do_accept(world.request, registrar)
        do_close(Case.all_kinds.get(pk=world.request.pk), registrar, "done", "child_national_id: 1")
    rows = Delivery.objects.filter(case=world.request)
    assert not rows.filter(channel=Channel.WEBHOOK).exists()
    assert not rows.filter(event_type="reporter.news").exists()
    assert Delivery.objects.filter(case=world.report, channel=Channel.WEBHOOK).exists()
    assert not PhotoCheck.objects.filter(case=world.request).exists()  # nor the scorecards


def test_only_its_agency_sees_it_in_the_office(world: World) -> None:
    owner, _ = make_officer(Agency.objects.get(code="bma-registration"))
    stranger, _ = make_officer(Agency.objects.get(code="bma"))
    mine, theirs = Client(), Client()
    mine.force_login(owner.user)
    theirs.force_login(stranger.user)
    assert world.request.ticket_id in mine.get("/office/").content.decode()
    page = mine.get(f"/office/case/{world.request.ticket_id}/")
    assert page.status_code == 200 and SECRET_ID in page.content.decode()
    assert theirs.get(f"/office/case/{world.request.ticket_id}/").status_code == 404
    searched = theirs.get("/office/", {"q": world.request.ticket_id}).content.decode()
    assert f"/office/case/{world.request.ticket_id}/" not in searched
