"""A signed-in citizen answers: 201 the first time, 200 when the answers change."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from pracha.api.citizens.auth import CitizenAuth
from pracha.api.consultations.public import visible
from pracha.api.consultations.routes import ERRORS, router
from pracha.consultations.services.respond import InvalidAnswers, do_respond


class AnswerIn(Schema):
    question: int
    value: int | list[int] | str | None = Field(
        None, description="option position (0-based), positions, 1-5, or text, by question kind"
    )


class ResponseIn(Schema):
    answers: list[AnswerIn]
    notify: bool = Field(False, description="E-mail me the results and what the agency changed")


@router.post(
    "/consultations/{ref}/response",
    response={200: dict, 201: dict, **ERRORS},
    auth=CitizenAuth(),
    summary="Answer a consultation, or change the answer until it closes",
)
def respond(request: HttpRequest, ref: str, payload: ResponseIn) -> Any:
    consultation = visible(request, ref)
    answers = [a.model_dump() for a in payload.answers]
    try:
        response, created = do_respond(request.auth, consultation, answers, payload.notify)  # type: ignore[attr-defined]
    except InvalidAnswers as exc:
        body = {"detail": exc.message, "code": exc.code, "field": exc.field, "reasons": exc.reasons}
        return Status(400, body)
    status = 201 if created else 200
    return Status(
        status,
        {
            "consultation": consultation.ref,
            "created": created,
            "updated_at": response.updated_at.isoformat(),
            "notify": response.notify,
        },
    )
