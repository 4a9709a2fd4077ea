"""Passwordless sign-in: a code by e-mail, then a token.

`POST /auth/email` answers 202 with the same body for every well-formed address, whether or
not it has an account (the code creates the account when confirmed). Limits: per address
(PRACHA_RATE_SIGNIN_PER_EMAIL), per device and client address (PRACHA_RATE_SIGNIN_*), and
wrong codes per address (PRACHA_SIGNIN_FAILURES): 429 with Retry-After.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Router, Status

from pracha.api.cases.schemas import ErrorOut
from pracha.api.citizens.representations import citizen_dict
from pracha.api.citizens.schemas import CodeSentOut, EmailConfirmIn, EmailIn, SignInOut
from pracha.citizens.addresses import normalise_email
from pracha.citizens.services.signin import do_confirm_code, do_request_code
from pracha.citizens.services.tokens import do_issue_token
from pracha.limits.ratelimit import over_limit, too_many_requests

router = Router(tags=["sign-in"])
ERRORS = {400: ErrorOut, 422: ErrorOut, 429: ErrorOut}
SENT = (
    "if this address can receive e-mail, a sign-in code is on its way; "
    "confirm it with POST /api/v1/auth/email/confirm"
)


def _language(requested: str | None) -> str:
    return requested or (get_language() or "th")[:2]


@router.post(
    "/auth/email",
    response={202: CodeSentOut, **ERRORS},
    summary="E-mail a six-digit sign-in code",
    description=(
        "Answers 202 with the same body whatever the address (no account enumeration); the "
        "code works for PRACHA_SIGNIN_CODE_MINUTES (10) and once. A malformed address is 400; "
        "too many codes for the address, device or client address is 429 with Retry-After."
    ),
)
def request_code(request: HttpRequest, payload: EmailIn) -> Status | HttpResponse:
    address = normalise_email(payload.email)  # 400 before anything is counted
    refusal = over_limit(request, "signin")
    if refusal is not None:
        return too_many_requests(refusal.detail, refusal.retry_after)
    do_request_code(address, _language(payload.language))
    minutes = settings.PRACHA.signin_code_minutes
    return Status(202, {"detail": SENT, "expires_in_seconds": minutes * 60})


@router.post(
    "/auth/email/confirm",
    response={200: SignInOut, **ERRORS},
    summary="Sign in with the code: a citizen token",
    description=(
        "200 with a token and the account (made now for a new address). A wrong, expired, "
        "used or replaced code is 400 with its reason (`code`: wrong_code, code_expired, "
        "code_used, code_replaced); after PRACHA_SIGNIN_FAILURES (5) wrong codes for one "
        "address every try is 429 with Retry-After until the window passes, the right code too."
    ),
)
def confirm_code(request: HttpRequest, payload: EmailConfirmIn) -> dict[str, Any]:
    signed_in = do_confirm_code(payload.email, payload.code, payload.language)
    _token, raw = do_issue_token(signed_in.citizen)
    return {
        "token": raw,
        "token_type": "Bearer",
        "idle_days": settings.PRACHA.citizen_token_idle_days,
        "new_account": signed_in.created,
        "citizen": citizen_dict(signed_in.citizen),
    }
