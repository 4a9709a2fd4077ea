"""Proposals' indicators: by state, answers on time and how fast per agency, share accepted,
results' progress. One function, shown on the API and the pages alike."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median
from typing import Any

from django.db.models import Avg, Count
from django.utils import timezone

from pracha.proposals.models import Decision, Proposal, Result, State
from pracha.proposals.representation import agency_dict

ACCEPTING = {Decision.ACCEPTED, Decision.PARTIALLY_ACCEPTED}
ANSWERED_STATES = {
    State.ACCEPTED,
    State.PARTIALLY_ACCEPTED,
    State.REJECTED,
    State.IN_PROGRESS,
    State.IMPLEMENTED,
}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def proposal_indicators(now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    by_state = {state: 0 for state in State.values}
    counts = Proposal.objects.values_list("state").annotate(n=Count("pk"))
    by_state.update({state: n for state, n in counts})
    answered = (
        Proposal.objects.filter(answered_at__isnull=False, threshold_reached_at__isnull=False)
        .select_related("agency")
        .prefetch_related("answers")
    )
    per_agency: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"answered": 0, "on_time": 0, "accepted": 0, "days": []}
    )
    agencies = {}
    accepted_all = answered_all = 0
    for proposal in answered:
        if proposal.agency is None:
            continue
        agencies[proposal.agency_id] = proposal.agency
        tally = per_agency[proposal.agency.pk]
        tally["answered"] += 1
        assert proposal.answered_at is not None and proposal.threshold_reached_at is not None
        if proposal.answer_due_at and proposal.answered_at <= proposal.answer_due_at:
            tally["on_time"] += 1
        tally["days"].append((proposal.answered_at - proposal.threshold_reached_at).days)
        decision = next(
            (a.decision for a in proposal.answers.all() if a.published_at is not None), ""
        )
        answered_all += 1
        if decision in ACCEPTING:
            tally["accepted"] += 1
            accepted_all += 1
    overdue = Proposal.objects.filter(state=State.THRESHOLD_REACHED, answer_due_at__lt=now)
    overdue_by_agency = dict(
        overdue.values_list("agency_id").annotate(n=Count("pk")).values_list("agency_id", "n")
    )
    agency_rows = [
        {
            "agency": agency_dict(agencies[pk]),
            "answered": row["answered"],
            "answered_on_time_share": share(row["on_time"], row["answered"]),
            "median_days_to_answer": median(row["days"]) if row["days"] else None,
            "accepted_share": share(row["accepted"], row["answered"]),
            "overdue": overdue_by_agency.get(pk, 0),
        }
        for pk, row in sorted(per_agency.items(), key=lambda item: agencies[item[0]].name_th)
    ]
    progress = Result.objects.aggregate(mean=Avg("progress"), n=Count("pk"))
    return {
        "by_state": by_state,
        "total": sum(by_state.values()),
        "answered": answered_all,
        "accepted_share": share(accepted_all, answered_all),
        "overdue": overdue.count(),
        "per_agency": agency_rows,
        "results": {
            "count": progress["n"],
            "mean_progress": round(progress["mean"]) if progress["mean"] is not None else None,
            "implemented": by_state[State.IMPLEMENTED],
        },
    }
