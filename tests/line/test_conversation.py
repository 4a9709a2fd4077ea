"""The conversation: a report put together in any order, confirmed, filed through intake;
cancel, expiry, help, "my reports", photos that fail, two users at once."""

from __future__ import annotations

import random
from datetime import timedelta

from pracha.cases.models import Case
from pracha.citizens.models import Channel, ChannelKind
from pracha.line.models import Conversation, DraftPhoto, InboxEvent
from pracha.line.services.inbox import process_pending
from tests.helpers import image_bytes
from tests.line.chat import Chat
from tests.line.fake_line import FakeLine

ANNA = "Uaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
BEN = "Ubbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"


def report(chat: Chat, user: str, words: str = "ไฟดับทั้งซอย") -> None:
    chat.send(chat.text(user, words))
    chat.send(chat.location(user))
    chat.send(chat.image(user, image_bytes()))


def test_a_report_is_filed_on_confirm_with_its_ticket_in_the_reply(
    chat: Chat, fake_line: FakeLine
) -> None:
    report(chat, ANNA)
    summary = fake_line.last_to(ANNA)
    assert "action=confirm" in summary.quick_data()
    assert "action=cancel" in summary.quick_data()
    assert "ไฟดับทั้งซอย" in summary.text
    assert not Case.objects.exists()

    chat.send(chat.postback(ANNA, "action=confirm"))
    case = Case.objects.get()
    assert case.source == Case.Source.LINE
    assert case.lat == 13.7563 and "Sao Chingcha" in case.address
    assert case.photos.count() == 1
    channel = Channel.objects.get(kind=ChannelKind.LINE, address=ANNA)
    assert case.citizen_id == channel.citizen_id  # /me/ lists it
    answer = fake_line.last_to(ANNA)
    assert case.ticket_id in answer.text
    assert f"/t/{case.ticket_id}/" in answer.text
    assert not DraftPhoto.objects.exists()  # the draft is gone once filed


def test_confirm_twice_files_one_case(chat: Chat, fake_line: FakeLine) -> None:
    report(chat, ANNA)
    chat.send(chat.postback(ANNA, "action=confirm"))
    chat.send(chat.postback(ANNA, "action=confirm"))
    assert Case.objects.count() == 1
    assert "There is nothing" in fake_line.last_to(ANNA).text or "ยังไม่มี" in (
        fake_line.last_to(ANNA).text
    )


def test_the_bot_asks_for_what_is_missing(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.location(ANNA))
    assert "เล่า" in fake_line.last_to(ANNA).text  # asks what the problem is
    chat.send(chat.text(ANNA, "ขยะล้น"))
    photo_ask = fake_line.last_to(ANNA)
    assert "action=no_photo" in photo_ask.quick_data()
    assert "camera" in photo_ask.quick_data()
    chat.send(chat.postback(ANNA, "action=no_photo"))
    assert "action=confirm" in fake_line.last_to(ANNA).quick_data()
    chat.send(chat.text(ANNA, "ยืนยัน"))
    assert Case.objects.get().photos.count() == 0


def test_english_speakers_are_answered_in_english(chat: Chat, fake_line: FakeLine) -> None:
    fake_line.languages[BEN] = "en"
    chat.send(chat.text(BEN, "Broken street light"))
    assert "Where is it?" in fake_line.last_to(BEN).text
    assert Conversation.objects.get(user_id=BEN).citizen.language == "en"


def test_events_out_of_order_make_the_same_report(chat: Chat, fake_line: FakeLine) -> None:
    events = [
        chat.text(ANNA, "ท่อระบายน้ำอุดตัน"),
        chat.image(ANNA, image_bytes()),
        chat.location(ANNA),
        chat.image(ANNA, image_bytes(size=(30, 30))),
    ]
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    chat.send(*shuffled[:2])  # one delivery: handled in the order they happened
    for event in reversed(shuffled[2:]):  # later deliveries, newest first
        chat.send(event)
    conversation = Conversation.objects.get(user_id=ANNA)
    assert conversation.description == "ท่อระบายน้ำอุดตัน"
    assert conversation.lat is not None and conversation.photos.count() == 2
    chat.send(chat.postback(ANNA, "action=confirm"))
    assert Case.objects.get().photos.count() == 2


def test_two_users_at_once_keep_their_own_reports(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.text(BEN, "ถนนเป็นหลุม"))
    chat.send(chat.location(BEN, 13.73, 100.53), chat.location(ANNA))
    chat.send(chat.postback(BEN, "action=no_photo"), chat.postback(ANNA, "action=no_photo"))
    chat.send(chat.postback(ANNA, "action=confirm"), chat.postback(BEN, "action=confirm"))
    anna = Case.objects.get(description="ไฟดับ")
    ben = Case.objects.get(description="ถนนเป็นหลุม")
    assert anna.citizen != ben.citizen
    assert anna.ticket_id in fake_line.last_to(ANNA).text
    assert ben.ticket_id in fake_line.last_to(BEN).text
    assert ben.lat == 13.73


