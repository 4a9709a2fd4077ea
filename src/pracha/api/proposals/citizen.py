"""Citizens' actions on proposals: support, follow, withdraw, report abuse (filing is
beside the list in pracha.api.proposals.public: one path, one router)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from pracha.api.citizens.auth import CitizenAuth
from pracha.api.proposals.schemas import ERRORS, ReportIn, SupportIn
from pracha.citizens.models import Citizen
from pracha.proposals.representation import proposal_detail
from pracha.proposals.services.moderation import do_report_abuse, do_withdraw
from pracha.proposals.services.supports import do_follow, do_support, do_unfollow, get_proposal

router = Router(auth=CitizenAuth())


def citizen_of(request: HttpRequest) -> Citizen:
    citizen: Citizen = request.auth  # type: ignore[attr-defined]
    return citizen


@router.post(
    "/proposals/{ref}/support",
    response={201: dict[str, Any], **ERRORS},
    summary="Support a proposal (once per person; the author may too)",
)
def support(request: HttpRequest, ref: str, payload: SupportIn | None = None) -> Status:
    follow = payload.follow if payload is not None else True
    proposal = do_support(citizen_of(request), get_proposal(ref), follow=follow)
    counts = {"supports": proposal.supports, "threshold": proposal.threshold}
    return Status(201, {"ref": proposal.ref, "state": proposal.state, **counts})


@router.post("/proposals/{ref}/follow", response={200: dict[str, Any], **ERRORS})
def follow(request: HttpRequest, ref: str) -> dict[str, Any]:
    do_follow(citizen_of(request), get_proposal(ref))
    return {"ref": ref, "following": True}


@router.delete("/proposals/{ref}/follow", response={200: dict[str, Any], **ERRORS})
def unfollow(request: HttpRequest, ref: str) -> dict[str, Any]:
    do_unfollow(citizen_of(request), get_proposal(ref))
    return {"ref": ref, "following": False}


@router.post(
    "/proposals/{ref}/withdraw",
    response={200: dict[str, Any], **ERRORS},
    summary="The author withdraws their proposal",
)
def withdraw(request: HttpRequest, ref: str) -> dict[str, Any]:
    return proposal_detail(do_withdraw(citizen_of(request), get_proposal(ref)))


@router.post(
    "/proposals/{ref}/report",
    response={201: dict[str, Any], **ERRORS},
    summary="Report abuse (three reports hide it until a moderator decides)",
)
def report(request: HttpRequest, ref: str, payload: ReportIn) -> Status:
    proposal = get_proposal(ref)
    do_report_abuse(citizen_of(request), proposal, payload.reason)
    proposal.refresh_from_db()
    return Status(201, {"ref": proposal.ref, "hidden": proposal.is_hidden})
