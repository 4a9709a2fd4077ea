"""The daily work: expiring proposals whose window closed below the threshold, escalating
answers past their due date to the agency's supervisors. Plain functions of `now`, so a
task queue or `pracha proposals tick` calls them alike."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from pracha.proposals.models import Proposal, ProposalEvent, State
from pracha.proposals.services.events import do_record
from pracha.proposals.services.supports import locked

ESCALATE_EVERY = timedelta(days=1)


def do_expire_proposals(now: datetime) -> list[str]:
    """Refs of the proposals that expired now."""
    expired = []
    for proposal in Proposal.objects.filter(state=State.PUBLISHED, closes_at__lte=now):
        with transaction.atomic():
            proposal = locked(proposal)
            if proposal.state != State.PUBLISHED or proposal.closes_at > now:
                continue  # a support crossed the threshold meanwhile
            proposal.state = State.EXPIRED
            proposal.save(update_fields=["state"])
            do_record(
                proposal,
                ProposalEvent.Kind.EXPIRED,
                data={"supports": proposal.supports, "threshold": proposal.threshold},
                audit_action="proposal.expired",
            )
            expired.append(proposal.ref)
    return expired


def overdue(now: datetime) -> Q:
    return Q(state=State.THRESHOLD_REACHED, answer_due_at__lt=now)


def do_escalate_overdue(now: datetime) -> list[str]:
    """Escalate each overdue answer, at most once a day per proposal; refs escalated."""
    due = Q(escalated_at__isnull=True) | Q(escalated_at__lte=now - ESCALATE_EVERY)
    escalated = []
    for proposal in Proposal.objects.filter(overdue(now) & due, agency__isnull=False):
        with transaction.atomic():
            proposal = locked(proposal)
            if not proposal.is_overdue(now):
                continue
            proposal.escalated_at = now
            proposal.save(update_fields=["escalated_at"])
            assert proposal.answer_due_at is not None  # overdue() says so
            days = (now - proposal.answer_due_at).days
            do_record(
                proposal,
                ProposalEvent.Kind.ESCALATED,
                to_agency=proposal.agency,
                data={"days_overdue": days},
                audit_action="proposal.escalated",
            )
            escalated.append(proposal.ref)
    return escalated
