"""Citizen actions: rate, reopen, me too. Rating and reopening need the reporter's token, or
the reporter signed in (a citizen token of the account the case is linked to)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router
from ninja.decorators import decorate_view

from pracha.api.cases.representations import case_detail_dict
from pracha.api.cases.schemas import CaseDetailOut, ErrorOut, RateIn, ReopenIn
from pracha.api.citizens.auth import OptionalCitizenAuth
from pracha.cases.queries import get_case
from pracha.cases.services.citizen import TooManyMeToos, do_me_too, do_rate, do_reopen
from pracha.limits.device import person_ident
from pracha.limits.ratelimit import case_limit_address, rate_limited, too_many_requests

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MeTooOut(CaseDetailOut):
    already: bool  # true: this device or citizen had said "me too"; nothing was counted


def _token(body_token: str, header_token: str | None) -> str:
    return (header_token or body_token or "").strip()


@router.post(
    "/cases/{ticket_id}/rate",
    response={200: CaseDetailOut, **ERRORS},
    summary="The reporter rates the result (1-5 stars, once per closing)",
    auth=OptionalCitizenAuth(),
)
def rate(
    request: HttpRequest,
    ticket_id: str,
    payload: RateIn,
    x_citizen_token: str | None = Header(None, alias="X-Citizen-Token"),
) -> dict[str, Any]:
    do_rate(
        get_case(ticket_id),
        payload.stars,
        _token(payload.citizen_token, x_citizen_token),
        payload.comment,
        citizen=getattr(request, "citizen", None),
    )
    return case_detail_dict(get_case(ticket_id, with_timeline=True))


@router.post(
    "/cases/{ticket_id}/reopen",
    response={200: CaseDetailOut, **ERRORS},
    summary="The reporter reopens a closed case (within 30 days, with a reason)",
    auth=OptionalCitizenAuth(),
)
def reopen(
    request: HttpRequest,
    ticket_id: str,
    payload: ReopenIn,
    x_citizen_token: str | None = Header(None, alias="X-Citizen-Token"),
) -> dict[str, Any]:
    do_reopen(
        get_case(ticket_id),
        payload.reason,
        _token(payload.citizen_token, x_citizen_token),
        citizen=getattr(request, "citizen", None),
    )
    return case_detail_dict(get_case(ticket_id, with_timeline=True))


@router.post(
    "/cases/{ticket_id}/me-too",
    response={200: MeTooOut, 429: ErrorOut, **ERRORS},
    summary="Another citizen has the same problem (once per device or citizen)",
    description=(
        "Counted once per device (`X-Device-Token` or the `pracha_device` cookie), signed-in "
        "citizen or, without either, client address. A repeat answers 200 with "
        '`"already": true` and the count unchanged. The reporter (their `X-Citizen-Token` or '
        "the device that filed the case) is refused with 403 `own_report`."
    ),
    auth=OptionalCitizenAuth(),
)
@decorate_view(rate_limited("metoo"))
def me_too(
    request: HttpRequest,
    ticket_id: str,
    x_citizen_token: str | None = Header(None, alias="X-Citizen-Token"),
) -> dict[str, Any] | HttpResponse:
    # No body: a plain empty POST is the contract, so the reporter's token comes as a header.
    token = _token("", x_citizen_token)
    try:
        result = do_me_too(
            get_case(ticket_id),
            person_ident(request),
            reporter_token=token,
            address=case_limit_address(request, "metoo"),
        )
    except TooManyMeToos as exc:
        return too_many_requests(exc.message, exc.retry_after)
    return {**case_detail_dict(get_case(ticket_id, with_timeline=True)), "already": result.already}
