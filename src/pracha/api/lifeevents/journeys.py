"""A citizen's journeys (`Authorization: Bearer ct_...`): start one, read it, submit or skip
a step, and see or revoke what each agency was allowed to see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from pracha.api.cases.schemas import ErrorOut
from pracha.api.citizens.auth import CitizenAuth
from pracha.api.lifeevents.representations import journey_dict
from pracha.api.lifeevents.schemas import (
    FactConsentListOut,
    FactConsentOut,
    JourneyIn,
    JourneyListOut,
    JourneyOut,
    SubmitIn,
)
from pracha.citizens.models import Citizen
from pracha.lifeevents.models import Journey
from pracha.lifeevents.services.journeys import (
    do_skip_step,
    do_start_journey,
    do_submit_step,
    do_tell_facts,
    get_journey,
)
from pracha.lifeevents.services.privacy import consent_dict, consents_of, do_revoke_fact_consent

router = Router(auth=CitizenAuth())
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def me(request: HttpRequest) -> Citizen:
    return request.citizen  # type: ignore[attr-defined]


def _answer(journey: Journey) -> dict[str, Any]:
    return journey_dict(get_journey(journey.citizen, journey.pk), timezone.localdate())


@router.post("/journeys", response={201: JourneyOut, **ERRORS}, summary="Start a journey")
def start_journey(request: HttpRequest, payload: JourneyIn) -> Status[dict[str, Any]]:
    journey = do_start_journey(me(request), payload.life_event, payload.anchor_date, payload.facts)
    return Status(201, _answer(journey))


@router.get("/journeys", response={200: JourneyListOut, **ERRORS}, summary="My journeys")
def my_journeys(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    journeys = me(request).journeys.select_related("life_event").order_by("-created_at", "-pk")
    return {"items": [journey_dict(j, today) for j in journeys]}


@router.get("/journeys/{journey_id}", response={200: JourneyOut, **ERRORS}, summary="A journey")
def read_journey(request: HttpRequest, journey_id: int) -> dict[str, Any]:
    return _answer(get_journey(me(request), journey_id))


@router.post(
    "/journeys/{journey_id}/steps/{code}/submit",
    response={200: JourneyOut, **ERRORS},
    summary="Submit a step: a service request to its agency (or recorded, for a record step)",
)
def submit_step(
    request: HttpRequest, journey_id: int, code: str, payload: SubmitIn
) -> dict[str, Any]:
    journey = get_journey(me(request), journey_id)
    do_submit_step(journey, code, payload.facts)
    return _answer(journey)


@router.post(
    "/journeys/{journey_id}/facts",
    response={200: JourneyOut, **ERRORS},
    summary="Tell facts once: they prefill every later step and may open steps (you are told)",
)
def tell_facts(request: HttpRequest, journey_id: int, payload: SubmitIn) -> dict[str, Any]:
    journey = get_journey(me(request), journey_id)
    do_tell_facts(journey, payload.facts)
    return _answer(journey)


@router.post(
    "/journeys/{journey_id}/steps/{code}/skip",
    response={200: JourneyOut, **ERRORS},
    summary="Skip an optional step",
)
def skip_step(request: HttpRequest, journey_id: int, code: str) -> dict[str, Any]:
    journey = get_journey(me(request), journey_id)
    do_skip_step(journey, code)
    return _answer(journey)


@router.get(
    "/me/fact-consents",
    response={200: FactConsentListOut, **ERRORS},
    summary="Which fact each agency may see, given when, revoked when",
)
def fact_consents(request: HttpRequest) -> dict[str, Any]:
    return {"items": [consent_dict(c) for c in consents_of(me(request))]}


@router.delete(
    "/me/fact-consents/{consent_id}",
    response={200: FactConsentOut, **ERRORS},
    summary="Revoke one fact's sharing with one agency",
)
def revoke_fact_consent(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    return consent_dict(do_revoke_fact_consent(me(request), consent_id))
