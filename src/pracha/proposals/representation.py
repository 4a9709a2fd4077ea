"""A proposal as the public sees it, in one shape for the API and the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.proposals.models import Answer, Proposal, ProposalEvent, Result
from pracha.proposals.services.results import proposal_progress

HIDDEN_NOTE = "hidden while a moderator looks at reports"


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def agency_dict(agency: Agency | None) -> dict[str, str] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name_th": agency.name_th, "name_en": agency.name_en}


def published_answer(proposal: Proposal) -> Answer | None:
    return (
        proposal.answers.filter(published_at__isnull=False)
        .select_related("agency")
        .order_by("-published_at", "-pk")
        .first()
    )


def answer_dict(answer: Answer | None, proposal: Proposal) -> dict[str, Any] | None:
    if answer is None:
        return None
    due = proposal.answer_due_at
    return {
        "decision": answer.decision,
        "reason": answer.reason or None,
        "body": answer.body,
        "agency": agency_dict(answer.agency),
        "published_at": iso(answer.published_at),
        "on_time": bool(due and answer.published_at and answer.published_at <= due),
    }


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "id": result.pk,
        "title": result.title,
        "progress": result.progress,
        "starts_on": result.starts_on.isoformat() if result.starts_on else None,
        "ends_on": result.ends_on.isoformat() if result.ends_on else None,
        "updated_at": iso(result.updated_at),
        "milestones": [
            {"title": m.title, "on": m.on.isoformat(), "progress": m.progress}
            for m in result.milestones.all()
        ],
        # The live state of the work orders behind the promise.
        "cases": [
            {"ticket_id": case.ticket_id, "state": case.state, "url": f"/t/{case.ticket_id}/"}
            for case in result.cases.order_by("pk")
        ],
    }


def event_dict(event: ProposalEvent) -> dict[str, Any]:
    data = {k: v for k, v in event.data.items() if k in {"into", "from", "decision", "progress"}}
    return {
        "kind": event.kind,
        "at": iso(event.at),
        "note": event.note or None,
        "agency": agency_dict(event.agency),
        "to_agency": agency_dict(event.to_agency),
        **data,
    }


def proposal_summary(proposal: Proposal, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    hidden = proposal.is_hidden
    return {
        "ref": proposal.ref,
        "title": None if hidden else proposal.title,
        "state": proposal.state,
        "hidden": hidden,
        "supports": proposal.supports,
        "threshold": proposal.threshold,
        "category": proposal.category or None,
        "district": proposal.district or None,
        "created_at": iso(proposal.created_at),
        "closes_at": iso(proposal.closes_at),
        "answer_due_at": iso(proposal.answer_due_at),
        "overdue": proposal.is_overdue(now),
        "agency": agency_dict(proposal.agency),
        "url": f"/proposals/{proposal.ref}/",
    }


def proposal_detail(proposal: Proposal, now: datetime | None = None) -> dict[str, Any]:
    detail = proposal_summary(proposal, now)
    hidden = proposal.is_hidden
    results = proposal.results.prefetch_related("milestones", "cases")
    detail.update(
        {
            "body": None if hidden else proposal.body,
            "hidden_note": HIDDEN_NOTE if hidden else None,
            "pin": (
                {"lat": proposal.lat, "lon": proposal.lon}
                if proposal.lat is not None and not hidden
                else None
            ),
            "photo": proposal.photo.url if proposal.photo and not hidden else None,
            "duplicate_of": proposal.duplicate_of.ref if proposal.duplicate_of else None,
            "answer": answer_dict(published_answer(proposal), proposal),
            "results": [result_dict(r) for r in results],
            "progress": proposal_progress(proposal),
            "timeline": [event_dict(e) for e in public_events(proposal)],
        }
    )
    return detail


def public_events(proposal: Proposal) -> QuerySet[ProposalEvent]:
    return proposal.events.filter(is_public=True).select_related("agency", "to_agency")
