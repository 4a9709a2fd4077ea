"""A citizen's responses in their data export, and what their account's deletion does to them.

Deleting an account deletes its responses to consultations still open (they no longer count).
A closed consultation's results are already public: its response stays, unlinked from the
person (citizen emptied), with its free-text answers deleted, so the published counts do not move
and nothing written by the person remains.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pracha.citizens.models import Citizen
from pracha.consultations.models import Answer, Phase, Question, Response
from pracha.consultations.services.respond import answer_value


def export_responses(sender: Any, citizen: Citizen, **_: Any) -> dict[str, Any] | None:
    responses = (
        Response.objects.filter(citizen=citizen)
        .select_related("consultation")
        .prefetch_related("answers__question")
        .order_by("created_at", "pk")
    )
    items = [
        {
            "consultation": r.consultation.ref,
            "title_th": r.consultation.title_th,
            "created_at": r.created_at.isoformat(),
            "updated_at": r.updated_at.isoformat(),
            "notify": r.notify,
            "answers": [
                {"question": a.question.text_th, "kind": a.question.kind, "value": answer_value(a)}
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]
    return {"responses": items} if items else None


def my_consultations(sender: Any, citizen: Citizen, **_: Any) -> dict[str, Any] | None:
    """The consultations the citizen answered, for "My Pracha" (newest answer first)."""
    now = timezone.now()
    rows = [
        {
            "ref": r.consultation.ref,
            "title": r.consultation.title_th,
            "title_en": r.consultation.title_en,
            "state": r.consultation.phase(now),
            "url": f"/consultations/{r.consultation.ref}/",
            "answered_at": r.updated_at.isoformat(),
        }
        for r in Response.objects.filter(citizen=citizen)
        .select_related("consultation")
        .order_by("-updated_at", "-pk")
    ]
    return {"consultations": rows} if rows else None


def erase_responses(sender: Any, citizen: Citizen, **_: Any) -> None:
    now = timezone.now()
    mine = list(Response.objects.filter(citizen=citizen).select_related("consultation"))
    still_open = [r.pk for r in mine if r.consultation.phase(now) != Phase.CLOSED]
    closed = [r.pk for r in mine if r.pk not in still_open]
    Response.objects.filter(pk__in=still_open).delete()
    Answer.objects.filter(response_id__in=closed, question__kind=Question.Kind.FREE_TEXT).delete()
    Response.objects.filter(pk__in=closed).update(citizen=None, notify=False)
