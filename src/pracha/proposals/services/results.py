"""Accountability: the agency reports results (progress, milestones, the cases doing the
work), moving an accepted proposal to in_progress, and to implemented when all reach 100."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.cases.errors import IllegalTransition, InvalidInput, NotFound
from pracha.cases.models import Case
from pracha.proposals.models import (
    ACCEPTING_STATES,
    Milestone,
    Proposal,
    ProposalEvent,
    Result,
    State,
)
from pracha.proposals.services.answers import check_officer_of
from pracha.proposals.services.events import do_record
from pracha.proposals.services.supports import locked

MAX_CASES = 100
MAX_MILESTONES = 50


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    on: date
    progress: int | None = None


@dataclass(frozen=True)
class ResultInput:
    title: str
    progress: int
    cases: list[str] = field(default_factory=list)
    milestones: list[MilestoneInput] = field(default_factory=list)
    starts_on: date | None = None
    ends_on: date | None = None
    result_id: int | None = None  # update this result rather than add one


def check_progress(value: int | None, name: str = "progress") -> None:
    if value is None or isinstance(value, bool) or not 0 <= value <= 100:
        raise InvalidInput(f"{name} must be a whole number from 0 to 100", field=name)


def check_result(given: ResultInput) -> list[Case]:
    title = (given.title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput("the result needs a title of at most 200 characters", field="title")
    check_progress(given.progress)
    if given.starts_on and given.ends_on and given.ends_on < given.starts_on:
        raise InvalidInput("the result cannot end before it starts", field="ends_on")
    if len(given.cases) > MAX_CASES:
        raise InvalidInput(f"at most {MAX_CASES} cases per result", field="cases")
    if len(given.milestones) > MAX_MILESTONES:
        raise InvalidInput(f"at most {MAX_MILESTONES} milestones per result", field="milestones")
    for milestone in given.milestones:
        if not milestone.title.strip() or len(milestone.title) > 200:
            raise InvalidInput("each milestone needs a title", field="milestones")
        if milestone.progress is not None:
            check_progress(milestone.progress, "milestones")
    wanted = [str(t).strip() for t in given.cases if str(t).strip()]
    cases = list(Case.objects.filter(ticket_id__in=wanted))
    unknown = sorted(set(wanted) - {c.ticket_id for c in cases})
    if unknown:
        raise InvalidInput(f"no such cases: {', '.join(unknown[:10])}", field="cases")
    return cases


def proposal_progress(proposal: Proposal) -> int | None:
    """The mean progress of its results (None without results)."""
    values = list(proposal.results.values_list("progress", flat=True))
    return round(sum(values) / len(values)) if values else None


def do_report_result(officer: Officer, proposal: Proposal, given: ResultInput) -> Result:
    cases = check_result(given)
    now = timezone.now()
    with transaction.atomic():
        proposal = locked(proposal)
        check_officer_of(proposal, officer)
        if proposal.state not in ACCEPTING_STATES:
            raise IllegalTransition(
                f"results follow an accepting answer; this proposal is {proposal.state}"
            )
        if given.result_id is not None:
            result = proposal.results.filter(pk=given.result_id).first()
            if result is None:
                raise NotFound(f"this proposal has no result {given.result_id}")
        else:
            result = Result(proposal=proposal, created_at=now)
        result.title = given.title.strip()
        result.progress = given.progress
        result.starts_on = given.starts_on or result.starts_on
        result.ends_on = given.ends_on or result.ends_on
        result.updated_at = now
        result.save()
        if cases:
            result.cases.add(*cases)
        Milestone.objects.bulk_create(
            Milestone(result=result, title=m.title.strip(), on=m.on, progress=m.progress)
            for m in given.milestones
        )
        done = all(p == 100 for p in proposal.results.values_list("progress", flat=True))
        proposal.state = State.IMPLEMENTED if done else State.IN_PROGRESS
        proposal.save(update_fields=["state"])
        do_record(
            proposal,
            ProposalEvent.Kind.RESULT,
            actor=officer,
            agency=officer.agency,
            note=result.title,
            data={"result": result.pk, "progress": result.progress},
            audit_action="proposal.result",
        )
        if done:
            do_record(proposal, ProposalEvent.Kind.IMPLEMENTED, agency=officer.agency)
    return result
