"""GET /api/v1/life-events/indicators and /life/indicators/: journeys started and completed,
median days to complete, steps done online, each agency's time per step."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from pracha.lifeevents.models import Journey, JourneyStep
from tests.helpers import auth, page_text, post_json
from tests.lifeevents.support import new_citizen, start, step_of, submit


def test_the_figures_follow_the_journeys(api: Client, life_events: None, registrar: str) -> None:
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    start(api, headers, life_event="moving-house", facts={})
    submit(api, headers, journey, "birth-certificate")
    ticket = step_of(
        submit(api, headers, journey, "birth-registration").json(), "birth-registration"
    )["ticket_id"]
    post_json(api, f"/api/v1/cases/{ticket}/accept", {}, **auth(registrar))
    post_json(api, f"/api/v1/cases/{ticket}/close", {"outcome": "done"}, **auth(registrar))
    # Submitted two days before it was done: the agency's time, without waiting two days.
    step = JourneyStep.objects.get(journey_id=journey, code="birth-registration")
    JourneyStep.objects.filter(pk=step.pk).update(submitted_at=step.done_at - timedelta(days=2))

    body = api.get("/api/v1/life-events/indicators").json()
    by_event = {row["code"]: row for row in body["life_events"]}
    assert by_event["birth"]["started"] == 1 and by_event["moving-house"]["started"] == 1
    assert by_event["birth"]["completed"] == 0
    assert body["steps_done"] == 2 and body["steps_done_online"] == 1
    assert body["agency_steps"] == [
        {
            "agency": "bma-registration",
            "step": "birth-registration",
            "requests": 1,
            "median_days": 2.0,
        }
    ]


def test_median_days_to_complete(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    journey_id = start(api, headers).json()["id"]
    journey = Journey.objects.get(pk=journey_id)
    Journey.objects.filter(pk=journey_id).update(
        completed_at=timezone.make_aware(
            timezone.datetime.combine(
                journey.anchor_date + timedelta(days=20), timezone.datetime.min.time()
            )
        )
    )
    body = api.get("/api/v1/life-events/indicators").json()
    assert body["life_events"][0]["median_days_to_complete"] == 20.0


def test_the_indicators_page(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    start(api, headers)
    text = page_text(Client(HTTP_ACCEPT_LANGUAGE="en").get("/life/indicators/"))
    assert "Having a baby (Bangkok)" in text and "Each agency's time per step" in text
