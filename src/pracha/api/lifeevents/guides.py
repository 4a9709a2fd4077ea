"""The public guides: which life events there are and their steps (no sign-in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from pracha.api.cases.schemas import ErrorOut
from pracha.api.lifeevents.representations import life_event_dict
from pracha.api.lifeevents.schemas import JourneyIndicatorsOut, LifeEventListOut, LifeEventOut
from pracha.lifeevents.services.indicators import journey_indicators
from pracha.lifeevents.services.journeys import current_life_events, get_life_event

router = Router()


@router.get("/life-events", response={200: LifeEventListOut}, summary="Life events and their steps")
def list_life_events(request: HttpRequest) -> dict[str, Any]:
    return {"items": [life_event_dict(e) for e in current_life_events()]}


@router.get(
    "/life-events/indicators",
    response={200: JourneyIndicatorsOut},
    summary="Journeys started and completed, days to complete, steps online, agency times",
)
def life_event_indicators(request: HttpRequest) -> dict[str, Any]:
    return journey_indicators()


@router.get(
    "/life-events/{code}",
    response={200: LifeEventOut, 404: ErrorOut},
    summary="One life event: its steps, agencies, deadlines, documents",
)
def read_life_event(request: HttpRequest, code: str) -> dict[str, Any]:
    return life_event_dict(get_life_event(code))
