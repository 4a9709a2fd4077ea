"""Consultations as the API shows them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pracha.consultations.models import Consultation, Phase
from pracha.consultations.services.closing import changes_due
from pracha.consultations.services.results import changes_overdue, results


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def agency_dict(consultation: Consultation) -> dict[str, str]:
    agency = consultation.agency
    return {"code": agency.code, "name_th": agency.name_th, "name_en": agency.name_en}


def summary_dict(consultation: Consultation) -> dict[str, Any]:
    now = timezone.now()
    return {
        "ref": consultation.ref,
        "title_th": consultation.title_th,
        "title_en": consultation.title_en,
        "summary_th": consultation.summary_th,
        "summary_en": consultation.summary_en,
        "agency": agency_dict(consultation),
        "state": consultation.phase(now),
        "opens_at": _iso(consultation.opens_at),
        "closes_at": _iso(consultation.closes_at),
        "changes_due_at": _iso(changes_due(consultation)),
        "changes_published": consultation.changes_published_at is not None,
        "changes_overdue": changes_overdue(consultation, now),
    }


def question_dict(question: Any) -> dict[str, Any]:
    return {
        "id": question.pk,
        "order": question.order,
        "kind": question.kind,
        "text_th": question.text_th,
        "text_en": question.text_en,
        "options": question.options,
        "required": question.required,
    }


def detail_dict(consultation: Consultation) -> dict[str, Any]:
    closed = consultation.phase() == Phase.CLOSED
    changes = None
    if consultation.changes_published_at is not None:
        changes = {
            "th": consultation.changes_th,
            "en": consultation.changes_en,
            "published_at": _iso(consultation.changes_published_at),
        }
    return {
        **summary_dict(consultation),
        "draft_th": consultation.draft_th,
        "draft_en": consultation.draft_en,
        "published_at": _iso(consultation.published_at),
        "questions": [question_dict(q) for q in consultation.questions.all()],
        "results": results(consultation) if closed else None,
        "results_csv": f"/api/v1/consultations/{consultation.ref}/results.csv" if closed else None,
        "changes": changes,
    }
