"""Officers' tests (issue 21): the list, sessions one item at a time, results, the live board.

| method and path | who | does |
|---|---|---|
| `GET /assessments` | anyone | `{"items": [{"code", "name_th", "name_en", "mode", ...}]}` |
| `GET /assessments/live` | anyone | the live board: running and finished sessions, anonymous |
| `GET /assessments/{code}` | anyone | one test |
| `POST /assessments/{code}/sessions` | officer | 201 `{"session", "item": {"id", "stem", ...}}` |
| `POST /assessments/sessions/{id}/answers` | the officer | `{"item", "choice"}`: next or result |
| `GET /assessments/sessions/{id}` | the officer; its agency's supervisors once finished | state |
| `POST /assessments/sessions/{id}/finish` | the officer | end now; unanswered items score 0 |
| `GET /assessments/sessions?scope=mine\\|agency` | officer; supervisor for `agency` | results |

`choice` is the 0-based position among the options as shown (they are shuffled per session).
Keys and option scores never leave the server.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field, StrictInt
from pydantic import ValidationError as PydanticError

from pracha.agencies.models import Officer
from pracha.api.auth import ApiKeyAuth, officer_from
from pracha.competency.errors import NotAllowed
from pracha.competency.models import Assessment, Session
from pracha.competency.services import board, scoring
from pracha.competency.services import sessions as tests

router = Router(tags=["assessments"])
KEY = ApiKeyAuth()


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StartIn(Schema):
    model_config = {"extra": "forbid"}
    language: Literal["th", "en"] = Field("th", description="The language of the items")


class AnswerIn(Schema):
    item: StrictInt = Field(..., description="The id of the item being answered")
    choice: StrictInt = Field(..., description="0-based position among the options as shown")


class HistoryParams(Schema):
    scope: Literal["mine", "agency"] = "mine"
    limit: int = Field(50, ge=1, le=500)


def assessment_dict(assessment: Assessment) -> dict[str, Any]:
    subtests = list(assessment.subtests.all())
    return {
        "code": assessment.code,
        "name_th": assessment.name_th,
        "name_en": assessment.name_en,
        "mode": assessment.mode,
        "description_th": assessment.description_th,
        "description_en": assessment.description_en,
        "time_limit_minutes": assessment.time_limit_minutes,
        "items": scoring.assessment_max_items(assessment),
        "points_correct": assessment.points_correct,
        "min_items": assessment.min_items if assessment.adaptive else None,
        "target_se": assessment.target_se if assessment.adaptive else None,
        "passing_theta": assessment.passing_theta if assessment.adaptive else None,
        "subtests": [
            {
                "code": s.code,
                "name_th": s.name_th,
                "name_en": s.name_en,
                "domains": s.domain_list,
                "kind": s.kind,
                "items": s.items,
                "max": None if assessment.adaptive else s.items * assessment.points_correct,
                "passing": s.passing,
            }
            for s in subtests
        ],
    }


def history_dict(session: Session, with_officer: bool = False) -> dict[str, Any]:
    row = {
        "session": str(session.id),
        "assessment": session.assessment.code,
        "mode": session.assessment.mode,
        "started_at": session.started_at.isoformat(),
        "finished_at": session.finished_at.isoformat() if session.finished_at else None,
        "status": "running" if session.is_open else "finished",
        "items_used": session.answered,
        "score": session.score,
        "theta": session.theta,
        "se": session.se,
        "passed": session.passed,
    }
    if with_officer:
        row["officer"] = session.officer.user.get_username()
    return row


@router.get("/assessments", response={200: dict}, summary="The tests officers can take")
def list_assessments(request: HttpRequest) -> dict[str, Any]:
    found = Assessment.objects.filter(is_active=True).prefetch_related("subtests")
    return {"items": [assessment_dict(a) for a in found]}


@router.get("/assessments/live", response={200: dict}, summary="The public live board")
def live(request: HttpRequest) -> dict[str, Any]:
    rows = [row.as_dict() for row in board.live_board()]
    return {"items": rows, "count": len(rows)}


@router.get(
    "/assessments/sessions",
    auth=KEY,
    response={200: dict, **ERRORS},
    summary="Your results, or your agency's (supervisors)",
)
def my_sessions(request: HttpRequest, params: Query[HistoryParams]) -> dict[str, Any]:
    officer = officer_from(request)
    if params.scope == "agency":
        found = board.agency_results(officer)[: params.limit]
        return {"items": [history_dict(s, with_officer=True) for s in found]}
    found = board.history(officer)[: params.limit]
    return {"items": [history_dict(s) for s in found]}


def _visible(session: Session, officer: Officer) -> None:
    """The officer's own session, or a finished one of a supervisor's agency."""
    if session.officer_id == officer.id:
        return
    if (
        officer.role == Officer.Role.SUPERVISOR
        and session.agency_id == officer.agency_id
        and not session.is_open
    ):
        return
    raise NotAllowed("this is another officer's test")


@router.get(
    "/assessments/sessions/{session_id}",
    auth=KEY,
    response={200: dict, **ERRORS},
    summary="A session: the item waiting for an answer, or the result",
)
def session_state(request: HttpRequest, session_id: str) -> dict[str, Any]:
    officer = officer_from(request)
    session = tests.get_session(session_id)
    _visible(session, officer)
    tests.finish_overdue([session])
    return tests.state_dict(tests.get_session(session_id))


@router.post(
    "/assessments/sessions/{session_id}/answers",
    auth=KEY,
    response={200: dict, **ERRORS},
    summary="Answer the waiting item: the next item, or the result",
)
def answer(request: HttpRequest, session_id: str, payload: AnswerIn) -> dict[str, Any]:
    officer = officer_from(request)
    session = tests.get_session(session_id)
    session = tests.do_answer(session, officer, payload.item, payload.choice)
    return tests.state_dict(tests.get_session(session.pk))


@router.post(
    "/assessments/sessions/{session_id}/finish",
    auth=KEY,
    response={200: dict, **ERRORS},
    summary="End the test now (unanswered items score nothing)",
)
def finish(request: HttpRequest, session_id: str) -> dict[str, Any]:
    officer = officer_from(request)
    session = tests.do_finish(tests.get_session(session_id), officer)
    return scoring.result_dict(tests.get_session(session.pk))


@router.get("/assessments/{code}", response={200: dict, 404: ErrorOut}, summary="One test")
def one_assessment(request: HttpRequest, code: str) -> dict[str, Any]:
    return assessment_dict(tests.get_assessment(code))


def start_language(request: HttpRequest) -> str:
    """The body is optional (`{"language": "th"|"en"}`, Thai without one)."""
    if not request.body.strip():
        return "th"
    try:
        data = json.loads(request.body)
    except ValueError as exc:
        raise HttpError(400, "Cannot parse request body") from exc
    try:
        return StartIn.model_validate(data if isinstance(data, dict) else {"_": data}).language
    except PydanticError as exc:
        raise ValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
        ) from exc


@router.post(
    "/assessments/{code}/sessions",
    auth=KEY,
    response={201: dict, **ERRORS},
    summary="Start a test: the session and its first item",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": StartIn.model_json_schema()}},
        }
    },
)
def start(request: HttpRequest, code: str) -> Status:
    officer = officer_from(request)
    assessment = tests.get_assessment(code)
    language = start_language(request)
    session, _first = tests.do_start(officer, assessment, language)
    return Status(201, tests.state_dict(tests.get_session(session.pk)))
