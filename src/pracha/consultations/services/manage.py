"""What officers of the consultation's agency do: create and edit a draft and its questions,
publish it, close it early, publish "what we changed because of you". Each is audited.

Questions may change only until the consultation opens: once anyone may have answered, a
changed question would change what their answer means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.audit.log import audit
from pracha.cases.errors import Conflict, InvalidInput, NotAllowed, NotFound
from pracha.consultations.models import Consultation, Phase, Question, State
from pracha.consultations.services.closing import do_close
from pracha.consultations.signals import changes_published

REF = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
MAX_OPTIONS = 20
MAX_QUESTIONS = 50


@dataclass
class Draft:
    """What an officer writes: the texts and dates of a consultation."""

    ref: str
    title_th: str
    opens_at: datetime
    closes_at: datetime
    title_en: str = ""
    summary_th: str = ""
    summary_en: str = ""
    draft_th: str = ""
    draft_en: str = ""


@dataclass
class QuestionDraft:
    kind: str
    text_th: str
    text_en: str = ""
    options: list[dict[str, str]] = field(default_factory=list)
    required: bool = True


def consultation_by_ref(ref: str) -> Consultation:
    found = Consultation.objects.select_related("agency").filter(ref=ref).first()
    if found is None:
        raise NotFound(f"no consultation {ref!r}")
    return found


def lock(consultation: Consultation) -> None:
    """Lock the row for the transaction, then read it afresh into the caller's instance."""
    Consultation.objects.select_for_update().filter(pk=consultation.pk).values_list("pk").get()
    consultation.refresh_from_db()


def check_officer_of(officer: Officer, consultation: Consultation) -> None:
    """Only officers of the consultation's own agency manage it."""
    if officer.agency_id != consultation.agency_id:
        raise NotAllowed(
            f"consultation {consultation.ref} belongs to {consultation.agency.code}; "
            f"officers of {officer.agency.code} may not change it"
        )


def check_draft(draft: Draft, *, ref_taken: bool) -> None:
    if not REF.match(draft.ref):
        raise InvalidInput(
            "ref: 3-64 lower-case letters, digits and hyphens, starting with a letter or digit",
            field="ref",
        )
    if ref_taken:
        raise Conflict(f"there is already a consultation {draft.ref!r}", field="ref")
    if not draft.title_th.strip():
        raise InvalidInput("title_th: a consultation needs a Thai title", field="title_th")
    if timezone.is_naive(draft.opens_at) or timezone.is_naive(draft.closes_at):
        raise InvalidInput("opens_at and closes_at need a time zone", field="opens_at")
    if draft.closes_at <= draft.opens_at:
        raise InvalidInput("closes_at must be after opens_at", field="closes_at")


def check_question(question: QuestionDraft) -> list[dict[str, str]]:
    """The question's options, cleaned; InvalidInput with the reason otherwise."""
    if question.kind not in Question.Kind.values:
        raise InvalidInput(f"kind must be one of {', '.join(Question.Kind.values)}", field="kind")
    if not question.text_th.strip():
        raise InvalidInput("text_th: a question needs a Thai text", field="text_th")
    if question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if question.options:
            raise InvalidInput(f"a {question.kind} question takes no options", field="options")
        return []
    options = [
        {"th": str(o.get("th", "")).strip(), "en": str(o.get("en", "")).strip()}
        for o in question.options
    ]
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise InvalidInput(f"a choice question needs 2 to {MAX_OPTIONS} options", field="options")
    if any(not o["th"] for o in options):
        raise InvalidInput("every option needs a Thai text", field="options")
    return options


def check_questions_editable(consultation: Consultation, now: datetime | None = None) -> None:
    if consultation.phase(now) not in (Phase.DRAFT, Phase.UPCOMING):
        raise Conflict(
            "the questions can no longer change: the consultation has opened", field="questions"
        )


@transaction.atomic
def do_create(officer: Officer, draft: Draft, questions: list[QuestionDraft]) -> Consultation:
    """A new draft consultation of the officer's agency, with its questions."""
    check_draft(draft, ref_taken=Consultation.objects.filter(ref=draft.ref).exists())
    cleaned = [check_question(q) for q in questions]
    if len(questions) > MAX_QUESTIONS:
        raise InvalidInput(f"at most {MAX_QUESTIONS} questions", field="questions")
    consultation = Consultation.objects.create(agency=officer.agency, **vars(draft))
    _write_questions(consultation, questions, cleaned)
    audit("consultation.created", obj=consultation, actor=officer, detail={"ref": draft.ref})
    return consultation