def test_a_photo_that_cannot_be_fetched_is_retried_then_the_user_is_told(
    chat: Chat, fake_line: FakeLine
) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.location(ANNA))
    fake_line.fail("/v2/bot/message/img", 500, 500, 500)
    chat.send(chat.image(ANNA, image_bytes()))
    downloads = [c for c in fake_line.calls if c.path.endswith("/content")]
    assert len(downloads) == 3
    told = fake_line.last_to(ANNA)
    assert "รับรูปไม่สำเร็จ" in told.text
    assert "action=no_photo" in told.quick_data()  # the report goes on
    chat.send(chat.postback(ANNA, "action=no_photo"), chat.postback(ANNA, "action=confirm"))
    assert Case.objects.get().description == "ไฟดับ"


def test_a_download_that_succeeds_on_a_retry_is_used(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.location(ANNA))
    fake_line.fail("/v2/bot/message/img", 503)
    chat.send(chat.image(ANNA, image_bytes()))
    assert DraftPhoto.objects.count() == 1


def test_what_is_not_an_image_is_refused_like_an_upload(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.location(ANNA))
    chat.send(chat.image(ANNA, b"GIF89a but not really", "image/gif"))
    assert "readable image" in fake_line.last_to(ANNA).text
    assert not DraftPhoto.objects.exists()


def test_at_most_three_photos(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"), chat.location(ANNA))
    for _ in range(4):
        chat.send(chat.image(ANNA, image_bytes()))
    assert DraftPhoto.objects.count() == 3
    assert "3" in fake_line.last_to(ANNA).text


def test_cancel_works_at_every_step(chat: Chat, fake_line: FakeLine) -> None:
    steps = [
        lambda: chat.text(ANNA, "ไฟดับ"),
        lambda: chat.location(ANNA),
        lambda: chat.image(ANNA, image_bytes()),
    ]
    for upto in range(1, len(steps) + 1):
        for step in steps[:upto]:
            chat.send(step())
        chat.send(chat.text(ANNA, "ยกเลิก") if upto % 2 else chat.postback(ANNA, "action=cancel"))
        assert "ยกเลิกแล้ว" in fake_line.last_to(ANNA).text
        conversation = Conversation.objects.get(user_id=ANNA)
        assert not conversation.has_draft and conversation.lat is None
        assert not DraftPhoto.objects.exists()
    chat.send(chat.postback(ANNA, "action=confirm"))
    assert not Case.objects.exists()


def test_an_event_older_than_a_cancel_does_not_reopen_the_draft(chat: Chat) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"))
    late = chat.location(ANNA)
    chat.send(chat.text(ANNA, "cancel"))
    chat.send(late)  # sent before the cancel, delivered after it
    assert not Conversation.objects.get(user_id=ANNA).has_draft


def test_a_half_way_report_expires_with_a_friendly_word(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"))
    conversation = Conversation.objects.get(user_id=ANNA)
    Conversation.objects.filter(pk=conversation.pk).update(
        updated_at=conversation.updated_at - timedelta(hours=2)
    )
    process_pending()  # the worker's pass
    told = fake_line.last_to(ANNA)
    assert told.path == "/v2/bot/message/push" and "หมดเวลา" in told.text
    assert not Conversation.objects.get(user_id=ANNA).has_draft
    assert told.headers["x-line-retry-key"]


def test_an_expired_draft_is_noticed_when_the_user_comes_back(
    chat: Chat, fake_line: FakeLine
) -> None:
    chat.send(chat.text(ANNA, "ไฟดับ"))
    chat.clock_ms += 3 * 3600 * 1000  # three hours later, before any worker pass
    chat.send(chat.location(ANNA))
    answer = fake_line.last_to(ANNA)
    assert "หมดเวลา" in answer.text
    assert "เล่า" in answer.text  # the new draft has a place, and needs words
    assert Conversation.objects.get(user_id=ANNA).description == ""


def test_stickers_get_a_short_help(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.sticker(ANNA))
    assert "รายงานของฉัน" in fake_line.last_to(ANNA).text
    assert not Conversation.objects.get(user_id=ANNA).has_draft


def test_my_reports_lists_open_reports_with_their_state(chat: Chat, fake_line: FakeLine) -> None:
    chat.send(chat.text(ANNA, "my reports"))
    assert "ยังไม่มี" in fake_line.last_to(ANNA).text
    report(chat, ANNA)
    chat.send(chat.postback(ANNA, "action=confirm"))
    case = Case.objects.get()
    chat.send(chat.postback(ANNA, "action=my_reports"))  # the rich menu's button
    listed = fake_line.last_to(ANNA).text
    assert case.ticket_id in listed and "รอรับเรื่อง" in listed
    chat.send(chat.text(BEN, "รายงานของฉัน"))
    assert case.ticket_id not in fake_line.last_to(BEN).text


def test_every_event_is_marked_handled(chat: Chat) -> None:
    report(chat, ANNA)
    assert not InboxEvent.objects.filter(processed_at__isnull=True).exists()
