"""The JSON API (django-ninja): one NinjaAPI, routers from each app, one error format.

Every error answers `{"detail": "<readable reason>", "code": "<stable code>", "field": ...}`:

| status | code | when |
|---|---|---|
| 400 | invalid_input, invalid_json | bad values (InvalidInput and any other DomainError) |
| 400 | wrong_code, code_expired, code_used, code_replaced | a sign-in code that does not sign in |
| 400 | invalid_answers | consultations: answers that do not fit the questions (`reasons`: each) |
| 401 | unauthenticated | no valid API key on an officer endpoint; no valid citizen token on /me |
| 403 | forbidden | NotAllowed: wrong agency, not the reporter, key of no officer |
| 403 | officer_key_required | a citizen's token on an officer endpoint |
| 403 | own_report | OwnReport: the reporter said "me too" on their own report |
| 404 | not_found | NotFound, and any path under /api/v1/ that names no endpoint |
| 404 | ambiguous_ticket_id | AmbiguousTicketId: a short id several cases share (listed) |
| 409 | illegal_transition, forwarding_loop, conflict | the case's state refuses the move |
| 409 | session_open, session_finished | tests: one open test per officer; none after the end |
| 409 | time_up, item_not_asked | tests: past the time limit; an answer to an item not waiting |
| 409 | consultation_not_open | consultations: an answer before the opening or after the close |
| 409 | results_not_public | consultations: results (CSV) asked for before the close |
| 409 | step_not_open | life events: a step sent before its prerequisites, not eligible, or twice |
| 409 | already_claimed, channel_taken | the case or address belongs to another account |
| 413 | too_large | PhotoTooLarge, or a request body over the server's limit |
| 415 | unsupported_media | NotAnImage |
| 422 | invalid_input | the body does not match the schema (types, missing fields) |
| 422 | idempotency_key_reused | an Idempotency-Key sent again with a different request |
| 429 | rate_limited | too many requests from one device, address or key (with Retry-After) |
| 429 | rate_limited | too many sign-in codes or wrong codes for one e-mail address (the same) |
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pracha.api.assessments import router as assessments_router
from pracha.api.cases import router as cases_router
from pracha.api.citizens import router as citizens_router
from pracha.api.consultations import router as consultations_router
from pracha.api.insights import router as insights_router
from pracha.api.lifeevents import router as lifeevents_router
from pracha.api.proposals import router as proposals_router
from pracha.api.reference import router as reference_router
from pracha.api.renderers import RENDERER
from pracha.cases.errors import (
    Conflict,
    DomainError,
    ForwardingLoop,
    IdempotencyKeyReused,
    IllegalTransition,
    NotAllowed,
    NotAnImage,
    NotFound,
    PhotoTooLarge,
)
from pracha.citizens.errors import ChannelTaken, CitizenError, NoSuchConsent, NotSignedIn, TooMany

api = NinjaAPI(
    renderer=RENDERER,
    title="Pracha API",
    version="1",
    description=(
        "Citizen reports (cases), their public timeline, and the officer workflow. "
        "Officer actions need `Authorization: Bearer <api key>` (see `pracha apikey create`); "
        "a citizen's account (/me) needs `Authorization: Bearer <citizen token>` from "
        "POST /auth/email and /auth/email/confirm."
    ),
    docs_url="/docs",
    urls_namespace="api-v1",
)

STATUS_FOR: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (NotAllowed, 403),
    (IllegalTransition, 409),
    (ForwardingLoop, 409),
    (Conflict, 409),
    (PhotoTooLarge, 413),
    (NotAnImage, 415),
    (IdempotencyKeyReused, 422),
]


def error_response(
    request: HttpRequest, status: int, detail: str, code: str, field: str | None = None
) -> HttpResponse:
    body: dict[str, object] = {"detail": detail, "code": code}
    if field:
        body["field"] = field
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = next((code for cls, code in STATUS_FOR if isinstance(exc, cls)), 400)
    return error_response(request, status, exc.message, exc.code, exc.field)


CITIZEN_STATUS_FOR: list[tuple[type[CitizenError], int]] = [
    (NotSignedIn, 401),
    (NoSuchConsent, 404),
    (ChannelTaken, 409),
    (TooMany, 429),
]


@api.exception_handler(CitizenError)
def on_citizen_error(request: HttpRequest, exc: CitizenError) -> HttpResponse:
    status = next((code for cls, code in CITIZEN_STATUS_FOR if isinstance(exc, cls)), 400)
    response = error_response(request, status, exc.message, exc.code, exc.field)
    if isinstance(exc, TooMany):
        response["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, NotSignedIn):
        response["WWW-Authenticate"] = "Bearer"
    return response


# Where django-ninja says a value came from: the first part of each error's `loc`.
PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_name(loc: tuple[object, ...] | list[object]) -> str:
    """A readable field name from an error's location.

    `("body", "payload", "reporter", "email")` -> `reporter.email`; `("file", "file")` -> `file`.
    """
    parts = [str(part) for part in loc]
    if parts and parts[0] in PARAM_SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
            return ".".join(parts) or "body"  # the whole body is missing or not an object
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    fields = []
    for error in exc.errors:
        where = field_name(error.get("loc", ()))
        fields.append(where)
        message = error.get("msg", "invalid")
        problems.append(f"{where}: {message}" if where else message)
    detail = "; ".join(problems) or "the request is not valid"
    body: dict[str, object] = {"detail": detail, "code": "invalid_input"}
    if fields and fields[0]:
        body["field"] = fields[0]
    body["errors"] = exc.errors
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request,
        401,
        "authentication required: send 'Authorization: Bearer <api key>'",
        "unauthenticated",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # django-ninja's words for a body its JSON parser refused.
        return error_response(request, 400, "the request body is not valid JSON", "invalid_json")
    return error_response(request, exc.status_code, str(exc), "http_error")


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return error_response(request, 400, f"the multipart body is malformed: {exc}", "invalid_input")


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "the request body is too large", "too_large")


# Last: any other path under /api/v1/ answers a JSON 404 rather than Django's HTML page.
fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def no_such_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response(request, 404, "no such API endpoint; see /api/v1/docs", "not_found")


api.add_router("/", reference_router)
api.add_router("", cases_router)
api.add_router("", citizens_router)
api.add_router("", insights_router)
api.add_router("", assessments_router)
api.add_router("", proposals_router)
api.add_router("", lifeevents_router)
api.add_router("", consultations_router)
api.add_router("", fallback_router)