@transaction.atomic
def do_edit(officer: Officer, consultation: Consultation, changes: dict[str, Any]) -> Consultation:
    """Change texts and dates. Dates only before it opens; the texts until it closes."""
    lock(consultation)
    check_officer_of(officer, consultation)
    phase = consultation.phase()
    if phase == Phase.CLOSED:
        raise Conflict("a closed consultation no longer changes; publish what changed instead")
    allowed = {"title_th", "title_en", "summary_th", "summary_en", "draft_th", "draft_en"}
    if phase in (Phase.DRAFT, Phase.UPCOMING):
        allowed |= {"opens_at", "closes_at"}
    elif "opens_at" in changes and changes["opens_at"] != consultation.opens_at:
        raise Conflict("an open consultation keeps its opening date", field="opens_at")
    else:
        allowed.add("closes_at")  # an open consultation may run longer or shorter
    unknown = set(changes) - allowed - {"opens_at"}
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    for name, value in changes.items():
        if name in allowed:
            setattr(consultation, name, value)
    draft = Draft(**{f: getattr(consultation, f) for f in Draft.__dataclass_fields__})
    check_draft(draft, ref_taken=False)
    if phase == Phase.OPEN and consultation.closes_at <= timezone.now():
        raise InvalidInput(
            "closes_at must be in the future (close it to end it now)", field="closes_at"
        )
    consultation.save()
    audit(
        "consultation.edited", obj=consultation, actor=officer, detail={"fields": sorted(changes)}
    )
    return consultation


@transaction.atomic
def do_set_questions(
    officer: Officer, consultation: Consultation, questions: list[QuestionDraft]
) -> list[Question]:
    """Replace the questions, in the order given; only before the consultation opens."""
    lock(consultation)
    check_officer_of(officer, consultation)
    check_questions_editable(consultation)
    if len(questions) > MAX_QUESTIONS:
        raise InvalidInput(f"at most {MAX_QUESTIONS} questions", field="questions")
    cleaned = [check_question(q) for q in questions]
    consultation.questions.all().delete()
    written = _write_questions(consultation, questions, cleaned)
    audit(
        "consultation.questions_set",
        obj=consultation,
        actor=officer,
        detail={"questions": len(written)},
    )
    return written


def _write_questions(
    consultation: Consultation, questions: list[QuestionDraft], options: list[list[dict[str, str]]]
) -> list[Question]:
    return Question.objects.bulk_create(
        Question(
            consultation=consultation,
            order=position,
            kind=q.kind,
            text_th=q.text_th.strip(),
            text_en=q.text_en.strip(),
            options=opts,
            required=q.required,
        )
        for position, (q, opts) in enumerate(zip(questions, options, strict=True), start=1)
    )


@transaction.atomic
def do_publish(officer: Officer, consultation: Consultation) -> Consultation:
    """Make a draft public: upcoming until it opens, then open until it closes."""
    lock(consultation)
    check_officer_of(officer, consultation)
    if consultation.state != State.DRAFT:
        raise Conflict(f"consultation {consultation.ref} is already published")
    if not consultation.questions.exists():
        raise InvalidInput("a consultation needs at least one question", field="questions")
    now = timezone.now()
    if consultation.closes_at <= now:
        raise InvalidInput("closes_at has passed: set new dates first", field="closes_at")
    consultation.state = State.OPEN
    consultation.published_at = now
    consultation.save(update_fields=["state", "published_at"])
    audit("consultation.published", obj=consultation, actor=officer)
    return consultation


@transaction.atomic
def do_close_now(officer: Officer, consultation: Consultation) -> Consultation:
    """End an open consultation before its date (its results become public)."""
    lock(consultation)
    check_officer_of(officer, consultation)
    phase = consultation.phase()
    if phase == Phase.DRAFT:
        raise Conflict("a draft is not published: there is nothing to close")
    if consultation.state == State.CLOSED:
        raise Conflict(f"consultation {consultation.ref} is already closed")
    if phase == Phase.UPCOMING:
        raise Conflict("it has not opened yet: change its dates instead", field="opens_at")
    now = timezone.now()
    if phase == Phase.OPEN:
        consultation.closes_at = now
    do_close(consultation, now)
    audit("consultation.closed", obj=consultation, actor=officer)
    return consultation


def check_changes(changes_th: str) -> None:
    if not changes_th.strip():
        raise InvalidInput(
            "changes_th: say in Thai what changed (or that nothing did, and why)",
            field="changes_th",
        )


@transaction.atomic
def do_publish_changes(
    officer: Officer, consultation: Consultation, changes_th: str, changes_en: str = ""
) -> Consultation:
    """Publish "what we changed because of you"; once closed. Publishing again corrects it."""
    lock(consultation)
    check_officer_of(officer, consultation)
    if consultation.phase() != Phase.CLOSED:
        raise Conflict("what changed is published after the consultation has closed")
    check_changes(changes_th)
    if consultation.state != State.CLOSED:
        do_close(consultation, timezone.now())
    first = consultation.changes_published_at is None
    consultation.changes_th = changes_th.strip()
    consultation.changes_en = changes_en.strip()
    if first:
        consultation.changes_published_at = timezone.now()
    consultation.save(update_fields=["changes_th", "changes_en", "changes_published_at"])
    audit(
        "consultation.changes_published", obj=consultation, actor=officer, detail={"first": first}
    )
    if first:  # a correction is not news to e-mail again
        changes_published.send(sender=Consultation, consultation=consultation)
    return consultation
