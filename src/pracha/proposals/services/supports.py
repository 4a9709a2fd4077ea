"""Supports, follows, and what reaching the threshold sets off (deadline, routing, news).

One person, one support, counted exactly: the proposal's row is locked for the transaction
(so supports of one proposal are added one at a time, and the threshold is crossed once),
the unique constraint refuses a second support from the same person, and the counter is a
recount of the rows in that same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.agencies.routing import BANGKOK, choose, rules_from_database
from pracha.agencies.services import get_or_create_agency
from pracha.cases.errors import Conflict, IllegalTransition, NotFound
from pracha.citizens.models import Citizen
from pracha.proposals.models import Follow, Proposal, ProposalEvent, State, Support
from pracha.proposals.services.events import do_record


def get_proposal(ref: str) -> Proposal:
    proposal = Proposal.objects.select_related("agency").filter(ref=ref.strip().upper()).first()
    if proposal is None:
        raise NotFound(f"no proposal {ref[:30]!r}")
    return proposal


def locked(proposal: Proposal) -> Proposal:
    """The proposal re-read with its row locked until the transaction ends."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=proposal.pk)
    )


def recount(proposal: Proposal) -> int:
    proposal.supports = Support.objects.filter(proposal=proposal).count()
    proposal.save(update_fields=["supports"])
    return proposal.supports


def check_can_support(proposal: Proposal, now: datetime) -> None:
    if proposal.is_hidden:
        raise IllegalTransition("this proposal is hidden while a moderator looks at reports")
    if proposal.state not in (State.PUBLISHED, State.THRESHOLD_REACHED):
        raise IllegalTransition(f"a proposal that is {proposal.state} takes no more supports")
    if proposal.state == State.PUBLISHED and now >= proposal.closes_at:
        raise IllegalTransition("the window for supports has closed")


def do_support(
    citizen: Citizen, proposal: Proposal, *, follow: bool = True, now: datetime | None = None
) -> Proposal:
    """Add the citizen's support (Conflict when they already support it)."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = locked(proposal)
        check_can_support(proposal, now)
        try:
            with transaction.atomic():
                Support.objects.create(proposal=proposal, citizen=citizen, created_at=now)
        except IntegrityError as exc:
            raise Conflict("you already support this proposal") from exc
        if follow:
            Follow.objects.get_or_create(proposal=proposal, citizen=citizen)
        recount(proposal)
        check_threshold(proposal, now)
    return proposal


def check_threshold(proposal: Proposal, now: datetime) -> None:
    """Within the window and at the threshold: move on (the row is locked by the caller)."""
    if (
        proposal.state == State.PUBLISHED
        and proposal.supports >= proposal.threshold
        and now < proposal.closes_at
    ):
        do_reach_threshold(proposal, now)


def do_reach_threshold(proposal: Proposal, now: datetime) -> None:
    proposal.state = State.THRESHOLD_REACHED
    proposal.threshold_reached_at = now
    proposal.answer_due_at = now + timedelta(days=settings.PRACHA.proposal_answer_days)
    proposal.agency = routed_agency(proposal)
    proposal.save(update_fields=["state", "threshold_reached_at", "answer_due_at", "agency"])
    do_record(
        proposal,
        ProposalEvent.Kind.THRESHOLD_REACHED,
        to_agency=proposal.agency,
        data={"supports": proposal.supports, "answer_due_at": proposal.answer_due_at.isoformat()},
        audit_action="proposal.threshold_reached",
    )


def routed_agency(proposal: Proposal) -> Agency | None:
    """The agency the routing rules choose for the proposal's category and district; the
    default agency when no rule matches; None when there is none (a supervisor routes it)."""
    categories = [proposal.category] if proposal.category else []
    decision = choose(rules_from_database(), categories, proposal.district, BANGKOK)
    if decision.rule is not None:
        if decision.by_district_office:
            return get_or_create_agency(decision.agency_name)
        agency = Agency.objects.filter(code=decision.agency_code, is_active=True).first()
        if agency is not None:
            return agency
    return Agency.objects.filter(code=settings.PRACHA.default_agency_code, is_active=True).first()


def do_follow(citizen: Citizen, proposal: Proposal) -> bool:
    """Follow (True when new)."""
    _follow, created = Follow.objects.get_or_create(proposal=proposal, citizen=citizen)
    return created


def do_unfollow(citizen: Citizen, proposal: Proposal) -> bool:
    deleted, _ = Follow.objects.filter(proposal=proposal, citizen=citizen).delete()
    return bool(deleted)
