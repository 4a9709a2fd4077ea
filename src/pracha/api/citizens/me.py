"""'My Pracha' on the API: the signed-in citizen's account, reports, settings and consents,
their data export, signing out and deleting the account. Every endpoint needs
`Authorization: Bearer <citizen token>`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from pracha.api.cases.representations import case_dict
from pracha.api.cases.schemas import ErrorOut
from pracha.api.citizens.auth import CitizenAuth
from pracha.api.citizens.representations import me_dict
from pracha.api.citizens.schemas import (
    ClaimedOut,
    ClaimIn,
    ConsentIn,
    ConsentOut,
    DeletedOut,
    MeOut,
    MePatchIn,
    MyCasesOut,
)
from pracha.cases.queries import get_case, page
from pracha.cases.services.claims import cases_of, do_claim_case
from pracha.citizens.models import Citizen, CitizenToken
from pracha.citizens.services.account import do_set_language, do_set_notifications
from pracha.citizens.services.consents import consent_dict, do_give_consent, do_revoke_consent
from pracha.citizens.services.tokens import do_sign_out
from pracha.privacy.accounts import delete_citizen, export_citizen_data

router = Router(auth=CitizenAuth(), tags=["my pracha"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}


def me(request: HttpRequest) -> Citizen:
    return request.citizen  # type: ignore[attr-defined]


def token(request: HttpRequest) -> CitizenToken:
    return request.citizen_token  # type: ignore[attr-defined]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="My account, reports and settings")
def read_me(request: HttpRequest) -> dict[str, Any]:
    return me_dict(me(request))


@router.patch("/me", response={200: MeOut, **ERRORS}, summary="Change language or notifications")
def change_me(request: HttpRequest, payload: MePatchIn) -> dict[str, Any]:
    citizen = me(request)
    if payload.language is not None:
        do_set_language(citizen, payload.language)
    if payload.notifications is not None:
        do_set_notifications(citizen, payload.notifications)
    return me_dict(citizen)


class PageParams(Schema):
    limit: int = 20
    offset: int = 0


@router.get("/me/cases", response={200: MyCasesOut, **ERRORS}, summary="All my reports, paged")
def my_cases(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    items, count = page(cases_of(me(request)), params.limit, params.offset)
    return {
        "items": [case_dict(c) for c in items],
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
    }


@router.post(
    "/me/cases",
    response={200: ClaimedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Add a report filed without an account (with its citizen_token)",
    description=(
        "403 with a wrong citizen_token, 409 `already_claimed` when another account holds "
        'the case; `"already": true` when it was in this account.'
    ),
)
def claim_case(request: HttpRequest, payload: ClaimIn) -> dict[str, Any]:
    case = get_case(payload.ticket_id)
    linked = do_claim_case(case, me(request), payload.citizen_token.strip())
    return {**case_dict(get_case(case.ticket_id)), "already": not linked}


@router.delete("/me/token", response={204: None, **ERRORS}, summary="Sign out (this token)")
def sign_out(request: HttpRequest) -> Status:
    do_sign_out(token(request))
    return Status(204, None)


@router.delete(
    "/me/tokens", response={204: None, **ERRORS}, summary="Sign out everywhere (every token)"
)
def sign_out_everywhere(request: HttpRequest) -> Status:
    do_sign_out(token(request), everywhere=True)
    return Status(204, None)


@router.get(
    "/me/export",
    response={200: dict[str, Any], **ERRORS},
    summary="Everything Pracha holds about me (JSON)",
)
def export(request: HttpRequest) -> dict[str, Any]:
    return export_citizen_data(me(request))


@router.delete(
    "/me",
    response={200: DeletedOut, **ERRORS},
    summary="Delete my account",
    description=(
        "Deletes the account, its ways in, tokens, settings and consents, and erases the "
        "reporter's contact on its reports; the reports stay, anonymous, for statistics. "
        "Irreversible: the token stops working (401)."
    ),
)
def delete_me(request: HttpRequest) -> dict[str, Any]:
    deletion = delete_citizen(me(request))
    return {"deleted": True, "cases_kept_anonymous": deletion.cases_kept}


@router.get("/me/consents", response={200: list[ConsentOut], **ERRORS}, summary="My consents")
def consents(request: HttpRequest) -> list[dict[str, Any]]:
    return [consent_dict(c) for c in me(request).consents.select_related("agency")]


@router.post(
    "/me/consents",
    response={201: ConsentOut, **ERRORS},
    summary="Let an agency use some of my data for a purpose",
)
def give_consent(request: HttpRequest, payload: ConsentIn) -> Status:
    consent = do_give_consent(me(request), payload.agency, payload.data, payload.purpose)
    return Status(201, consent_dict(consent))


@router.post(
    "/me/consents/{consent_id}/revoke",
    response={200: ConsentOut, 404: ErrorOut, **ERRORS},
    summary="Revoke a consent (it stays listed, with when it was revoked)",
)
def revoke_consent(request: HttpRequest, consent_id: int) -> dict[str, Any]:
    return consent_dict(do_revoke_consent(me(request), consent_id))
