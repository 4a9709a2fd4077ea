"""Life events and journeys as the API shows them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pracha.agencies.models import Agency
from pracha.lifeevents.models import Journey, JourneyStep, LifeEvent
from pracha.lifeevents.services.journeys import is_overdue, steps_of


def agency_dict(agency: Agency) -> dict[str, str]:
    return {"code": agency.code, "name_th": agency.name_th, "name_en": agency.name_en}


def guide_step_dict(step: dict[str, Any], agencies: dict[str, Agency]) -> dict[str, Any]:
    agency = agencies.get(step["agency"])
    return {
        "code": step["code"],
        "name_th": step["name_th"],
        "name_en": step["name_en"],
        "kind": step["kind"],
        "agency": agency_dict(agency)
        if agency
        else {"code": step["agency"], "name_th": "", "name_en": ""},
        "gives_th": step["gives_th"],
        "gives_en": step["gives_en"],
        "due_days": step["due_days"],
        "due_months": step["due_months"],
        "prerequisites": step["prerequisites"],
        "documents": step["documents"],
        "mandatory": step["mandatory"],
        "eligibility": step["eligibility"],
        "uses": step["uses"],
        "produces": step["produces"],
        "sources": step["sources"],
        "unverified": step["unverified"],
    }


def life_event_dict(event: LifeEvent) -> dict[str, Any]:
    codes = {s["agency"] for s in event.steps}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    return {
        "code": event.code,
        "version": event.version,
        "name_th": event.name_th,
        "name_en": event.name_en,
        "summary_th": event.definition["summary_th"],
        "summary_en": event.definition["summary_en"],
        "steps": [guide_step_dict(s, agencies) for s in event.steps],
        "sources": event.definition["sources"],
    }


def journey_step_dict(step: JourneyStep, today: date) -> dict[str, Any]:
    return {
        "code": step.code,
        "state": step.state,
        "reason": step.reason,
        "due_at": step.due_at.isoformat() if step.due_at else None,
        "overdue": is_overdue(step, today),
        "agency": agency_dict(step.agency),
        "ticket_id": step.case.ticket_id if step.case else None,
    }


def journey_dict(journey: Journey, today: date) -> dict[str, Any]:
    return {
        "id": journey.pk,
        "life_event": journey.life_event.code,
        "version": journey.life_event.version,
        "anchor_date": journey.anchor_date.isoformat(),
        "completed_at": journey.completed_at.isoformat() if journey.completed_at else None,
        "steps": [journey_step_dict(s, today) for s in steps_of(journey)],
    }
