"""Filing, reading and listing cases, and adding photos."""

from __future__ import annotations

from typing import IO, Any, cast

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from pracha.api.auth import optional_officer
from pracha.api.cases.representations import case_detail_dict, case_dict, photo_dict
from pracha.api.cases.schemas import (
    CaseCreatedOut,
    CaseDetailOut,
    CaseIn,
    CaseListOut,
    ErrorOut,
    PhotoOut,
)
from pracha.api.citizens.auth import OptionalCitizenAuth
from pracha.api.renderers import json_response
from pracha.cases.actors import Actor, sees_internal
from pracha.cases.errors import InvalidInput, NotAllowed
from pracha.cases.models import Case, Photo
from pracha.cases.public_actor import reporter_actor
from pracha.cases.queries import (
    CaseFilter,
    filter_cases,
    get_case,
    is_primed,
    page,
    raw_text_scope,
)
from pracha.cases.services.citizen import is_reporter as reporter_check
from pracha.cases.services.photos import do_add_photo
from pracha.cases.services.workflow import check_officer_can_act
from pracha.intake.services import NewCase, Reporter, do_create_case
from pracha.limits.device import device_id, reporter_ident
from pracha.limits.ratelimit import rate_limited
from pracha.masking.personal_data import contains_personal_data
from pracha.states import State
from pracha.tickets import citizen_token
from pracha.triage.explanations import duplicate_dicts

router = Router()
ERRORS = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def is_retry(request: HttpRequest) -> bool:
    """A POST whose Idempotency-Key is already stored: answered from the stored case."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 200 or not key.isprintable():
        return False  # not a key intake accepts (PostgreSQL cannot even compare a NUL)
    return Case.objects.filter(idempotency_key=key).exists()


@router.post(
    "/cases",
    response={201: CaseCreatedOut, 401: ErrorOut, **ERRORS},
    summary="File a new report",
    description=(
        "Anyone may file. With a citizen's `Authorization: Bearer <token>` the case is linked "
        "to their account (GET /api/v1/me lists it)."
    ),
    auth=OptionalCitizenAuth(),
)
@decorate_view(rate_limited("reports", exempt=is_retry))
def create_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> HttpResponse:
    reporter = Reporter(**payload.reporter.model_dump()) if payload.reporter else None
    citizen = getattr(request, "citizen", None)
    # Who filed it may not say "me too" on it, nor signed out on the same phone.
    reporters = [reporter_ident(request)]
    if citizen is not None and (device := device_id(request)) is not None:
        reporters.append(f"device:{device}")
    case, created = do_create_case(
        NewCase(
            description=payload.description,
            lat=payload.lat,
            lon=payload.lon,
            categories=payload.categories,
            address=payload.address,
            reporter=reporter,
            language=payload.language,
        ),
        idempotency_key=idempotency_key,
        citizen=citizen,
        reporters=reporters,
    )
    # A replayed request gets the very same answer, so clients can retry blindly: read back
    # as any reader would, unless intake answered with what it just wrote (prime_new_case).
    if not (created and is_primed(case)):
        case = get_case(case.ticket_id, with_timeline=True)
    body = {**case_detail_dict(case), "citizen_token": citizen_token(case.ticket_id)}
    # "Is it one of these? Say me-too instead": nearby open cases that read alike.
    body["duplicates"] = duplicate_dicts(case)
    # Built to CaseCreatedOut already (tests/api/test_created_answer.py holds it so).
    return json_response(request, body, status=201)


@router.get(
    "/cases/{ticket_id}",
    response={200: CaseDetailOut, 404: ErrorOut},
    url_name="get_case",
    summary="A case with its public timeline",
)
def read_case(request: HttpRequest, ticket_id: str) -> dict[str, Any]:
    officer = optional_officer(request)
    case = get_case(ticket_id, with_timeline=True)
    # The case's staff (its agency, a supervisor, an invited helper) also see staff-only
    # notes and the text unmasked; the office case page asks the same question.
    if sees_internal(officer, case):
        case = get_case(ticket_id, with_timeline=True, staff=True)
        return case_detail_dict(case, masked=False)
    return case_detail_dict(case)


class ListParams(Schema):
    limit: int = 20
    offset: int = 0
    state: str | None = None
    category: str | None = None
    district: str | None = None
    agency: str | None = None
    q: str | None = None
    order: str = "-created_at"


@router.get(
    "/cases",
    response={200: CaseListOut, 400: ErrorOut, 422: ErrorOut},
    summary="Search and page through cases",
)
def list_cases(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    officer = optional_officer(request)
    if officer is None and contains_personal_data(params.q):
        # Masked answers would still reveal which case mentions someone's phone or plate.
        raise InvalidInput(
            "q looks like a phone number, ID number, e-mail or plate; "
            "searching for personal data is not allowed",
            field="q",
        )
    # q matches the masked text only; an officer also searches the unmasked text of the
    # cases their agency is responsible for (or shared with), which they may read anyway.
    cases = filter_cases(
        CaseFilter(
            state=params.state,
            category=params.category,
            district=params.district,
            agency=params.agency,
            q=params.q,
        ),
        raw_scope=raw_text_scope(officer.agency) if officer is not None else None,
    )
    items, count = page(cases, params.limit, params.offset, params.order)
    return {
        "items": [case_dict(c) for c in items],
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
    }


@router.post(
    "/cases/{ticket_id}/photos",
    response={201: PhotoOut, 401: ErrorOut, **ERRORS},
    summary="Add a photo (before; officers may add 'after')",
    auth=OptionalCitizenAuth(),
)
@decorate_view(rate_limited("photos"))
def add_photo(
    request: HttpRequest,
    ticket_id: str,
    file: File[UploadedFile],
    kind: Form[str] = "before",
    citizen_token: Form[str] = "",
    x_citizen_token: str | None = Header(None, alias="X-Citizen-Token"),
) -> Status:
    case = get_case(ticket_id)
    if kind not in Photo.Kind.values:
        raise InvalidInput("kind must be 'before' or 'after'", field="kind")
    token = (x_citizen_token or citizen_token or "").strip()
    officer = optional_officer(request)
    if officer is not None:
        check_officer_can_act(officer, case)
        actor = Actor.for_officer(officer)
    else:
        if kind != Photo.Kind.BEFORE:
            raise NotAllowed("only an officer of the responsible agency may add an after-photo")
        # Anyone may add evidence while the case awaits an officer; later only the reporter.
        is_reporter = reporter_check(case, token, getattr(request, "citizen", None))
        if case.state != State.WAITING and not is_reporter:
            raise NotAllowed(
                "photos can be added by anyone only while the case is waiting; "
                "the reporter may send citizen_token (or sign in) to add more"
            )
        # Stored so the timeline says whose photo it is: the reporter's or someone else's.
        actor = reporter_actor() if is_reporter else Actor.citizen()
    # An upload Django parsed always has its file (File.file is only None when built so).
    stream = cast(IO[bytes], file.file)
    photo = do_add_photo(case, stream, file.size, kind=kind, actor=actor, filename=file.name or "")
    return Status(201, photo_dict(photo))
