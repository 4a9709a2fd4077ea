"""Request and response shapes of the life-event endpoints."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class AgencyRef(Schema):
    code: str
    name_th: str
    name_en: str


class GuideStepOut(Schema):
    code: str
    name_th: str
    name_en: str
    kind: str
    agency: AgencyRef
    gives_th: str
    gives_en: str
    due_days: int | None
    due_months: int | None
    prerequisites: list[str]
    documents: list[dict[str, str]]
    mandatory: bool
    eligibility: dict[str, Any] | None
    uses: list[str]
    produces: list[str]
    sources: list[str]
    unverified: list[str]


class LifeEventOut(Schema):
    code: str
    version: int
    name_th: str
    name_en: str
    summary_th: str
    summary_en: str
    steps: list[GuideStepOut]
    sources: list[dict[str, str]]


class LifeEventListOut(Schema):
    items: list[LifeEventOut]


class JourneyIn(Schema):
    life_event: str
    anchor_date: str
    facts: dict[str, Any] = {}


class SubmitIn(Schema):
    facts: dict[str, Any] = {}


class JourneyStepOut(Schema):
    code: str
    state: str
    reason: str
    due_at: str | None
    overdue: bool
    agency: AgencyRef
    ticket_id: str | None


class JourneyOut(Schema):
    id: int
    life_event: str
    version: int
    anchor_date: str
    completed_at: str | None
    steps: list[JourneyStepOut]


class JourneyListOut(Schema):
    items: list[JourneyOut]


class FactConsentOut(Schema):
    id: int
    journey: int
    fact: str
    step: str
    agency: AgencyRef
    given_at: str
    revoked_at: str | None


class FactConsentListOut(Schema):
    items: list[FactConsentOut]


class EventIndicatorOut(Schema):
    code: str
    started: int
    completed: int
    median_days_to_complete: float | None


class AgencyStepOut(Schema):
    agency: str
    step: str
    requests: int
    median_days: float | None


class JourneyIndicatorsOut(Schema):
    life_events: list[EventIndicatorOut]
    steps_done: int
    steps_done_online: int
    agency_steps: list[AgencyStepOut]
