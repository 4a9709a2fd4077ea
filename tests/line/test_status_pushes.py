"""Status pushes: a LINE reporter hears of every public change of their case through notify's
outbox; 429 waits and retries with the same retry key; unfollow stops them; a closed case
can be rated or reopened from the chat."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.actors import Actor
from pracha.cases.models import Case, Photo
from pracha.cases.services.photos import do_add_photo
from pracha.cases.services.workflow import do_accept, do_close, do_forward
from pracha.notify.line_push import send_due
from pracha.notify.models import Channel, Delivery
from pracha.states import State
from pracha.triage.merging import do_merge
from tests.factories import make_agency
from tests.helpers import image_bytes
from tests.line.chat import Chat
from tests.line.fake_line import FakeLine

ANNA = "Uaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
BEN = "Ubbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"


def filed(chat: Chat, user: str = ANNA, words: str = "ไฟดับทั้งซอย") -> Case:
    chat.send(chat.text(user, words), chat.location(user), chat.postback(user, "action=no_photo"))
    chat.send(chat.postback(user, "action=confirm"))
    return Case.objects.get(description=words)


def close(case: Case, officer: Officer, *, after_photo: bool = False) -> None:
    do_accept(case, officer)
    photo = None
    if after_photo:
        data = image_bytes(size=(40, 40))
        photo = do_add_photo(
            case,
            io.BytesIO(data),
            len(data),
            kind=Photo.Kind.AFTER,
            actor=Actor.for_officer(officer),
        )
    do_close(case, officer, State.DONE, "fixed", photo=photo)


def pushes(fake: FakeLine, user: str) -> list[str]:
    return [c.text for c in fake.to(user) if c.path == "/v2/bot/message/push"]


def test_an_officer_accepting_is_pushed_to_the_reporter(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    do_accept(case, officer[0])
    assert Delivery.objects.on(Channel.LINE).count() == 1
    assert send_due().delivered == 1
    (push,) = pushes(fake_line, ANNA)
    assert case.ticket_id in push and "รับเรื่อง" in push
    assert send_due().delivered == 0  # sent once


def test_pushes_are_in_the_reporters_language(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    fake_line.languages[BEN] = "en"
    case = filed(chat, BEN, "Street light out")
    works = make_agency("works", "สำนักการโยธา", name_en="Public Works")
    do_forward(case, officer[0], works, "their street lights")
    send_due()
    (push,) = pushes(fake_line, BEN)
    assert "forwarded to Public Works" in push


def test_a_429_waits_and_the_retry_reuses_the_retry_key(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    do_accept(case, officer[0])
    fake_line.fail("/v2/bot/message/push", 429, Retry_After="30")
    now = timezone.now()
    result = send_due(now=now)
    assert result.delivered == 0 and result.failed == 1
    row = Delivery.objects.on(Channel.LINE).get()
    assert row.last_status == 429 and row.next_attempt_at >= now + timedelta(seconds=30)
    assert send_due(now=now + timedelta(seconds=5)).attempted == 0  # still waiting
    assert send_due(now=now + timedelta(seconds=31)).delivered == 1
    tries = [c for c in fake_line.calls if c.path == "/v2/bot/message/push"]
    assert len(tries) == 2
    assert tries[0].headers["x-line-retry-key"] == tries[1].headers["x-line-retry-key"]
    assert len(pushes(fake_line, ANNA)) == 1


def test_a_server_error_is_retried_and_shown_once(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    do_accept(case, officer[0])
    fake_line.fail("/v2/bot/message/push", 500)
    now = timezone.now()
    assert send_due(now=now).failed == 1
    assert send_due(now=now + timedelta(hours=1)).delivered == 1
    assert len(pushes(fake_line, ANNA)) == 1


def test_an_unfollowed_user_gets_no_more_pushes(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    chat.send(chat.unfollow(ANNA))
    do_accept(case, officer[0])
    send_due()
    assert pushes(fake_line, ANNA) == []
    chat.send(chat.follow(ANNA))  # unblocked: news again
    do_close(case, officer[0], State.DONE, "fixed")
    send_due()
    assert len(pushes(fake_line, ANNA)) == 1


def test_a_closed_case_is_rated_from_the_chat(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    close(case, officer[0], after_photo=True)
    send_due()
    closing = [c for c in fake_line.to(ANNA) if c.path == "/v2/bot/message/push"][-1]
    assert "ปิดเรื่องแล้ว" in closing.text and "รูปหลังแก้ไข" in closing.text
    buttons = closing.quick_data()
    assert f"action=rate&ticket={case.ticket_id}&stars=5" in buttons
    assert f"action=reopen&ticket={case.ticket_id}" in buttons
    chat.send(chat.postback(ANNA, f"action=rate&ticket={case.ticket_id}&stars=4"))
    case.refresh_from_db()
    assert case.stars == 4
    assert "4" in fake_line.last_to(ANNA).text
    chat.send(chat.postback(ANNA, f"action=rate&ticket={case.ticket_id}&stars=5"))
    case.refresh_from_db()
    assert case.stars == 4  # once per closing
    assert "ทำไม่ได้" in fake_line.last_to(ANNA).text


def test_not_fixed_reopens_from_the_chat(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    close(case, officer[0])
    chat.send(chat.postback(ANNA, f"action=reopen&ticket={case.ticket_id}"))
    case.refresh_from_db()
    assert case.state == State.WAITING and case.reopen_count == 1
    assert case.ticket_id in fake_line.last_to(ANNA).text


def test_someone_else_cannot_rate_or_reopen_a_case(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str]
) -> None:
    case = filed(chat)
    close(case, officer[0])
    chat.send(chat.postback(BEN, f"action=reopen&ticket={case.ticket_id}"))
    chat.send(chat.postback(BEN, f"action=rate&ticket={case.ticket_id}&stars=1"))
    case.refresh_from_db()
    assert case.state == State.DONE and case.stars is None


def test_a_merged_reporter_hears_where_their_case_went(
    chat: Chat, fake_line: FakeLine, officer: tuple[Officer, str], bma: Agency
) -> None:
    original = filed(chat, ANNA, "ไฟดับทั้งซอย")
    duplicate = filed(chat, BEN, "ไฟดับหน้าบ้าน")
    do_merge(duplicate, officer[0], original)
    send_due()
    (push,) = pushes(fake_line, BEN)
    assert original.ticket_id in push
    do_accept(original, officer[0])
    send_due()
    assert len(pushes(fake_line, BEN)) == 2  # follows the original now
    assert len(pushes(fake_line, ANNA)) == 1
