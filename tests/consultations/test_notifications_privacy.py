"""Respondents who asked are e-mailed through the outbox when a consultation closes and when
its agency publishes what changed; the others are not. A citizen's responses are in their
data export, and deleting the account removes or unlinks them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from pracha.agencies.models import Officer
from pracha.citizens.models import Citizen
from pracha.citizens.services.account import do_delete_account, do_set_notifications, items
from pracha.consultations.models import Answer, Response
from pracha.consultations.services import manage
from pracha.consultations.services.respond import do_respond
from pracha.notify.email import send_due_mail
from pracha.notify.models import Delivery, MailType
from pracha.privacy.accounts import export_citizen_data
from tests.consultations.support import full_answers, make_citizen, make_consultation


@pytest.fixture
def city(officer: tuple[Officer, str]) -> Officer:
    return officer[0]


def _answer(consultation: Any, email: str, notify: bool, language: str = "th") -> Citizen:
    citizen = make_citizen(email, language)
    do_respond(citizen, consultation, full_answers(consultation), notify=notify)
    return citizen


def test_respondents_who_asked_hear_of_the_close_and_of_the_changes(city: Officer) -> None:
    consultation = make_consultation(city)
    _answer(consultation, "wants@example.org", notify=True)
    _answer(consultation, "english@example.org", notify=True, language="en")
    _answer(consultation, "quiet@example.org", notify=False)
    manage.do_close_now(city, consultation)
    closed = Delivery.objects.filter(event_type=MailType.CONSULTATION_CLOSED)
    assert closed.count() == 2
    send_due_mail()
    assert sorted(m.to[0] for m in mail.outbox) == ["english@example.org", "wants@example.org"]
    english = next(m for m in mail.outbox if m.to == ["english@example.org"])
    assert "Park opening hours" in english.subject
    assert "/consultations/park-hours/" in english.body
    assert all(row.delivered_at for row in closed.all())
    mail.outbox.clear()
    manage.do_publish_changes(city, consultation, "ขยายเวลาเปิดถึงสี่ทุ่ม", "Open to 10 pm")
    send_due_mail()
    assert len(mail.outbox) == 2
    assert "Open to 10 pm" in next(m for m in mail.outbox if m.to == ["english@example.org"]).body
    manage.do_publish_changes(city, consultation, "แก้คำผิด", "A typo fixed")  # no news
    send_due_mail()
    assert len(mail.outbox) == 2


def test_a_consultation_past_its_date_closes_in_the_mail_pass(city: Officer) -> None:
    consultation = make_consultation(city, phase="past")
    # Answers stored before the date passed.
    Response.objects.create(consultation=consultation, citizen=make_citizen(), notify=True)
    send_due_mail()
    consultation.refresh_from_db()
    assert consultation.state == "closed"
    assert [m.to for m in mail.outbox] == [["somsri@example.org"]]


def test_no_mail_to_whoever_switched_email_off(city: Officer) -> None:
    consultation = make_consultation(city)
    citizen = _answer(consultation, "off@example.org", notify=True)
    do_set_notifications(citizen, {"email": False})
    manage.do_close_now(city, consultation)
    send_due_mail()
    assert mail.outbox == []


def test_the_close_due_command(city: Officer) -> None:
    make_consultation(city, phase="past")
    out = io.StringIO()
    call_command("consultations", "close-due", stdout=out)
    assert "closed 1" in out.getvalue()


def test_responses_are_in_the_citizens_export(city: Officer) -> None:
    consultation = make_consultation(city)
    citizen = _answer(consultation, "me@example.org", notify=True)
    export = export_citizen_data(citizen)
    held = export["held_elsewhere"]["pracha.consultations.services.privacy"]
    assert "park-hours" in str(held) and "เพิ่มไฟทางเดิน" in str(held)


def test_answered_consultations_are_listed_in_my_pracha(city: Officer) -> None:
    consultation = make_consultation(city)
    citizen = _answer(consultation, "me@example.org", notify=False)
    [row] = items(citizen)["consultations"]
    assert (row["ref"], row["state"], row["url"]) == (
        "park-hours",
        "open",
        "/consultations/park-hours/",
    )
    assert "consultations" not in items(make_citizen("other@example.org"))


def test_deleting_the_account_removes_open_responses_and_unlinks_closed_ones(
    city: Officer,
) -> None:
    still_open = make_consultation(city, "still-open")
    ended = make_consultation(city, "ended")
    citizen = make_citizen("leaving@example.org")
    do_respond(citizen, still_open, full_answers(still_open), notify=True)
    do_respond(citizen, ended, full_answers(ended), notify=True)
    manage.do_close_now(city, ended)
    do_delete_account(citizen)
    assert not Response.objects.filter(consultation=still_open).exists()
    [kept] = Response.objects.filter(consultation=ended)
    assert kept.citizen_id is None and kept.notify is False
    assert not Answer.objects.filter(response=kept).exclude(text="").exists()
    assert Answer.objects.filter(response=kept).count() == 3  # the choices still count
