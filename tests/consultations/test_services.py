"""The consultation rules in the services: who manages, when questions change, answering
once and changing until the close, results only after it, turnout, the deadline for "what
we changed", audit entries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.audit.models import AuditEntry
from pracha.cases.errors import Conflict, InvalidInput, NotAllowed
from pracha.config import Config
from pracha.consultations.models import Answer, Phase, Response, State
from pracha.consultations.services import closing, manage, results
from pracha.consultations.services.respond import InvalidAnswers, do_respond
from tests.consultations.support import (
    QUESTIONS,
    agency_other,
    full_answers,
    make_citizen,
    make_consultation,
)


@pytest.fixture
def city_officer(officer: tuple[Officer, str]) -> Officer:
    return officer[0]


def test_a_new_consultation_is_a_draft_with_its_questions_in_order(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer, phase="draft")
    assert consultation.phase() == Phase.DRAFT
    assert [q.kind for q in consultation.questions.all()] == [q.kind for q in QUESTIONS]
    assert [q.order for q in consultation.questions.all()] == [1, 2, 3, 4]
    assert AuditEntry.objects.filter(action="consultation.created", object_id=str(consultation.pk))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ref": "Bad Ref!"}, "ref"),
        ({"title_th": " "}, "title_th"),
        ({"closes_at": timezone.now() - timedelta(days=30)}, "closes_at"),
    ],
)
def test_a_bad_draft_is_refused_with_the_field(
    city_officer: Officer, change: dict[str, Any], field: str
) -> None:
    now = timezone.now()
    values = {"ref": "ok-ref", "title_th": "ร่าง", "opens_at": now, "closes_at": now + timedelta(1)}
    with pytest.raises(InvalidInput) as refused:
        manage.do_create(city_officer, manage.Draft(**{**values, **change}), QUESTIONS)
    assert refused.value.field == field


@pytest.mark.parametrize(
    "question",
    [
        manage.QuestionDraft(kind="single", text_th="ข้อ", options=[{"th": "หนึ่ง"}]),
        manage.QuestionDraft(kind="multiple", text_th="ข้อ", options=[{"th": "ก"}, {"th": ""}]),
        manage.QuestionDraft(kind="scale_1_5", text_th="ข้อ", options=[{"th": "ก"}, {"th": "ข"}]),
        manage.QuestionDraft(kind="ranking", text_th="ข้อ"),
        manage.QuestionDraft(kind="free_text", text_th=""),
    ],
)
def test_a_malformed_question_is_refused(
    city_officer: Officer, question: manage.QuestionDraft
) -> None:
    consultation = make_consultation(city_officer, phase="draft")
    with pytest.raises(InvalidInput):
        manage.do_set_questions(city_officer, consultation, [question])


def test_the_same_ref_twice_is_a_conflict(city_officer: Officer) -> None:
    make_consultation(city_officer, phase="draft")
    with pytest.raises(Conflict):
        make_consultation(city_officer, phase="draft")


def test_questions_change_until_it_opens_and_not_after(city_officer: Officer) -> None:
    upcoming = make_consultation(city_officer, "upcoming-one", phase="upcoming")
    assert upcoming.phase() == Phase.UPCOMING
    assert len(manage.do_set_questions(city_officer, upcoming, QUESTIONS[:2])) == 2
    opened = make_consultation(city_officer, "open-one", phase="open")
    with pytest.raises(Conflict):
        manage.do_set_questions(city_officer, opened, QUESTIONS[:1])
    assert opened.questions.count() == 4


def test_officers_of_another_agency_may_not_manage_it(
    city_officer: Officer, make_officer: Any
) -> None:
    consultation = make_consultation(city_officer, phase="draft")
    stranger, _key = make_officer(agency_other())
    for act in (
        lambda: manage.do_publish(stranger, consultation),
        lambda: manage.do_set_questions(stranger, consultation, QUESTIONS),
        lambda: manage.do_edit(stranger, consultation, {"title_th": "ของฉัน"}),
    ):
        with pytest.raises(NotAllowed):
            act()


def test_publishing_needs_a_question_and_happens_once(city_officer: Officer) -> None:
    empty = make_consultation(city_officer, "empty", phase="draft", questions=[])
    with pytest.raises(InvalidInput):
        manage.do_publish(city_officer, empty)
    consultation = make_consultation(city_officer, phase="upcoming")
    assert consultation.state == State.OPEN and consultation.published_at is not None
    with pytest.raises(Conflict):
        manage.do_publish(city_officer, consultation)


def test_a_citizen_answers_once_and_a_second_answer_is_a_change(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)
    citizen = make_citizen()
    first, created = do_respond(citizen, consultation, full_answers(consultation), notify=True)
    assert created
    again, created = do_respond(
        citizen, consultation, full_answers(consultation, single=0), notify=False
    )
    assert not created and again.pk == first.pk
    assert Response.objects.filter(consultation=consultation).count() == 1
    single = consultation.questions.get(kind="single")
    assert Answer.objects.get(response=again, question=single).choices == [0]
    assert Response.objects.get(pk=first.pk).notify is False


def test_answers_are_checked_and_every_problem_is_named(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)
    qs = {q.kind: q.pk for q in consultation.questions.all()}
    bad = [
        {"question": qs["single"], "value": 7},
        {"question": qs["multiple"], "value": [1, 1]},
        {"question": qs["scale_1_5"], "value": 6},
        {"question": 999999, "value": 1},
    ]
    with pytest.raises(InvalidAnswers) as refused:
        do_respond(make_citizen(), consultation, bad, notify=False)
    reasons = [r["reason"] for r in refused.value.reasons]
    assert len(reasons) == 4, reasons
    assert any("1 to 5" in r for r in reasons)
    assert any("no such question" in r for r in reasons)
    assert Response.objects.count() == 0


def test_a_required_question_left_empty_is_refused_an_optional_one_is_not(
    city_officer: Officer,
) -> None:
    consultation = make_consultation(city_officer)
    answers = full_answers(consultation, free_text="")
    do_respond(make_citizen(), consultation, answers, notify=False)  # free text is optional
    without_scale = [a for a in answers if a["value"] != 4]
    with pytest.raises(InvalidAnswers) as refused:
        do_respond(make_citizen("b@example.org"), consultation, without_scale, notify=False)
    assert "required" in refused.value.reasons[0]["reason"]


@pytest.mark.parametrize("phase", ["upcoming", "past"])
def test_no_answer_before_it_opens_or_after_it_closes(city_officer: Officer, phase: str) -> None:
    consultation = make_consultation(city_officer, phase=phase)
    with pytest.raises(Conflict):
        do_respond(make_citizen(), consultation, full_answers(consultation), notify=False)


def test_results_are_hidden_until_the_close_then_counted(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)
    for n, (single, scale) in enumerate([(0, 5), (1, 4), (1, 2)]):
        answers = full_answers(consultation, single=single, scale_1_5=scale)
        do_respond(make_citizen(f"p{n}@example.org"), consultation, answers, notify=False)
    with pytest.raises(Conflict):
        results.results(consultation)
    consultation = manage.do_close_now(city_officer, consultation)
    data = results.results(consultation)
    assert data["responses"] == 3
    single, multiple, scale, text = data["questions"]
    assert [o["count"] for o in single["options"]] == [1, 2]
    assert [o["count"] for o in multiple["options"]] == [3, 0, 3]
    assert scale["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert scale["mean"] == pytest.approx(3.67)
    assert text["texts"] == ["เพิ่มไฟทางเดิน"] * 3


def test_free_text_in_the_results_is_masked(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)
    answers = full_answers(consultation, free_text="โทรหาผมที่ 081-234-5678 ได้เลย")
    do_respond(make_citizen(), consultation, answers, notify=False)
    consultation = manage.do_close_now(city_officer, consultation)
    [text] = results.results(consultation)["questions"][3]["texts"]
    assert "081-234-5678" not in text and "5678" not in text


def test_closing_by_date_is_stored_once_with_the_deadline(
    city_officer: Officer, pracha: Any
) -> None:
    pracha(proposal_answer_days=10)
    consultation = make_consultation(city_officer, phase="past")
    assert consultation.state == State.OPEN and consultation.phase() == Phase.CLOSED
    assert closing.close_due() == 1
    assert closing.close_due() == 0
    consultation.refresh_from_db()
    assert consultation.state == State.CLOSED
    assert consultation.changes_due_at == consultation.closes_at + timedelta(days=10)


def test_what_changed_is_due_and_overdue_until_published(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)
    with pytest.raises(Conflict):  # not before the close
        manage.do_publish_changes(city_officer, consultation, "เปลี่ยนแล้ว")
    consultation = manage.do_close_now(city_officer, consultation)
    assert not results.changes_overdue(consultation)
    later = consultation.changes_due_at + timedelta(days=1)
    assert results.changes_overdue(consultation, later)
    with pytest.raises(InvalidInput):
        manage.do_publish_changes(city_officer, consultation, "  ")
    manage.do_publish_changes(city_officer, consultation, "ขยายเวลาเปิดถึงสี่ทุ่ม", "Open to 10 pm")
    assert not results.changes_overdue(consultation, later)
    assert AuditEntry.objects.filter(action="consultation.changes_published").count() == 1


def test_closing_a_draft_or_twice_is_refused(city_officer: Officer) -> None:
    draft = make_consultation(city_officer, "a-draft", phase="draft")
    with pytest.raises(Conflict):
        manage.do_close_now(city_officer, draft)
    consultation = make_consultation(city_officer)
    consultation = manage.do_close_now(city_officer, consultation)
    with pytest.raises(Conflict):
        manage.do_close_now(city_officer, consultation)


def test_turnout_per_consultation_and_per_agency(city_officer: Officer, bma: Agency) -> None:
    one = make_consultation(city_officer, "one")
    make_consultation(city_officer, "two")
    make_consultation(city_officer, "hidden-draft", phase="draft")
    for n in range(3):
        do_respond(make_citizen(f"t{n}@example.org"), one, full_answers(one), notify=False)
    by_ref = {r["ref"]: r["responses"] for r in results.turnout_by_consultation()}
    assert by_ref == {"one": 3, "two": 0}
    [agency] = results.turnout_by_agency()
    assert agency["agency"] == bma.code
    assert (agency["consultations"], agency["responses"], agency["mean_responses"]) == (2, 3, 1.5)


def test_every_officer_action_is_in_the_audit_log(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)  # created, published
    manage.do_edit(city_officer, consultation, {"title_en": "Parks"})
    consultation = manage.do_close_now(city_officer, consultation)
    manage.do_publish_changes(city_officer, consultation, "ขยายเวลา")
    other = make_consultation(city_officer, "other", phase="draft")
    manage.do_set_questions(city_officer, other, QUESTIONS[:1])
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "consultation.created",
        "consultation.published",
        "consultation.edited",
        "consultation.closed",
        "consultation.changes_published",
        "consultation.questions_set",
    } <= actions
    entry = AuditEntry.objects.filter(action="consultation.closed").get()
    assert entry.actor_id == city_officer.user_id


def test_dates_move_before_the_opening_only_the_close_while_open(city_officer: Officer) -> None:
    consultation = make_consultation(city_officer)
    later = consultation.closes_at + timedelta(days=5)
    assert manage.do_edit(city_officer, consultation, {"closes_at": later}).closes_at == later
    with pytest.raises(Conflict):
        manage.do_edit(city_officer, consultation, {"opens_at": timezone.now()})
    with pytest.raises(InvalidInput):
        manage.do_edit(city_officer, consultation, {"closes_at": timezone.now() - timedelta(1)})
    closed = manage.do_close_now(city_officer, consultation)
    with pytest.raises(Conflict):
        manage.do_edit(city_officer, closed, {"title_th": "ใหม่"})


def test_the_answer_days_come_from_the_environment() -> None:
    env = {"SECRET_KEY": "x", "PRACHA_PROPOSAL_ANSWER_DAYS": "45"}
    assert Config.from_env(env).proposal_answer_days == 45
    assert Config.from_env({"SECRET_KEY": "x"}).proposal_answer_days == 30
