"""Triage as the API shows it: with each case, and the duplicates shown to a reporter."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from pracha.cases.models import Case
from pracha.triage.models import CaseTriage, DuplicateLink


def case_url(ticket_id: str) -> str:
    try:
        return reverse("api-v1:get_case", kwargs={"ticket_id": ticket_id})
    except Exception:  # URLs not loaded (a command); the path is stable anyway
        return f"/api/v1/cases/{ticket_id}"


def triage_dict(case: Case) -> dict[str, Any] | None:
    """The case's triage (None for cases filed before triage, or imported)."""
    try:
        triage: CaseTriage = case.triage  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None
    return {
        "categories": list(triage.categories),
        "category_source": triage.category_source,
        "suggested": list(triage.suggested),
        "scores": dict(triage.scores),
        "needs_review": triage.needs_review,
        "model_version": triage.model_version,
        "routed_by": triage.routed_by,
        "district": triage.district,
        "subdistrict": triage.subdistrict,
        "province": triage.province,
        "near_boundary": triage.near_boundary,
        "corrected": triage.corrected_at is not None,
    }


def duplicate_dicts(case: Case) -> list[dict[str, Any]]:
    """Earlier cases that may be the same problem ("is it one of these? say me too")."""
    links = DuplicateLink.objects.filter(case=case).select_related("candidate")
    return [
        {
            "ticket_id": link.candidate.ticket_id,
            "distance_m": link.distance_m,
            "similarity": link.similarity,
            "state": link.candidate.state,
            "url": case_url(link.candidate.ticket_id),
            "same_category": link.same_category,
        }
        for link in links
    ]
