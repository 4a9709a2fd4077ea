"""A citizen's proposals data in their export, and what their account's deletion removes.

Deleting an account keeps the public record (the proposal's masked text stays, without an
author) and keeps supports counted, without the person; follows and the link to them go.
"""

from __future__ import annotations

from typing import Any

from pracha.citizens.models import Citizen
from pracha.proposals.models import AbuseReport, Follow, Proposal, Support


def citizen_data(sender: Any, citizen: Citizen, **_: Any) -> dict[str, Any] | None:
    """What proposals hold about the citizen; None when nothing (the export stays short)."""
    held = {
        "proposals": [
            {
                "ref": p.ref,
                "title": p.title,
                "body": p.body,
                "state": p.state,
                "created_at": p.created_at.isoformat(),
            }
            for p in Proposal.objects.filter(author=citizen).order_by("pk")
        ],
        "supports": [
            {"ref": s.proposal.ref, "at": s.created_at.isoformat()}
            for s in Support.objects.filter(citizen=citizen).select_related("proposal")
        ],
        "follows": [
            f.proposal.ref
            for f in Follow.objects.filter(citizen=citizen).select_related("proposal")
        ],
        "reports": [
            {"ref": r.proposal.ref, "reason": r.reason, "at": r.created_at.isoformat()}
            for r in AbuseReport.objects.filter(citizen=citizen).select_related("proposal")
        ],
    }
    return held if any(held.values()) else None


def forget_citizen(sender: Any, citizen: Citizen, **_: Any) -> None:
    Follow.objects.filter(citizen=citizen).delete()
    Support.objects.filter(citizen=citizen).update(citizen=None)
    AbuseReport.objects.filter(citizen=citizen).update(citizen=None)
    Proposal.objects.filter(author=citizen).update(author=None)
