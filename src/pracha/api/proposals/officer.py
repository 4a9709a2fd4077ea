"""Officers' actions on proposals: answer (or draft), publish drafts (one or in bulk, from
templates), forward, report results, merge duplicates, moderate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from pracha.agencies.models import Agency
from pracha.agencies.services import AgencyError, resolve_agency
from pracha.api.auth import ApiKeyAuth, officer_from
from pracha.api.proposals.schemas import (
    ERRORS,
    AnswerIn,
    ForwardIn,
    MergeIn,
    ModerateIn,
    RefsIn,
    ResultIn,
    TemplateDraftIn,
)
from pracha.cases.errors import IllegalTransition, InvalidInput, NotFound
from pracha.proposals.models import AnswerTemplate, Proposal
from pracha.proposals.representation import proposal_detail
from pracha.proposals.services.answers import (
    AnswerInput,
    BulkOutcome,
    do_answer,
    do_draft_from_template,
    do_forward,
    do_publish_answer,
    do_publish_drafts,
    latest_draft,
)
from pracha.proposals.services.moderation import do_merge, do_moderate
from pracha.proposals.services.results import MilestoneInput, ResultInput, do_report_result
from pracha.proposals.services.supports import get_proposal

router = Router(auth=ApiKeyAuth())


def _agency(ref: str) -> Agency:
    try:
        return resolve_agency(ref)
    except AgencyError as exc:
        raise InvalidInput(str(exc), field="agency") from exc


def _proposals(refs: list[str]) -> list[Proposal]:
    return [get_proposal(ref) for ref in refs]


def _bulk(outcome: BulkOutcome) -> dict[str, Any]:
    return {"done": outcome.published, "refused": outcome.refused}


@router.post(
    "/proposals/answers/publish",
    response={200: dict[str, Any], **ERRORS},
    summary="A supervisor publishes the drafted answers of several proposals",
)
def publish_many(request: HttpRequest, payload: RefsIn) -> dict[str, Any]:
    return _bulk(do_publish_drafts(officer_from(request), _proposals(payload.refs)))


@router.post(
    "/proposals/answers/draft",
    response={200: dict[str, Any], **ERRORS},
    summary="Draft answers on several proposals from one of the agency's templates",
)
def draft_many(request: HttpRequest, payload: TemplateDraftIn) -> dict[str, Any]:
    officer = officer_from(request)
    template = AnswerTemplate.objects.filter(pk=payload.template).first()
    if template is None:
        raise NotFound(f"no answer template {payload.template}")
    return _bulk(do_draft_from_template(officer, template, _proposals(payload.refs)))


@router.post(
    "/proposals/{ref}/answer",
    response={201: dict[str, Any], **ERRORS},
    summary="Answer for the routed agency (published at once unless draft)",
)
def answer(request: HttpRequest, ref: str, payload: AnswerIn) -> Status:
    officer = officer_from(request)
    given = AnswerInput(payload.decision, payload.reason, payload.body)
    saved = do_answer(officer, get_proposal(ref), given, draft=payload.draft)
    detail = proposal_detail(get_proposal(ref))
    detail["draft"] = {"id": saved.pk, "decision": saved.decision} if saved.is_draft else None
    return Status(201, detail)


@router.post(
    "/proposals/{ref}/answer/publish",
    response={200: dict[str, Any], **ERRORS},
    summary="A supervisor publishes the drafted answer",
)
def publish(request: HttpRequest, ref: str) -> dict[str, Any]:
    proposal = get_proposal(ref)
    draft = latest_draft(proposal)
    if draft is None:
        raise IllegalTransition("this proposal has no drafted answer")
    do_publish_answer(officer_from(request), draft)
    return proposal_detail(get_proposal(ref))


@router.post("/proposals/{ref}/forward", response={200: dict[str, Any], **ERRORS})
def forward(request: HttpRequest, ref: str, payload: ForwardIn) -> dict[str, Any]:
    proposal = do_forward(
        officer_from(request), get_proposal(ref), _agency(payload.agency), payload.note
    )
    return proposal_detail(proposal)


@router.post(
    "/proposals/{ref}/results",
    response={201: dict[str, Any], **ERRORS},
    summary="Report a result's progress (0-100), milestones and the cases doing the work",
)
def results(request: HttpRequest, ref: str, payload: ResultIn) -> Status:
    given = ResultInput(
        title=payload.title,
        progress=payload.progress,
        cases=payload.cases,
        milestones=[MilestoneInput(m.title, m.on, m.progress) for m in payload.milestones],
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        result_id=payload.result_id,
    )
    do_report_result(officer_from(request), get_proposal(ref), given)
    return Status(201, proposal_detail(get_proposal(ref)))


@router.post(
    "/proposals/{ref}/merge",
    response={200: dict[str, Any], **ERRORS},
    summary="Merge a duplicate into another proposal (supports move with their people)",
)
def merge(request: HttpRequest, ref: str, payload: MergeIn) -> dict[str, Any]:
    into = do_merge(
        officer_from(request), get_proposal(ref), get_proposal(payload.into), payload.note
    )
    return proposal_detail(into)


@router.post(
    "/proposals/{ref}/moderate",
    response={200: dict[str, Any], **ERRORS},
    summary="A moderator keeps (shows again) or removes a proposal hidden after reports",
)
def moderate(request: HttpRequest, ref: str, payload: ModerateIn) -> dict[str, Any]:
    proposal = do_moderate(officer_from(request), get_proposal(ref), payload.decision, payload.note)
    return proposal_detail(proposal)
