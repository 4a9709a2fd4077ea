"""The chat's messages as linebot.v3 objects: text with quick-reply buttons.

Postback data is a query string (`action=confirm`, `action=rate&ticket=...&stars=4`): the
conversation reads it back with `postback_fields`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from linebot.v3.messaging import (
    CameraAction,
    CameraRollAction,
    LocationAction,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from pracha.line.words import say

MAX_TEXT = 5000  # LINE refuses longer texts (the SDK does not check)
MAX_LABEL = 20


def public_url(ticket_id: str) -> str:
    """The case's public page, for the chat (an absolute address)."""
    try:
        path = reverse("ticket", kwargs={"ticket_id": ticket_id})
    except NoReverseMatch:
        path = f"/t/{ticket_id}/"
    return settings.PRACHA.base_url + path


def postback(label: str, **data: object) -> QuickReplyItem:
    return QuickReplyItem(
        action=PostbackAction(
            label=label[:MAX_LABEL], data=urlencode(data), display_text=label[:MAX_LABEL]
        )
    )


def postback_fields(data: str) -> dict[str, str]:
    return dict(parse_qsl(data or "", keep_blank_values=True))


def text(body: str, buttons: list[QuickReplyItem] | None = None) -> TextMessage:
    quick = QuickReply(items=buttons[:13]) if buttons else None
    return TextMessage(text=body[:MAX_TEXT], quick_reply=quick)


def cancel_button(language: str) -> QuickReplyItem:
    return postback(say("btn_cancel", language), action="cancel")


def location_buttons(language: str) -> list[QuickReplyItem]:
    return [
        QuickReplyItem(action=LocationAction(label=say("btn_location", language))),
        cancel_button(language),
    ]


def photo_buttons(language: str) -> list[QuickReplyItem]:
    return [
        QuickReplyItem(action=CameraAction(label=say("btn_camera", language))),
        QuickReplyItem(action=CameraRollAction(label=say("btn_roll", language))),
        postback(say("btn_no_photo", language), action="no_photo"),
        cancel_button(language),
    ]


def confirm_buttons(language: str) -> list[QuickReplyItem]:
    return [postback(say("btn_confirm", language), action="confirm"), cancel_button(language)]


def rating_buttons(ticket_id: str, language: str) -> list[QuickReplyItem]:
    stars = [postback("★" * n, action="rate", ticket=ticket_id, stars=n) for n in range(1, 6)]
    return [*stars, postback(say("btn_not_fixed", language), action="reopen", ticket=ticket_id)]


def as_dicts(messages: list[Message]) -> list[dict[str, Any]]:
    return [m.to_dict() for m in messages]


def from_dicts(stored: list[dict[str, Any]]) -> list[Message]:
    return [Message.from_dict(d) for d in stored]
