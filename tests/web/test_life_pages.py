"""The life-event pages: public guides in Thai and English (/life/, /life/<code>/), and the
citizen's journey (/me/journeys/<id>/): progress, next, submit, what was shared, revoke."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from pracha.citizens.models import Citizen, CitizenToken
from pracha.citizens.services.tokens import do_issue_token
from pracha.citizens.sessions import SESSION_KEY
from pracha.lifeevents.models import FactConsent, Journey
from pracha.lifeevents.services.journeys import do_start_journey, do_submit_step
from tests.helpers import page_text
from tests.lifeevents.support import FACTS, days_ago, life_events

__all__ = ["life_events"]


def browser(language: str = "th", citizen: Citizen | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if citizen is not None:
        token, _raw = do_issue_token(citizen, CitizenToken.Kind.WEB)
        session = client.session
        session[SESSION_KEY] = token.pk
        session.save()
    return client


def test_the_guides_list_in_thai_and_english(life_events: None) -> None:
    thai = page_text(browser("th").get("/life/"))
    assert "มีลูก (กรุงเทพฯ)" in thai and "ย้ายบ้าน" in thai
    english = page_text(browser("en").get("/life/"))
    assert "Having a baby (Bangkok)" in english and "Moving house" in english


def test_a_guide_says_what_where_which_documents_and_by_when(life_events: None) -> None:
    response = browser("en").get("/life/birth/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Register the birth at the district office" in text
    assert "District office civil registration (Bangkok)" in text
    assert "Within 15 days of the event" in text
    assert "The house master's copy of the house registration" in text
    assert "Department of Children and Youth" in text
    assert "Not verified yet" in text  # the unverified facts are said to be so
    thai = page_text(browser("th").get("/life/birth/"))
    assert "แจ้งเกิดที่สำนักงานเขต" in thai and "ทะเบียนบ้านฉบับเจ้าบ้าน" in thai


def test_an_unknown_guide_is_404(life_events: None) -> None:
    assert browser().get("/life/wedding/").status_code == 404


def test_starting_a_journey_needs_signing_in(life_events: None) -> None:
    response = browser().post("/life/birth/start/", {"anchor_date": days_ago(1).isoformat()})
    assert response.status_code == 302 and response["Location"].startswith("/signin/")


def test_a_signed_in_citizen_starts_and_follows_a_journey(life_events: None) -> None:
    citizen = Citizen.objects.create(language="en")
    client = browser("en", citizen)
    response = client.post("/life/birth/start/", {"anchor_date": days_ago(2).isoformat()})
    journey = Journey.objects.get(citizen=citizen)
    assert response["Location"] == f"/me/journeys/{journey.pk}/"
    page = page_text(client.get(f"/me/journeys/{journey.pk}/"))
    assert "0 of 15 steps done" in page and "Next:" in page
    client.post(f"/me/journeys/{journey.pk}/steps/birth-certificate/submit/")
    sent = client.post(f"/me/journeys/{journey.pk}/steps/birth-registration/submit/", follow=True)
    text = page_text(sent)
    assert "Sent to District office civil registration (Bangkok) as request" in text
    assert "2 of 15 steps done" not in text and "1 of 15 steps done" in text


def test_a_future_date_is_explained_not_a_500(life_events: None) -> None:
    client = browser("en", Citizen.objects.create(language="en"))
    response = client.post("/life/birth/start/", {"anchor_date": "2999-01-01"}, follow=True)
    assert response.status_code == 200 and "anchor_date is in the future" in page_text(response)


def test_what_was_shared_with_whom_and_revoking_it(life_events: None) -> None:
    citizen = Citizen.objects.create(language="en")
    journey = do_start_journey(citizen, "birth", days_ago(2), FACTS)
    do_submit_step(journey, "birth-certificate", {"birth_certificate_no": "TR-5"})
    step = do_submit_step(journey, "birth-registration")
    client = browser("en", citizen)
    page = page_text(client.get(f"/me/journeys/{journey.pk}/"))
    assert "What was shared with whom" in page and "parent_national_id" in page
    consent = FactConsent.objects.get(journey=journey, fact="parent_national_id")
    client.post(f"/me/journeys/{journey.pk}/consents/{consent.pk}/revoke/")
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert step.case is not None
    step.case.refresh_from_db()
    assert FACTS["parent_national_id"] not in step.case.description  # the open request too
    me = page_text(client.get("/me/"))
    assert "parent_national_id →" in me and "(revoked)" in me


def test_another_citizen_gets_404(life_events: None) -> None:
    journey = do_start_journey(Citizen.objects.create(), "birth", days_ago(2), FACTS)
    stranger = browser("en", Citizen.objects.create())
    assert stranger.get(f"/me/journeys/{journey.pk}/").status_code == 404
    assert (
        stranger.post(f"/me/journeys/{journey.pk}/steps/birth-certificate/submit/").status_code
        == 404
    )
