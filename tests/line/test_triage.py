"""The chat files through the same intake as the API: the categories triage suggests are
shown before confirming, and a nearby open case that reads alike is offered for "me too"."""

from __future__ import annotations

import pytest

from pracha.cases.models import Case
from tests.factories import make_case
from tests.line.chat import Chat
from tests.line.fake_line import FakeLine
from tests.triage.support import BANG_RAK

ANNA = "Uaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
pytestmark = pytest.mark.usefixtures("triage_on_intake", "model")


def test_the_summary_shows_the_suggested_category(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับทั้งซอย"), chat.location(ANNA, **BANG_RAK))
    chat.send(chat.postback(ANNA, "action=no_photo"))
    summary = fake_line.last_to(ANNA)
    assert "action=confirm" in summary.quick_data()
    assert "ไฟฟ้า" in summary.text or "แสงสว่าง" in summary.text


def test_a_likely_duplicate_is_offered_for_me_too(chat: Chat, fake_line: FakeLine) -> None:
    earlier = make_case("ไฟดับทั้งซอย มืดมาก", **BANG_RAK)
    chat.send(chat.text(ANNA, "ไฟดับทั้งซอย"), chat.location(ANNA, **BANG_RAK))
    chat.send(chat.postback(ANNA, "action=no_photo"), chat.postback(ANNA, "action=confirm"))
    answer = fake_line.last_to(ANNA)
    mine = Case.objects.exclude(pk=earlier.pk).get()
    assert mine.ticket_id in answer.text
    assert earlier.ticket_id in answer.text
    assert " ม. " in answer.text  # how far it is
    assert f"action=metoo&ticket={earlier.ticket_id}" in answer.quick_data()
    chat.send(chat.postback(ANNA, f"action=metoo&ticket={earlier.ticket_id}"))
    earlier.refresh_from_db()
    assert earlier.me_too_count == 1
    chat.send(chat.postback(ANNA, f"action=metoo&ticket={earlier.ticket_id}"))
    earlier.refresh_from_db()
    assert earlier.me_too_count == 1  # once per person


def test_a_place_outside_thailand_is_asked_for_again(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.location(ANNA, 35.68, 139.69))  # Tokyo
    chat.send(chat.postback(ANNA, "action=no_photo"))
    answer = fake_line.last_to(ANNA)
    assert "location" in answer.quick_data()
    chat.send(chat.postback(ANNA, "action=confirm"))
    assert not Case.objects.exists()
