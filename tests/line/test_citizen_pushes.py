"""LINE "when linked" for citizens' own news (issues 17 and 18): the author and followers of a
proposal hear of its steps on LINE, and a journey's citizen of steps open and coming due, as
a short text with the page's link, besides the e-mail. Without a LINE channel only e-mail;
with LINE notifications off nothing on LINE. Pushed through the outbox to the fake LINE API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from pracha.agencies.models import Officer
from pracha.citizens.models import Channel, ChannelKind, Citizen
from pracha.citizens.services.account import do_link_channel, do_set_notifications
from pracha.lifeevents.models import Journey
from pracha.lifeevents.services.journeys import add_months, do_start_journey, do_submit_step
from pracha.lifeevents.services.reminders import do_send_reminders
from pracha.notify import line_push
from pracha.notify.email import send_due_mail
from pracha.notify.models import Delivery, LineType
from pracha.proposals.services.answers import AnswerInput, do_answer
from pracha.proposals.services.supports import do_follow
from tests.factories import make_agency, make_officer
from tests.lifeevents.support import FACTS, days_ago, life_events
from tests.line.chat import Chat
from tests.proposals.support import make_citizen, routed_to

__all__ = ["life_events"]
USER = "U" + "a" * 32


@pytest.fixture(autouse=True)
def _small_threshold(pracha: Callable[..., None], db: None) -> None:
    pracha(proposal_threshold=3, proposal_window_days=90, proposal_answer_days=30)


def answered(author: Citizen) -> tuple[str, Officer]:
    drains = make_agency("drains")
    officer, _key = make_officer(drains)
    proposal = routed_to(drains, author=author)
    line_push.send_due()  # the threshold's push, if any, out of the way
    do_answer(officer, proposal, AnswerInput("accepted", body="เราจะติดตั้งไฟเพิ่ม 20 ดวง"))
    return proposal.ref, officer


def test_the_author_with_line_hears_the_answer_in_their_language(chat: Chat) -> None:
    author, _ = make_citizen("author@example.org", language="en")
    do_link_channel(author, ChannelKind.LINE, USER)
    ref, _officer = answered(author)
    assert Delivery.objects.filter(event_type=LineType.PROPOSAL, ticket_id=ref).exists()
    assert line_push.send_due().delivered == 1
    push = chat.fake.last_to(USER)
    assert ref in push.text and f"/proposals/{ref}/" in push.text
    assert "answer" in push.text.lower()
    assert line_push.send_due().delivered == 0  # sent once
    send_due_mail()
    assert "author@example.org" in {a for m in mail.outbox for a in m.to}  # and the e-mail


def test_a_follower_with_line_hears_too(chat: Chat) -> None:
    author, _ = make_citizen()
    follower, _ = make_citizen()
    do_link_channel(follower, ChannelKind.LINE, USER)
    drains = make_agency("drains")
    officer, _key = make_officer(drains)
    proposal = routed_to(drains, author=author)
    do_follow(follower, proposal)
    do_answer(officer, proposal, AnswerInput("accepted", body="เราจะติดตั้งไฟเพิ่ม 20 ดวง"))
    line_push.send_due()
    [push] = chat.fake.to(USER)
    assert proposal.ref in push.text and "/proposals/" in push.text


def test_without_line_only_e_mail(chat: Chat) -> None:
    author, _ = make_citizen("plain@example.org")
    mail.outbox.clear()
    answered(author)
    line_push.send_due()
    assert chat.fake.sent("push") == []
    assert not Delivery.objects.filter(event_type=LineType.PROPOSAL).exists()
    send_due_mail()
    assert "plain@example.org" in {a for m in mail.outbox for a in m.to}


def test_with_line_notifications_off_nothing_on_line(chat: Chat) -> None:
    author, _ = make_citizen()
    do_link_channel(author, ChannelKind.LINE, USER)
    do_set_notifications(author, {"line": False})
    answered(author)
    line_push.send_due()
    assert chat.fake.to(USER) == []


def test_line_switched_off_after_the_row_was_written_sends_nothing(chat: Chat) -> None:
    author, _ = make_citizen()
    do_link_channel(author, ChannelKind.LINE, USER)
    answered(author)  # the threshold's push went out; the answer's waits
    before = len(chat.fake.to(USER))
    do_set_notifications(author, {"line": False})
    line_push.send_due()
    assert len(chat.fake.to(USER)) == before


def parent(
    line: bool,
    *,
    line_on: bool = True,
    language: str = "th",
    user: str = USER,
    email: str = "mali@example.org",
) -> Citizen:
    citizen = Citizen.objects.create(language=language)
    Channel.objects.create(citizen=citizen, kind=ChannelKind.EMAIL, address=email)
    if line:
        do_link_channel(citizen, ChannelKind.LINE, user)
    if not line_on:
        do_set_notifications(citizen, {"line": False})
    return citizen


def remind(journey: Journey) -> list[Any]:
    return do_send_reminders(add_months(journey.anchor_date, 2))


def test_a_journey_reminder_is_pushed_on_line(chat: Chat, life_events: None) -> None:
    journey = do_start_journey(parent(True, language="en"), "birth", days_ago(10), FACTS)
    sent = [d for d in remind(journey) if d.step.code == "vaccine-2-months"]
    assert sent
    assert line_push.send_due().delivered >= 1
    texts = [c.text for c in chat.fake.to(USER)]
    assert any(f"/me/journeys/{journey.pk}/" in t and "due" in t.lower() for t in texts), texts
    send_due_mail()
    assert any("mali@example.org" in m.to for m in mail.outbox)


def test_a_step_newly_open_is_pushed_on_line(
    chat: Chat, life_events: None, django_capture_on_commit_callbacks: Any
) -> None:
    journey = do_start_journey(parent(True, language="en"), "birth", days_ago(2), FACTS)
    line_push.send_due()
    before = len(chat.fake.to(USER))
    with django_capture_on_commit_callbacks(execute=True):
        do_submit_step(journey, "birth-certificate", {"birth_certificate_no": "TR-1"})
    line_push.send_due()
    texts = [c.text for c in chat.fake.to(USER)[before:]]
    assert any("is open" in t and "Register the birth" in t for t in texts), texts


def test_a_journey_without_line_or_with_line_off_is_only_e_mailed(
    chat: Chat, life_events: None
) -> None:
    for citizen in (
        parent(False),
        parent(True, line_on=False, user="U" + "b" * 32, email="b@example.org"),
    ):
        journey = do_start_journey(citizen, "birth", days_ago(10), FACTS)
        assert remind(journey)
    assert not Delivery.objects.filter(event_type=LineType.JOURNEY).exists()
    line_push.send_due()
    assert chat.fake.sent("push") == []
    mail.outbox.clear()
    send_due_mail()
    assert mail.outbox


def test_a_push_after_the_journey_was_erased_is_dropped(chat: Chat, life_events: None) -> None:
    journey = do_start_journey(parent(True), "birth", days_ago(10), FACTS)
    remind(journey)
    Journey.objects.filter(pk=journey.pk).delete()
    assert line_push.send_due().delivered >= 1  # done: nothing left to say
    assert chat.fake.to(USER) == []
