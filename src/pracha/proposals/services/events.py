"""Writing a proposal's timeline: the event, the audit entry, and the signals notify hears."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pracha.agencies.models import Agency, Officer
from pracha.audit.log import audit
from pracha.proposals.models import Proposal, ProposalEvent
from pracha.proposals.signals import proposal_event_committed, proposal_event_saved


def do_record(
    proposal: Proposal,
    kind: str,
    *,
    actor: Officer | None = None,
    agency: Agency | None = None,
    to_agency: Agency | None = None,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    audit_action: str = "",
) -> ProposalEvent:
    """Add an event to the timeline (and the audit log when `audit_action` is given).

    Call inside the change's transaction: the outbox rows are written with it, and the
    mail goes out only once it committed.
    """
    event = ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        agency=agency,
        to_agency=to_agency,
        note=note,
        is_public=public,
        data=data or {},
    )
    if audit_action:
        detail: dict[str, Any] = {"event": kind, **(data or {})}
        if note:
            detail["note"] = note
        audit(
            audit_action,
            obj=proposal,
            object_type="proposal",
            object_id=proposal.ref,
            actor=actor,
            detail=detail,
        )
    proposal_event_saved.send(sender=ProposalEvent, event=event)
    transaction.on_commit(
        lambda: proposal_event_committed.send(sender=ProposalEvent, event_id=event.pk)
    )
    return event
