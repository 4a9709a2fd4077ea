"""Reading proposals (the list with filters and sorting, one proposal, the indicators), and
filing one (a citizen's POST on the list's path)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from pracha.api.citizens.auth import CitizenAuth
from pracha.api.proposals.schemas import ERRORS, ProposalIn
from pracha.cases.errors import InvalidInput
from pracha.cases.queries import MAX_OFFSET
from pracha.citizens.models import Citizen
from pracha.proposals.indicators import proposal_indicators
from pracha.proposals.queries import MAX_LIMIT, Filters, check_filters, find_proposals
from pracha.proposals.representation import proposal_detail, proposal_summary
from pracha.proposals.services.filing import NewProposal, do_file_proposal
from pracha.proposals.services.supports import get_proposal

router = Router()


class ListQuery(Schema):
    state: str = ""
    district: str = ""
    category: str = ""
    sort: str = "supports"
    limit: int = 20
    offset: int = 0


@router.get("/proposals", response={200: dict[str, Any], **ERRORS}, summary="Proposals")
def list_proposals(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    filters = check_filters(Filters(query.state, query.district, query.category, query.sort))
    rows = find_proposals(filters)
    limit = max(1, min(query.limit, MAX_LIMIT))
    if not 0 <= query.offset <= MAX_OFFSET:  # databases refuse offsets past 64 bits
        raise InvalidInput(f"offset must be from 0 to {MAX_OFFSET}", field="offset")
    offset = query.offset
    return {
        "items": [proposal_summary(p) for p in rows[offset : offset + limit]],
        "count": rows.count(),
    }


@router.post(
    "/proposals",
    auth=CitizenAuth(),
    response={201: dict[str, Any], **ERRORS},
    summary="File a proposal (a signed-in citizen)",
)
def file_proposal(request: HttpRequest, payload: ProposalIn) -> Status:
    new = NewProposal(
        payload.title, payload.body, payload.category, payload.district, payload.lat, payload.lon
    )
    citizen: Citizen = request.auth  # type: ignore[attr-defined]
    return Status(201, proposal_detail(do_file_proposal(citizen, new)))


@router.get(
    "/proposals/indicators",
    response={200: dict[str, Any], **ERRORS},
    summary="Proposals by state, answers on time, share accepted, results' progress",
)
def indicators(request: HttpRequest) -> dict[str, Any]:
    return proposal_indicators()


@router.get("/proposals/{ref}", response={200: dict[str, Any], **ERRORS}, summary="A proposal")
def read_proposal(request: HttpRequest, ref: str) -> dict[str, Any]:
    return proposal_detail(get_proposal(ref))
