"""How the journeys go, in figures anyone may read (counts and medians, no person):
journeys started and completed, the median days from the event to every mandatory step
done, the steps done through Pracha (online), and each agency's time per step."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from django.utils import timezone

from pracha.lifeevents.models import Journey, JourneyStep, StepState


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def journey_indicators() -> dict[str, Any]:
    events: dict[str, dict[str, Any]] = {}
    for journey in Journey.objects.select_related("life_event").order_by("pk"):
        row = events.setdefault(journey.life_event.code, {"started": 0, "completed": 0, "days": []})
        row["started"] += 1
        if journey.completed_at is not None:
            row["completed"] += 1
            finished = timezone.localdate(journey.completed_at)
            row["days"].append(max(0, (finished - journey.anchor_date).days))
    done = JourneyStep.objects.filter(state=StepState.DONE)
    per_step: dict[tuple[str, str], list[float]] = defaultdict(list)
    requests = done.filter(submitted_at__isnull=False, done_at__isnull=False, case__isnull=False)
    for agency, code, submitted, done_at in requests.values_list(
        "agency__code", "code", "submitted_at", "done_at"
    ):
        if submitted is not None and done_at is not None:
            per_step[(agency, code)].append((done_at - submitted).total_seconds() / 86400)
    return {
        "life_events": [
            {
                "code": code,
                "started": row["started"],
                "completed": row["completed"],
                "median_days_to_complete": _median(row["days"]),
            }
            for code, row in sorted(events.items())
        ],
        "steps_done": done.count(),
        "steps_done_online": done.filter(online=True).count(),
        "agency_steps": [
            {"agency": agency, "step": code, "requests": len(days), "median_days": _median(days)}
            for (agency, code), days in sorted(per_step.items())
        ],
    }
