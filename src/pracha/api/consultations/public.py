"""The public side: the list, one consultation, its results as CSV, turnout."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema
from pydantic import Field

from pracha.api.auth import optional_officer
from pracha.api.citizens.auth import OptionalCitizenAuth
from pracha.api.consultations.representations import detail_dict, summary_dict
from pracha.api.consultations.routes import ERRORS, router, session_officer
from pracha.cases.errors import NotFound
from pracha.citizens.models import Citizen
from pracha.consultations.models import Consultation, Phase, State
from pracha.consultations.services.closing import close_if_due
from pracha.consultations.services.manage import consultation_by_ref
from pracha.consultations.services.respond import current_answers
from pracha.consultations.services.results import (
    results_csv,
    turnout_by_agency,
    turnout_by_consultation,
)


class ListParams(Schema):
    state: Literal["upcoming", "open", "closed"] | None = None
    agency: str | None = Field(None, description="An agency's code")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def visible(request: HttpRequest, ref: str) -> Consultation:
    """A published consultation, or a draft to officers of its agency; 404 otherwise."""
    consultation = close_if_due(consultation_by_ref(ref))
    if consultation.state == State.DRAFT:
        officer = optional_officer(request) or session_officer(request)
        if officer is None or officer.agency_id != consultation.agency_id:
            raise NotFound(f"no consultation {ref!r}")
    return consultation


@router.get("/consultations", response={200: dict, **ERRORS}, summary="Consultations")
def list_consultations(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    found = Consultation.objects.exclude(state=State.DRAFT).select_related("agency")
    if params.agency:
        found = found.filter(agency__code=params.agency)
    rows = [c for c in found if params.state is None or c.phase() == params.state]
    page = rows[params.offset : params.offset + params.limit]
    return {"items": [summary_dict(c) for c in page], "count": len(rows)}


@router.get("/consultations/indicators", response={200: dict}, summary="Consultation turnout")
def indicators(request: HttpRequest, agency: str | None = None) -> dict[str, Any]:
    return {"consultations": turnout_by_consultation(agency), "agencies": turnout_by_agency()}


@router.get(
    "/consultations/{ref}",
    response={200: dict, **ERRORS},
    auth=OptionalCitizenAuth(),
    summary="One consultation: questions, results after the close, what changed",
)
def consultation(request: HttpRequest, ref: str) -> dict[str, Any]:
    found = visible(request, ref)
    body = detail_dict(found)
    if isinstance(request.auth, Citizen):  # type: ignore[attr-defined]
        mine = current_answers(request.auth, found)  # type: ignore[attr-defined]
        if mine is not None:
            answers = [{"question": q, "value": v} for q, v in mine["answers"].items()]
            mine = {**mine, "updated_at": mine["updated_at"].isoformat(), "answers": answers}
        body["my_response"] = mine
    return body


@router.get(
    "/consultations/{ref}/results.csv",
    response={200: None, **ERRORS},
    summary="The results as CSV (after the close)",
)
def results_as_csv(request: HttpRequest, ref: str) -> HttpResponse:
    found = visible(request, ref)
    response = HttpResponse(results_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{found.ref}-results.csv"'
    return response


__all__ = ["Phase", "router"]
