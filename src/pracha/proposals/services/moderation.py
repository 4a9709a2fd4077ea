"""The author withdraws; officers merge duplicates; citizens report abuse and moderators
decide. Every step is on the proposal's public record and in the audit log."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.cases.errors import Conflict, IllegalTransition, InvalidInput, NotAllowed
from pracha.citizens.models import Citizen
from pracha.masking.personal_data import mask_personal_data
from pracha.proposals.models import (
    OPEN_STATES,
    AbuseReport,
    Follow,
    Proposal,
    ProposalEvent,
    State,
    Support,
)
from pracha.proposals.services.events import do_record
from pracha.proposals.services.supports import check_threshold, locked, recount

REPORTS_TO_HIDE = 3
MAX_REASON = 300


def do_withdraw(citizen: Citizen, proposal: Proposal) -> Proposal:
    with transaction.atomic():
        proposal = locked(proposal)
        if proposal.author_id != citizen.pk:
            raise NotAllowed("only the author may withdraw a proposal")
        if proposal.state not in OPEN_STATES:
            raise IllegalTransition(f"a proposal that is {proposal.state} cannot be withdrawn")
        proposal.state = State.WITHDRAWN
        proposal.save(update_fields=["state"])
        do_record(proposal, ProposalEvent.Kind.WITHDRAWN, audit_action="proposal.withdrawn")
    return proposal


def check_may_merge(officer: Officer, duplicate: Proposal) -> None:
    if officer.role == Officer.Role.SUPERVISOR or duplicate.agency_id == officer.agency_id:
        return
    raise NotAllowed("a supervisor, or an officer of the agency it is routed to, merges it")


def do_merge(officer: Officer, duplicate: Proposal, into: Proposal, note: str = "") -> Proposal:
    """Merge a duplicate into another proposal. Its supports go along with their people (who
    are told); a person who supports both counts once."""
    if duplicate.pk == into.pk:
        raise InvalidInput("a proposal cannot be merged into itself", field="into")
    with transaction.atomic():
        first, second = sorted((duplicate, into), key=lambda p: p.pk)  # one lock order
        locked_rows = {p.pk: locked(p) for p in (first, second)}
        duplicate, into = locked_rows[duplicate.pk], locked_rows[into.pk]
        check_may_merge(officer, duplicate)
        for proposal in (duplicate, into):
            if proposal.state not in OPEN_STATES:
                raise IllegalTransition(f"{proposal.ref} is {proposal.state}: it cannot merge")
        told = sorted(
            {
                pk
                for pk in Support.objects.filter(proposal=duplicate).values_list(
                    "citizen_id", flat=True
                )
                if pk is not None
            }
            | ({duplicate.author_id} if duplicate.author_id else set())
        )
        already = Support.objects.filter(proposal=into, citizen__isnull=False).values("citizen_id")
        Support.objects.filter(proposal=duplicate, citizen_id__in=already).delete()
        Support.objects.filter(proposal=duplicate).update(proposal=into, moved_from=duplicate)
        following = Follow.objects.filter(proposal=into).values("citizen_id")
        Follow.objects.filter(proposal=duplicate).exclude(citizen_id__in=following).update(
            proposal=into
        )
        duplicate.state = State.MERGED
        duplicate.duplicate_of = into
        duplicate.save(update_fields=["state", "duplicate_of"])
        recount(duplicate)
        recount(into)
        note = mask_personal_data((note or "").strip())
        do_record(
            duplicate,
            ProposalEvent.Kind.MERGED,
            actor=officer,
            note=note,
            data={"into": into.ref, "told": told},
            audit_action="proposal.merged",
        )
        do_record(into, ProposalEvent.Kind.MERGED_IN, actor=officer, data={"from": duplicate.ref})
        check_threshold(into, timezone.now())
    return into


def open_reports(proposal: Proposal) -> int:
    reports = AbuseReport.objects.filter(proposal=proposal)
    if proposal.reports_cleared_at is not None:
        reports = reports.filter(created_at__gt=proposal.reports_cleared_at)
    return reports.count()


def do_report_abuse(
    citizen: Citizen, proposal: Proposal, reason: str, now: datetime | None = None
) -> int:
    """Record a report; the third open one hides the proposal. Returns the open reports."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("say what is wrong with it", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"the reason may have at most {MAX_REASON} characters", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        proposal = locked(proposal)
        try:
            with transaction.atomic():
                AbuseReport.objects.create(
                    proposal=proposal,
                    citizen=citizen,
                    reason=mask_personal_data(reason),
                    created_at=now,
                )
        except IntegrityError as exc:
            raise Conflict("you already reported this proposal") from exc
        count = open_reports(proposal)
        if count >= REPORTS_TO_HIDE and proposal.hidden_at is None:
            proposal.hidden_at = now
            proposal.save(update_fields=["hidden_at"])
            do_record(
                proposal,
                ProposalEvent.Kind.HIDDEN,
                data={"reports": count},
                audit_action="proposal.hidden",
            )
    return count


def is_moderator(officer: Officer) -> bool:
    return officer.role == Officer.Role.SUPERVISOR or officer.user.is_staff


KEEP, REMOVE = "keep", "remove"


def do_moderate(officer: Officer, proposal: Proposal, decision: str, note: str) -> Proposal:
    """A moderator decides on a hidden proposal: `keep` shows it again (its reports are
    settled), `remove` keeps it hidden for good."""
    if not is_moderator(officer):
        raise NotAllowed("only a moderator (a supervisor) decides on reported proposals")
    if decision not in (KEEP, REMOVE):
        raise InvalidInput("decision must be keep or remove", field="decision")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("say why, for the public record", field="note")
    now = timezone.now()
    with transaction.atomic():
        proposal = locked(proposal)
        if proposal.hidden_at is None:
            raise IllegalTransition("this proposal is not hidden: there is nothing to decide")
        if proposal.events.filter(kind=ProposalEvent.Kind.REMOVED).exists():
            raise IllegalTransition("a moderator already removed this proposal")
        proposal.reports_cleared_at = now
        if decision == KEEP:
            proposal.hidden_at = None
        proposal.save(update_fields=["reports_cleared_at", "hidden_at"])
        do_record(
            proposal,
            ProposalEvent.Kind.RESTORED if decision == KEEP else ProposalEvent.Kind.REMOVED,
            actor=officer,
            note=mask_personal_data(note),
            audit_action="proposal.moderated",
            data={"decision": decision},
        )
    return proposal


def hidden_waiting() -> list[Proposal]:
    """Hidden proposals no moderator has decided on yet."""
    return list(
        Proposal.objects.filter(hidden_at__isnull=False)
        .exclude(Q(events__kind=ProposalEvent.Kind.REMOVED))
        .order_by("hidden_at")
    )
