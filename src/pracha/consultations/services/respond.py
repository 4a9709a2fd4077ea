"""Citizens answer: one response per person, changed in place until the close.

An answer is `{"question": <id>, "value": ...}`: the option's 0-based position (one choice),
a list of positions (several), 1-5 (scale) or text (free text). Every problem is reported at
once (`InvalidAnswers.reasons`), so a form can mark each question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.cases.errors import Conflict, InvalidInput
from pracha.citizens.models import Citizen
from pracha.consultations.models import Answer, Consultation, Phase, Question, Response

MAX_TEXT = 2000


class InvalidAnswers(InvalidInput):
    """Answers that do not fit the questions; `reasons` says what is wrong with each."""

    code = "invalid_answers"

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(r["reason"] for r in reasons), field="answers")
        self.reasons = reasons


class NotOpen(Conflict):
    code = "consultation_not_open"


@dataclass(frozen=True)
class Cleaned:
    choices: list[int]
    number: int | None
    text: str


def _problem(question: Question | None, qid: object, reason: str) -> dict[str, Any]:
    where = f"question {question.order}" if question is not None else f"question {qid!r}"
    return {"question": qid, "reason": f"{where}: {reason}"}


def _clean(question: Question, value: Any) -> Cleaned | str | None:
    """The cleaned answer, None when left empty, or a reason (str) it is wrong."""
    kind = question.kind
    if value is None or value == "" or value == []:
        return None
    if kind == Question.Kind.FREE_TEXT:
        if not isinstance(value, str):
            return "write text"
        text = value.strip()
        if len(text) > MAX_TEXT:
            return f"at most {MAX_TEXT} characters"
        return Cleaned([], None, text) if text else None
    if kind == Question.Kind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            return "choose a whole number from 1 to 5"
        return Cleaned([], value, "")
    picked = value if kind == Question.Kind.MULTIPLE and isinstance(value, list) else [value]
    if kind == Question.Kind.SINGLE and isinstance(value, list):
        return "choose one option"
    count = len(question.options)
    if any(isinstance(p, bool) or not isinstance(p, int) or not 0 <= p < count for p in picked):
        return f"choose options numbered 0 to {count - 1}"
    if len(set(picked)) != len(picked):
        return "an option is chosen twice"
    return Cleaned(sorted(picked), None, "")


def check_answers(consultation: Consultation, answers: list[dict[str, Any]]) -> dict[int, Cleaned]:
    """The answers by question id; InvalidAnswers listing every problem otherwise."""
    questions = {q.pk: q for q in consultation.questions.all()}
    reasons: list[dict[str, Any]] = []
    cleaned: dict[int, Cleaned] = {}
    for answer in answers:
        qid = answer.get("question")
        question = questions.get(qid) if isinstance(qid, int) else None
        if question is None:
            reasons.append(_problem(None, qid, "no such question in this consultation"))
            continue
        if qid in cleaned:
            reasons.append(_problem(question, qid, "answered twice"))
            continue
        result = _clean(question, answer.get("value"))
        if isinstance(result, str):
            reasons.append(_problem(question, qid, result))
        elif result is not None:
            cleaned[question.pk] = result
    for question in questions.values():
        if (
            question.required
            and question.pk not in cleaned
            and not any(r["question"] == question.pk for r in reasons)
        ):
            reasons.append(_problem(question, question.pk, "an answer is required"))
    if reasons:
        raise InvalidAnswers(reasons)
    return cleaned


def check_open(consultation: Consultation) -> None:
    phase = consultation.phase()
    if phase == Phase.CLOSED:
        raise NotOpen(f"consultation {consultation.ref} has closed: answers are no longer taken")
    if phase != Phase.OPEN:
        raise NotOpen(f"consultation {consultation.ref} is not open yet")


def do_respond(
    citizen: Citizen, consultation: Consultation, answers: list[dict[str, Any]], notify: bool
) -> tuple[Response, bool]:
    """Store the citizen's answers; (response, True) the first time, (response, False) when
    they replace earlier ones."""
    check_open(consultation)
    cleaned = check_answers(consultation, answers)
    now = timezone.now()
    try:
        with transaction.atomic():
            # Lock the consultation: an answer and the close never cross.
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            check_open(locked)
            response, created = Response.objects.get_or_create(
                consultation=locked, citizen=citizen, defaults={"notify": notify}
            )
            if not created:
                response.notify = notify
                response.updated_at = now
                response.save(update_fields=["notify", "updated_at"])
                response.answers.all().delete()
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question_id=qid,
                    choices=a.choices,
                    number=a.number,
                    text=a.text,
                )
                for qid, a in cleaned.items()
            )
    except IntegrityError:  # the same person's two first answers at once: the other won
        return do_respond(citizen, consultation, answers, notify)
    return response, created


def current_answers(citizen: Citizen | None, consultation: Consultation) -> dict[str, Any] | None:
    """The citizen's response as a form shows it: `{"notify", "answers": {qid: value}}`."""
    if citizen is None:
        return None
    response = Response.objects.filter(consultation=consultation, citizen=citizen).first()
    if response is None:
        return None
    values: dict[int, Any] = {}
    for answer in response.answers.select_related("question"):
        values[answer.question_id] = answer_value(answer)
    return {"notify": response.notify, "updated_at": response.updated_at, "answers": values}


def answer_value(answer: Answer) -> Any:
    kind = answer.question.kind
    if kind == Question.Kind.SINGLE:
        return answer.choices[0] if answer.choices else None
    if kind == Question.Kind.MULTIPLE:
        return list(answer.choices)
    if kind == Question.Kind.SCALE:
        return answer.number
    return answer.text
