"""Officers' pages for proposals: the agency's list (awaiting an answer, overdue, drafts for a
supervisor to publish in bulk, hidden ones for moderators, unrouted ones), and one proposal's
forms (answer or draft, forward, results, merge, moderate)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import AgencyError, resolve_agency
from pracha.cases.errors import DomainError, InvalidInput, NotFound
from pracha.proposals.models import Answer, AnswerTemplate, Decision, Proposal, Reason, State
from pracha.proposals.representation import proposal_detail
from pracha.proposals.services.answers import (
    AnswerInput,
    do_answer,
    do_draft_from_template,
    do_forward,
    do_publish_answer,
    do_publish_drafts,
    latest_draft,
)
from pracha.proposals.services.moderation import do_merge, do_moderate, hidden_waiting, is_moderator
from pracha.proposals.services.results import MilestoneInput, ResultInput, do_report_result
from pracha.proposals.services.supports import get_proposal
from pracha.web.officers import officer_required
from pracha.web.views.proposals import status_of

HOME = "/office/proposals/"


def _proposal(ref: str) -> Proposal:
    try:
        return get_proposal(ref)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_safe
@officer_required
def office_proposals(request: HttpRequest, officer: Officer) -> HttpResponse:
    mine = Proposal.objects.filter(agency=officer.agency).select_related("agency")
    supervisor = officer.role == Officer.Role.SUPERVISOR
    drafts = (
        Answer.objects.filter(
            published_at__isnull=True,
            proposal__agency=officer.agency,
            proposal__state=State.THRESHOLD_REACHED,
        )
        .select_related("proposal")
        .order_by("proposal__answer_due_at", "pk")
    )
    context = {
        "officer": officer,
        "supervisor": supervisor,
        "awaiting": list(mine.filter(state=State.THRESHOLD_REACHED).order_by("answer_due_at")),
        "accepted": list(
            mine.filter(
                state__in=[State.ACCEPTED, State.PARTIALLY_ACCEPTED, State.IN_PROGRESS]
            ).order_by("answered_at")
        ),
        "drafts": list(drafts) if supervisor else [],
        "templates": list(AnswerTemplate.objects.filter(agency=officer.agency).order_by("name")),
        "hidden": hidden_waiting() if is_moderator(officer) else [],
        "unrouted": list(
            Proposal.objects.filter(state=State.THRESHOLD_REACHED, agency__isnull=True)
        )
        if supervisor
        else [],
    }
    return render(request, "web/proposals/office_list.html", context)


def office_context(officer: Officer, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    return {
        "officer": officer,
        "proposal": proposal,
        "p": proposal_detail(proposal),
        "draft": latest_draft(proposal),
        "decisions": Decision.values,
        "reasons": Reason.values,
        "is_theirs": proposal.agency_id == officer.agency_id,
        "supervisor": officer.role == Officer.Role.SUPERVISOR,
        "moderator": is_moderator(officer),
        "error": "",
        **extra,
    }


@require_safe
@officer_required
def office_proposal(request: HttpRequest, officer: Officer, ref: str) -> HttpResponse:
    proposal = _proposal(ref)
    return render(request, "web/proposals/office_detail.html", office_context(officer, proposal))


def _agency(ref: str) -> Agency:
    try:
        return resolve_agency(ref)
    except AgencyError as exc:
        raise InvalidInput(str(exc), field="agency") from exc


def _progress(raw: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise InvalidInput(_("Progress must be a whole number from 0 to 100.")) from exc


def _milestones(post: Any) -> list[MilestoneInput]:
    title = post.get("milestone_title", "").strip()
    if not title:
        return []
    try:
        on = date.fromisoformat(post.get("milestone_on", ""))
    except ValueError as exc:
        raise InvalidInput(_("A milestone needs a date.")) from exc
    return [MilestoneInput(title, on)]


def run_action(officer: Officer, proposal: Proposal, action: str, post: Any) -> str:
    """Do the action; the message to show."""
    if action == "answer":
        given = AnswerInput(post.get("decision", ""), post.get("reason", ""), post.get("body", ""))
        answer = do_answer(officer, proposal, given, draft=post.get("draft") == "1")
        return _("Answer drafted.") if answer.is_draft else _("Answer published.")
    if action == "publish":
        draft = latest_draft(proposal)
        if draft is None:
            raise InvalidInput(_("There is no drafted answer."))
        do_publish_answer(officer, draft)
        return _("Answer published.")
    if action == "forward":
        do_forward(officer, proposal, _agency(post.get("agency", "")), post.get("note", ""))
        return _("Forwarded.")
    if action == "results":
        cases = [t for t in post.get("cases", "").replace(",", " ").split() if t]
        result_id = post.get("result_id", "")
        do_report_result(
            officer,
            proposal,
            ResultInput(
                title=post.get("title", ""),
                progress=_progress(post.get("progress", "")),
                cases=cases,
                milestones=_milestones(post),
                result_id=int(result_id) if result_id.isdigit() else None,
            ),
        )
        return _("Progress reported.")
    if action == "merge":
        do_merge(officer, proposal, get_proposal(post.get("into", "")), post.get("note", ""))
        return _("Merged.")
    if action == "moderate":
        do_moderate(officer, proposal, post.get("decision", ""), post.get("note", ""))
        return _("Decision recorded.")
    raise Http404("no such action")


@require_POST
@officer_required
def office_action(request: HttpRequest, officer: Officer, ref: str, action: str) -> HttpResponse:
    proposal = _proposal(ref)
    try:
        done = run_action(officer, proposal, action, request.POST)
    except DomainError as exc:
        proposal.refresh_from_db()
        context = office_context(officer, proposal, error=exc.message)
        return render(request, "web/proposals/office_detail.html", context, status=status_of(exc))
    messages.success(request, done)
    return HttpResponseRedirect(f"/office/proposals/{proposal.ref}/")


@require_POST
@officer_required
def office_bulk(request: HttpRequest, officer: Officer) -> HttpResponse:
    """Publish the checked drafts (a supervisor), or draft answers from a template."""
    refs = request.POST.getlist("refs")
    if not refs:
        messages.error(request, _("Choose at least one proposal."))
        return HttpResponseRedirect(HOME)
    proposals = list(Proposal.objects.filter(ref__in=refs))
    if request.POST.get("template"):
        template = AnswerTemplate.objects.filter(pk=request.POST["template"]).first()
        if template is None:
            raise Http404("no such template")
        try:
            outcome = do_draft_from_template(officer, template, proposals)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(HOME)
    else:
        outcome = do_publish_drafts(officer, proposals)
    if outcome.published:
        messages.success(request, _("Done: %(refs)s") % {"refs": ", ".join(outcome.published)})
    for ref, reason in outcome.refused.items():
        messages.error(request, f"{ref}: {reason}")
    return HttpResponseRedirect(HOME)
