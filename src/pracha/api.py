"""The JSON API (django-ninja): one NinjaAPI, routers from each app, one error format.

Every error answers `{"detail": "<readable reason>", "code": "<stable code>", "field": ...}`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pracha.cases.api import router as cases_router
from pracha.cases.api.reference import router as reference_router
from pracha.cases.errors import (
    Conflict,
    DomainError,
    ForwardingLoop,
    IllegalTransition,
    NotAllowed,
    NotAnImage,
    NotFound,
    PhotoTooLarge,
)

api = NinjaAPI(
    title="Pracha API",
    version="1",
    description=(
        "Citizen reports (cases), their public timeline, and the officer workflow. "
        "Officer actions need `Authorization: Bearer <api key>` (see `pracha apikey create`)."
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


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(
            str(part) for part in error.get("loc", ()) if part not in {"body", "payload"}
        )
        problems.append(
            f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "")
        )
    detail = "; ".join(problems) or "the request is not valid"
    body = {"detail": detail, "code": "invalid_input", "errors": exc.errors}
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
    return error_response(request, exc.status_code, str(exc), "http_error")


api.add_router("/", reference_router)
api.add_router("", cases_router)
