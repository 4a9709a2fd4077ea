"""Triage endpoints: officers correct a triage or merge a duplicate; anyone sees candidates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from pracha.agencies.services import AgencyError, resolve_agency
from pracha.api.auth import ApiKeyAuth, officer_from
from pracha.api.cases.representations import case_detail_dict
from pracha.api.cases.schemas import (
    CaseDetailOut,
    DuplicateOut,
    ErrorOut,
    MergeIn,
    TriageCorrectionIn,
)
from pracha.cases.errors import InvalidInput, NotFound
from pracha.cases.queries import get_case
from pracha.cases.services.workflow import check_can_manage
from pracha.triage.corrections import do_correct_triage
from pracha.triage.explanations import duplicate_dicts
from pracha.triage.merging import do_merge

router = Router(tags=["triage"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _answer(ticket_id: str) -> dict[str, Any]:
    return case_detail_dict(get_case(ticket_id, with_timeline=True, staff=True), masked=False)


@router.post(
    "/cases/{ticket_id}/triage",
    response={200: CaseDetailOut, **ERRORS},
    auth=ApiKeyAuth(),
    summary="Correct the triage: categories, and the agency when misrouted (kept for retraining)",
)
def correct_triage(
    request: HttpRequest, ticket_id: str, payload: TriageCorrectionIn
) -> dict[str, Any]:
    case, officer = get_case(ticket_id), officer_from(request)
    check_can_manage(officer, case, "re-route")  # a stranger learns nothing about agencies
    agency = None
    if payload.agency is not None and payload.agency.strip():
        try:
            agency = resolve_agency(payload.agency)
        except AgencyError as exc:
            raise InvalidInput(str(exc), field="agency") from exc
    do_correct_triage(case, officer, payload.categories, agency, payload.note)
    return _answer(ticket_id)


@router.post(
    "/cases/{ticket_id}/merge",
    response={200: CaseDetailOut, **ERRORS},
    auth=ApiKeyAuth(),
    summary="Close this case as a duplicate of another; its reporter follows the original",
)
def merge(request: HttpRequest, ticket_id: str, payload: MergeIn) -> dict[str, Any]:
    case, officer = get_case(ticket_id), officer_from(request)
    check_can_manage(officer, case, "merge")
    try:
        original = get_case(payload.into)
    except NotFound as exc:
        raise InvalidInput(
            f"no case {payload.into.strip()[:40]!r} to merge into", field="into"
        ) from exc
    do_merge(case, officer, original, payload.note)
    return _answer(ticket_id)


@router.get(
    "/cases/{ticket_id}/duplicates",
    response={200: list[DuplicateOut], 404: ErrorOut},
    summary="Open cases nearby, filed shortly before, that may be the same problem",
)
def duplicates(request: HttpRequest, ticket_id: str) -> list[dict[str, Any]]:
    return duplicate_dicts(get_case(ticket_id))
