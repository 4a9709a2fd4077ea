"""The agency's actions: create, edit, set the questions, publish, close, what changed.

An officer acts with their API key (`Authorization: Bearer pk_...`) or, from the back office,
signed in (session, with the CSRF token). Officers of another agency get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Schema, Status
from ninja.security import SessionAuth
from pydantic import Field

from pracha.agencies.models import ApiKey, Officer
from pracha.api.auth import ApiKeyAuth, officer_from
from pracha.api.consultations.representations import detail_dict
from pracha.api.consultations.routes import ERRORS, router, session_officer
from pracha.cases.errors import NotAllowed
from pracha.consultations.services import manage


class OfficeSession(SessionAuth):
    """A signed-in back-office session (Django's session cookie, CSRF checked)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Officer | None:
        return session_officer(request)


OFFICER = [ApiKeyAuth(), OfficeSession()]


def acting_officer(request: HttpRequest) -> Officer:
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, Officer):
        return auth
    if isinstance(auth, ApiKey) or auth is None:
        return officer_from(request)
    raise NotAllowed("this needs an officer")


class OptionIn(Schema):
    th: str = Field(..., max_length=300)
    en: str = Field("", max_length=300)


class QuestionIn(Schema):
    kind: Literal["single", "multiple", "scale_1_5", "free_text"]
    text_th: str = Field(..., max_length=500)
    text_en: str = Field("", max_length=500)
    options: list[OptionIn] = []
    required: bool = True

    def draft(self) -> manage.QuestionDraft:
        return manage.QuestionDraft(
            kind=self.kind,
            text_th=self.text_th,
            text_en=self.text_en,
            options=[o.model_dump() for o in self.options],
            required=self.required,
        )


class ConsultationIn(Schema):
    ref: str
    title_th: str = Field(..., max_length=200)
    title_en: str = Field("", max_length=200)
    summary_th: str = ""
    summary_en: str = ""
    draft_th: str = ""
    draft_en: str = ""
    opens_at: datetime
    closes_at: datetime
    questions: list[QuestionIn] = []


class ConsultationPatch(Schema):
    model_config = {"extra": "forbid"}
    title_th: str | None = Field(None, max_length=200)
    title_en: str | None = Field(None, max_length=200)
    summary_th: str | None = None
    summary_en: str | None = None
    draft_th: str | None = None
    draft_en: str | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None


class QuestionsIn(Schema):
    questions: list[QuestionIn]


class ChangesIn(Schema):
    changes_th: str = Field(..., max_length=20000)
    changes_en: str = Field("", max_length=20000)


def _mine(request: HttpRequest, ref: str) -> tuple[Officer, Any]:
    officer = acting_officer(request)
    consultation = manage.consultation_by_ref(ref)
    manage.check_officer_of(officer, consultation)
    return officer, consultation


@router.post(
    "/consultations",
    response={201: dict, **ERRORS},
    auth=OFFICER,
    summary="Create a draft consultation (officers)",
)
def create(request: HttpRequest, payload: ConsultationIn) -> Status:
    data = payload.model_dump(exclude={"questions"})
    consultation = manage.do_create(
        acting_officer(request), manage.Draft(**data), [q.draft() for q in payload.questions]
    )
    return Status(201, detail_dict(consultation))


@router.patch(
    "/consultations/{ref}",
    response={200: dict, **ERRORS},
    auth=OFFICER,
    summary="Change texts or dates (officers of its agency)",
)
def edit(request: HttpRequest, ref: str, payload: ConsultationPatch) -> dict[str, Any]:
    officer, consultation = _mine(request, ref)
    changes = payload.model_dump(exclude_none=True)
    return detail_dict(manage.do_edit(officer, consultation, changes))


@router.put(
    "/consultations/{ref}/questions",
    response={200: dict, **ERRORS},
    auth=OFFICER,
    summary="Replace the questions, before it opens",
)
def set_questions(request: HttpRequest, ref: str, payload: QuestionsIn) -> dict[str, Any]:
    officer, consultation = _mine(request, ref)
    manage.do_set_questions(officer, consultation, [q.draft() for q in payload.questions])
    return detail_dict(consultation)


@router.post(
    "/consultations/{ref}/publish",
    response={200: dict, **ERRORS},
    auth=OFFICER,
    summary="Publish a draft",
)
def publish(request: HttpRequest, ref: str) -> dict[str, Any]:
    officer, consultation = _mine(request, ref)
    return detail_dict(manage.do_publish(officer, consultation))


@router.post(
    "/consultations/{ref}/close",
    response={200: dict, **ERRORS},
    auth=OFFICER,
    summary="Close it now (the results become public)",
)
def close(request: HttpRequest, ref: str) -> dict[str, Any]:
    officer, consultation = _mine(request, ref)
    return detail_dict(manage.do_close_now(officer, consultation))


@router.post(
    "/consultations/{ref}/changes",
    response={200: dict, **ERRORS},
    auth=OFFICER,
    summary='Publish "what we changed because of you"',
)
def changes(request: HttpRequest, ref: str, payload: ChangesIn) -> dict[str, Any]:
    officer, consultation = _mine(request, ref)
    done = manage.do_publish_changes(officer, consultation, payload.changes_th, payload.changes_en)
    return detail_dict(done)
