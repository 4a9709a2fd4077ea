"""Reference data: categories, states and agencies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from pracha.agencies.models import Agency
from pracha.api.cases.schemas import AgencyOut, CategoryOut
from pracha.cases.models import Category
from pracha.states import CLOSED_STATES, STATE_NAMES_EN, State

router = Router(tags=["reference"])


class StateOut(Schema):
    code: str
    name_th: str
    name_en: str
    status: str


@router.get("/categories", response=list[CategoryOut])
def categories(request: HttpRequest) -> Any:
    return Category.objects.all()


@router.get("/states", response=list[StateOut])
def states(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {
            "code": s.value,
            "name_th": s.label,
            "name_en": STATE_NAMES_EN[s],
            "status": "closed" if s in CLOSED_STATES else "open",
        }
        for s in State
    ]


@router.get("/agencies", response=list[AgencyOut])
def agencies(request: HttpRequest) -> Any:
    return Agency.objects.filter(is_active=True).order_by("kind", "name_th")
