"""Reading proposals (the list with filters and sorting, one proposal, the indicators), and
filing one (a citizen's POST on the list's path)."""

from __future__ import annotations

import json
from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from pracha.api.cases.schemas import ErrorOut
from pracha.api.citizens.auth import CitizenAuth
from pracha.api.proposals.schemas import ERRORS, ProposalIn
from pracha.cases.errors import InvalidInput
from pracha.cases.queries import MAX_OFFSET
from pracha.citizens.models import Citizen
from pracha.proposals.indicators import proposal_indicators
from pracha.proposals.queries import MAX_LIMIT, Filters, check_filters, find_proposals
from pracha.proposals.representation import proposal_detail, proposal_summary
from pracha.proposals.services.filing import NewProposal, PhotoUpload, do_file_proposal
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


# The body is JSON, or multipart form fields with one optional `photo` file: a proposal may
# carry a picture of what it is about. Parsed here because ninja binds one body type per route.
FILING_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ProposalIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["title", "body"],
                    "properties": {
                        **ProposalIn.model_json_schema()["properties"],
                        "photo": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    }
}


def filing_payload(request: HttpRequest) -> tuple[ProposalIn, PhotoUpload | None]:
    photo = None
    if request.content_type == "multipart/form-data":
        raw: Any = {k: v for k, v in request.POST.items() if v != ""}
        files = request.FILES.getlist("photo")
        if len(files) > 1:
            raise InvalidInput("a proposal has at most one photo", field="photo")
        if files:
            upload = files[0]
            photo = PhotoUpload(upload, upload.size, upload.name or "")
    else:
        try:
            raw = json.loads(request.body or b"null")
        except ValueError as exc:
            raise HttpError(400, "Cannot parse request body") from exc
    try:
        return ProposalIn.model_validate(raw), photo
    except pydantic.ValidationError as exc:
        errors = [
            {**e, "loc": ("body", "payload", *e["loc"])}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        raise ValidationError(errors) from exc


@router.post(
    "/proposals",
    auth=CitizenAuth(),
    response={201: dict[str, Any], 413: ErrorOut, **ERRORS},
    summary="File a proposal (a signed-in citizen), with one optional photo",
    description=(
        "JSON, or multipart/form-data with the same fields and an optional `photo` file "
        "(JPEG, PNG, WebP, GIF or HEIC; stored re-encoded without EXIF)."
    ),
    openapi_extra=FILING_BODY,
)
def file_proposal(request: HttpRequest) -> Status:
    payload, photo = filing_payload(request)
    new = NewProposal(
        payload.title, payload.body, payload.category, payload.district, payload.lat, payload.lon
    )
    citizen: Citizen = request.auth  # type: ignore[attr-defined]
    return Status(201, proposal_detail(do_file_proposal(citizen, new, photo)))


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
