"""Officer workflow actions; each needs an officer's API key for the case's agency."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from pracha.agencies.models import Agency
from pracha.agencies.services import AgencyError, resolve_agency
from pracha.api.auth import ApiKeyAuth, officer_from
from pracha.api.cases.representations import case_detail_dict
from pracha.api.cases.schemas import (
    CaseDetailOut,
    CloseIn,
    CommentIn,
    ErrorOut,
    ForwardIn,
    NoteIn,
    ReporterContactOut,
    StateIn,
)
from pracha.audit.log import audit
from pracha.cases.contact import check_may_read_contact, read_reporter_contact
from pracha.cases.errors import InvalidInput, NotAllowed, NotFound
from pracha.cases.models import Case, Photo
from pracha.cases.queries import get_case
from pracha.cases.services import workflow

router = Router(auth=ApiKeyAuth())
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _agency(ref: str) -> Agency:
    try:
        return resolve_agency(ref)
    except AgencyError as exc:
        raise InvalidInput(str(exc), field="agency") from exc


def _case(request: HttpRequest, ticket_id: str) -> Case:
    """A report, or a service request the officer's agency works on (others: 404)."""
    return get_case(ticket_id, agency=officer_from(request).agency)


def _answer(ticket_id: str, agency: Agency) -> dict[str, Any]:
    case = get_case(ticket_id, with_timeline=True, staff=True, agency=agency)
    return case_detail_dict(case, masked=False)


@router.post("/cases/{ticket_id}/accept", response={200: CaseDetailOut, **ERRORS})
def accept(request: HttpRequest, ticket_id: str, payload: NoteIn) -> dict[str, Any]:
    officer = officer_from(request)
    workflow.do_accept(_case(request, ticket_id), officer, payload.note)
    return _answer(ticket_id, officer.agency)


@router.post("/cases/{ticket_id}/comment", response={200: CaseDetailOut, **ERRORS})
def comment(request: HttpRequest, ticket_id: str, payload: CommentIn) -> dict[str, Any]:
    officer = officer_from(request)
    workflow.do_comment(_case(request, ticket_id), officer, payload.note, public=payload.public)
    return _answer(ticket_id, officer.agency)


@router.post(
    "/cases/{ticket_id}/state",
    response={200: CaseDetailOut, **ERRORS},
    summary="Move to a working state (in_progress, studying, budget_request, ...)",
)
def change_state(request: HttpRequest, ticket_id: str, payload: StateIn) -> dict[str, Any]:
    officer = officer_from(request)
    workflow.do_change_state(_case(request, ticket_id), officer, payload.state, payload.note)
    return _answer(ticket_id, officer.agency)


@router.post("/cases/{ticket_id}/forward", response={200: CaseDetailOut, **ERRORS})
def forward(request: HttpRequest, ticket_id: str, payload: ForwardIn) -> dict[str, Any]:
    case, officer = _case(request, ticket_id), officer_from(request)
    workflow.check_can_manage(officer, case, "forward")  # a stranger learns nothing
    to_agency = _agency(payload.agency)
    workflow.do_forward(case, officer, to_agency, payload.reason)
    return _answer(ticket_id, to_agency)  # the sender no longer holds a service request


@router.post(
    "/cases/{ticket_id}/invite",
    response={200: CaseDetailOut, **ERRORS},
    summary="Share the case with another agency that must act too",
)
def invite(request: HttpRequest, ticket_id: str, payload: ForwardIn) -> dict[str, Any]:
    case, officer = _case(request, ticket_id), officer_from(request)
    workflow.check_can_manage(officer, case, "invite")
    workflow.do_invite(case, officer, _agency(payload.agency), payload.reason)
    return _answer(ticket_id, officer.agency)


@router.post(
    "/cases/{ticket_id}/close",
    response={200: CaseDetailOut, **ERRORS},
    summary="Close as done (optionally with an after-photo) or irrelevant",
)
def close(request: HttpRequest, ticket_id: str, payload: CloseIn) -> dict[str, Any]:
    officer = officer_from(request)
    case = _case(request, ticket_id)
    workflow.check_can_manage(officer, case, "close")  # before saying anything about its photos
    photo = None
    if payload.photo_id is not None:
        photo = Photo.objects.filter(pk=payload.photo_id, case=case).first()
        if photo is None:
            raise InvalidInput(
                f"case {case.ticket_id} has no photo {payload.photo_id}", field="photo_id"
            )
    workflow.do_close(case, officer, payload.outcome, payload.note, photo)
    return _answer(ticket_id, officer.agency)


@router.get(
    "/cases/{ticket_id}/reporter",
    response={200: ReporterContactOut, **ERRORS},
    summary="The reporter's contact details (responsible agency or a supervisor; every read "
    "is audited)",
)
def reporter_contact(request: HttpRequest, ticket_id: str, purpose: str) -> dict[str, Any]:
    officer, case = officer_from(request), get_case(ticket_id)
    try:
        check_may_read_contact(officer, case)
    except NotAllowed:
        audit("contact.read_refused", obj=case, actor=officer)  # who tried is worth knowing
        raise
    contact = read_reporter_contact(case, officer, purpose)
    if contact is None:
        raise NotFound(
            f"no contact details are held for case {case.ticket_id} "
            "(none were given, or they were erased or passed their retention period)"
        )
    return contact.as_dict()
