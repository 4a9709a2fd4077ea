"""Request bodies of the proposals API (answers: pracha.proposals.representation)."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from pracha.api.cases.schemas import ErrorOut

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class ProposalIn(Schema):
    title: str = Field(max_length=1000)
    body: str = Field(max_length=20000)
    category: str = ""
    district: str = ""
    lat: float | None = None
    lon: float | None = None


class SupportIn(Schema):
    follow: bool = True


class ReportIn(Schema):
    reason: str = Field(max_length=1000)


class AnswerIn(Schema):
    decision: str
    reason: str = ""
    body: str = ""
    draft: bool = False


class RefsIn(Schema):
    refs: list[str] = Field(min_length=1, max_length=200)


class TemplateDraftIn(RefsIn):
    template: int


class ForwardIn(Schema):
    agency: str
    note: str = Field(max_length=5000)


class MilestoneIn(Schema):
    title: str
    on: date
    progress: int | None = None


class ResultIn(Schema):
    title: str
    progress: int
    cases: list[str] = Field(default_factory=list)
    milestones: list[MilestoneIn] = Field(default_factory=list)
    starts_on: date | None = None
    ends_on: date | None = None
    result_id: int | None = None


class MergeIn(Schema):
    into: str
    note: str = ""


class ModerateIn(Schema):
    decision: str
    note: str = Field(max_length=2000)
