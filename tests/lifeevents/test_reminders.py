"""`pracha life-events remind`: steps coming due and overdue, once per step and stage, in the
citizen's language; and the proactive e-mail when a step becomes open. The vaccination
schedule is the acid test. Days are given explicitly: nothing depends on today's hour."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from pracha.citizens.models import Channel, ChannelKind, Citizen
from pracha.lifeevents.models import Journey, StepReminder
from pracha.lifeevents.services.journeys import add_months, do_start_journey, do_submit_step
from pracha.lifeevents.services.reminders import do_send_reminders
from pracha.notify.email import send_due_mail
from tests.lifeevents.support import FACTS, days_ago


def parent(language: str = "th", email: str = "mali@example.org") -> Citizen:
    citizen = Citizen.objects.create(language=language)
    Channel.objects.create(citizen=citizen, kind=ChannelKind.EMAIL, address=email)
    return citizen


def stages(sent: list[Any], code: str) -> list[str]:
    return [d.stage for d in sent if d.step.code == code]


@pytest.fixture
def journey(life_events: None) -> Journey:
    return do_start_journey(parent(), "birth", days_ago(10), FACTS)


def test_the_two_month_vaccines_are_reminded_a_week_before_on_the_day_and_when_late(
    journey: Journey,
) -> None:
    due = add_months(journey.anchor_date, 2)
    assert stages(do_send_reminders(due - timedelta(days=8)), "vaccine-2-months") == []
    assert stages(do_send_reminders(due - timedelta(days=7)), "vaccine-2-months") == ["before-7"]
    assert stages(do_send_reminders(due - timedelta(days=5)), "vaccine-2-months") == []
    assert stages(do_send_reminders(due), "vaccine-2-months") == ["before-0"]
    assert stages(do_send_reminders(due + timedelta(days=29)), "vaccine-2-months") == []
    assert stages(do_send_reminders(due + timedelta(days=30)), "vaccine-2-months") == ["overdue-30"]
    assert stages(do_send_reminders(due + timedelta(days=60)), "vaccine-2-months") == []
    assert StepReminder.objects.filter(step__code="vaccine-2-months").count() == 3


def test_a_step_done_is_not_reminded(journey: Journey) -> None:
    do_submit_step(journey, "vaccine-birth")
    do_submit_step(journey, "vaccine-2-months")
    due = add_months(journey.anchor_date, 2)
    assert stages(do_send_reminders(due), "vaccine-2-months") == []


def test_a_missed_run_sends_only_the_most_urgent_stage(journey: Journey) -> None:
    due = journey.anchor_date + timedelta(days=15)  # the birth registration
    assert stages(do_send_reminders(due - timedelta(days=1)), "birth-registration") == ["before-2"]
    assert stages(do_send_reminders(due + timedelta(days=3)), "birth-registration") == ["overdue-1"]


def test_reminders_are_e_mailed_in_the_citizen_language(
    life_events: None, django_capture_on_commit_callbacks: Any
) -> None:
    thai = do_start_journey(parent("th", "th@example.org"), "birth", days_ago(10), FACTS)
    english = do_start_journey(parent("en", "en@example.org"), "birth", days_ago(10), FACTS)
    due = add_months(thai.anchor_date, 2)
    mail.outbox.clear()
    do_send_reminders(due - timedelta(days=7))
    send_due_mail()
    by_address = {m.to[0]: m for m in mail.outbox if "2" in m.subject}
    assert "Vaccines at 2 months" in by_address["en@example.org"].subject
    assert "วัคซีนอายุ 2 เดือน" in by_address["th@example.org"].subject
    assert f"/me/journeys/{english.pk}/" in by_address["en@example.org"].body
    assert "Health Department (BMA)" in by_address["en@example.org"].body
    count = len(mail.outbox)
    do_send_reminders(due - timedelta(days=7))
    send_due_mail()
    assert len(mail.outbox) == count  # once per step and stage


def test_a_step_newly_open_is_e_mailed(
    life_events: None, django_capture_on_commit_callbacks: Any
) -> None:
    journey = do_start_journey(parent("en"), "birth", days_ago(2), FACTS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        do_submit_step(journey, "birth-certificate", {"birth_certificate_no": "TR-1"})
    send_due_mail()
    subjects = [m.subject for m in mail.outbox]
    assert any("is open" in s and "Register the birth" in s for s in subjects), subjects


def test_no_e_mail_address_no_message_but_the_reminder_is_recorded(life_events: None) -> None:
    journey = do_start_journey(Citizen.objects.create(), "birth", days_ago(10), FACTS)
    due = add_months(journey.anchor_date, 2)
    mail.outbox.clear()
    assert stages(do_send_reminders(due), "vaccine-2-months") == ["before-0"]
    send_due_mail()
    assert mail.outbox == []


def test_the_command_prints_what_it_sent(journey: Journey) -> None:
    out = StringIO()
    due = add_months(journey.anchor_date, 2)
    call_command("life_events", "remind", day=due.isoformat(), stdout=out)
    assert f"journey {journey.pk} vaccine-2-months: before-0" in out.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("life_events", "remind", day="2024-13-01")
