"""The routed agency's answer: at once, or drafted (one by one or from a template, in bulk)
and published by a supervisor; forwarding to the competent agency with a note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.errors import DomainError, IllegalTransition, InvalidInput, NotAllowed
from pracha.masking.personal_data import mask_personal_data
from pracha.proposals.models import (
    Answer,
    AnswerTemplate,
    Decision,
    Proposal,
    ProposalEvent,
    Reason,
    State,
)
from pracha.proposals.services.events import do_record
from pracha.proposals.services.supports import locked

MAX_ANSWER = 10_000
MAX_NOTE = 2_000


@dataclass(frozen=True)
class AnswerInput:
    decision: str
    reason: str = ""
    body: str = ""


def check_officer_of(proposal: Proposal, officer: Officer) -> None:
    if proposal.agency_id is None or proposal.agency_id != officer.agency_id:
        raise NotAllowed("only officers of the agency the proposal is routed to may do this")


def check_supervisor_of(proposal: Proposal, officer: Officer) -> None:
    check_officer_of(proposal, officer)
    if officer.role != Officer.Role.SUPERVISOR:
        raise NotAllowed("only a supervisor of the agency may publish a drafted answer")


def check_awaiting_answer(proposal: Proposal) -> None:
    if proposal.state != State.THRESHOLD_REACHED:
        raise IllegalTransition(
            f"only a proposal awaiting an answer can be answered; this one is {proposal.state}"
        )


def check_answer(given: AnswerInput) -> AnswerInput:
    if given.decision not in Decision.values:
        raise InvalidInput(
            f"decision must be one of {', '.join(Decision.values)}", field="decision"
        )
    reason = (given.reason or "").strip()
    if reason and reason not in Reason.values:
        raise InvalidInput(f"reason must be one of {', '.join(Reason.values)}", field="reason")
    if given.decision == Decision.REJECTED and not reason:
        raise InvalidInput(
            f"a rejection needs a reason: one of {', '.join(Reason.values)}", field="reason"
        )
    body = (given.body or "").strip()
    if not body:
        raise InvalidInput("the answer needs a text that explains it", field="body")
    if len(body) > MAX_ANSWER:
        raise InvalidInput(f"the answer may have at most {MAX_ANSWER} characters", field="body")
    return AnswerInput(given.decision, reason, mask_personal_data(body))


def do_answer(
    officer: Officer, proposal: Proposal, given: AnswerInput, *, draft: bool = False
) -> Answer:
    """Answer for the routed agency: published at once, or a draft for a supervisor."""
    checked = check_answer(given)
    with transaction.atomic():
        proposal = locked(proposal)
        check_officer_of(proposal, officer)
        check_awaiting_answer(proposal)
        answer = Answer.objects.create(
            proposal=proposal,
            agency=officer.agency,
            decision=checked.decision,
            reason=checked.reason,
            body=checked.body,
            answered_by=officer,
        )
        if draft:
            do_record(
                proposal,
                ProposalEvent.Kind.ANSWER_DRAFTED,
                actor=officer,
                agency=officer.agency,
                public=False,
                data={"answer": answer.pk, "decision": answer.decision},
                audit_action="proposal.answer_drafted",
            )
        else:
            _publish(proposal, answer, officer, timezone.now())
    return answer


def _publish(proposal: Proposal, answer: Answer, officer: Officer, now: datetime) -> None:
    answer.published_at = now
    answer.published_by = officer
    answer.save(update_fields=["published_at", "published_by"])
    proposal.state = answer.decision
    proposal.answered_at = now
    proposal.save(update_fields=["state", "answered_at"])
    # Other drafts are superseded by the published answer.
    Answer.objects.filter(proposal=proposal, published_at__isnull=True).delete()
    do_record(
        proposal,
        ProposalEvent.Kind.ANSWERED,
        actor=officer,
        agency=officer.agency,
        note=answer.body,
        data={"decision": answer.decision, "reason": answer.reason, "answer": answer.pk},
        audit_action="proposal.answered",
    )


def do_publish_answer(supervisor: Officer, answer: Answer) -> Answer:
    with transaction.atomic():
        proposal = locked(answer.proposal)
        check_supervisor_of(proposal, supervisor)
        check_awaiting_answer(proposal)
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        if not answer.is_draft:
            raise IllegalTransition("this answer is already published")
        _publish(proposal, answer, supervisor, timezone.now())
    return answer


@dataclass(frozen=True)
class BulkOutcome:
    published: list[str]
    refused: dict[str, str]  # ref -> reason


def latest_draft(proposal: Proposal) -> Answer | None:
    return proposal.answers.filter(published_at__isnull=True).order_by("-created_at", "-pk").first()


def do_publish_drafts(supervisor: Officer, proposals: list[Proposal]) -> BulkOutcome:
    """Publish the latest draft of each proposal; each on its own, so one refusal (no draft,
    another agency) does not hold back the others."""
    published: list[str] = []
    refused: dict[str, str] = {}
    for proposal in proposals:
        draft = latest_draft(proposal)
        if draft is None:
            refused[proposal.ref] = "no drafted answer"
            continue
        try:
            do_publish_answer(supervisor, draft)
        except DomainError as exc:
            refused[proposal.ref] = exc.message
        else:
            published.append(proposal.ref)
    return BulkOutcome(published, refused)


def do_draft_from_template(
    officer: Officer, template: AnswerTemplate, proposals: list[Proposal]
) -> BulkOutcome:
    """A draft answer with the template's words on each proposal (supervisors publish)."""
    if template.agency_id != officer.agency_id:
        raise NotAllowed("this template belongs to another agency")
    given = AnswerInput(template.decision, template.reason, template.body)
    drafted: list[str] = []
    refused: dict[str, str] = {}
    for proposal in proposals:
        try:
            do_answer(officer, proposal, given, draft=True)
        except DomainError as exc:
            refused[proposal.ref] = exc.message
        else:
            drafted.append(proposal.ref)
    return BulkOutcome(drafted, refused)


def do_forward(officer: Officer, proposal: Proposal, to: Agency, note: str) -> Proposal:
    """Send the proposal to the competent agency, with a note said in public. An unrouted
    proposal is routed by any supervisor."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput("say why, for the public record", field="note")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note may have at most {MAX_NOTE} characters", field="note")
    if not to.is_active:
        raise InvalidInput("that agency is closed", field="agency")
    with transaction.atomic():
        proposal = locked(proposal)
        unrouted = proposal.agency_id is None
        if unrouted:
            if officer.role != Officer.Role.SUPERVISOR:
                raise NotAllowed("only a supervisor may route a proposal no rule routed")
        else:
            check_officer_of(proposal, officer)
        check_awaiting_answer(proposal)
        if proposal.agency_id == to.pk:
            raise InvalidInput("the proposal is already with that agency", field="agency")
        from_agency = proposal.agency
        proposal.agency = to
        proposal.save(update_fields=["agency"])
        # Drafts were written for the agency that no longer holds it.
        Answer.objects.filter(proposal=proposal, published_at__isnull=True).delete()
        do_record(
            proposal,
            ProposalEvent.Kind.ROUTED if unrouted else ProposalEvent.Kind.FORWARDED,
            actor=officer,
            agency=from_agency,
            to_agency=to,
            note=mask_personal_data(note),
            audit_action="proposal.forwarded",
        )
    return proposal
