"""LINE for citizens' own news beyond their reports: proposals they wrote or follow, and their
life-event journeys ("e-mail; LINE when linked", issues 17 and 18).

A citizen hears on LINE when they have a verified LINE channel (they signed in with LINE or
linked it) and LINE notifications on. The rows wait in the one outbox beside the status pushes
(pracha.notify.line_push sends them, with the same retries and 429 handling); each is a short
text in the citizen's language with the link to the page. The words are notify's own: these
are plain texts, not the chat's cards.
"""

from __future__ import annotations

from linebot.v3.messaging import TextMessage

from pracha.citizens.models import Channel as CitizenChannel
from pracha.citizens.models import ChannelKind, Citizen
from pracha.citizens.services.account import notification_settings
from pracha.notify import line_api

MAX_TEXT = 5000  # LINE's limit for one text message


def line_user(citizen: Citizen) -> str:
    """The LINE user id to push `citizen`'s news to, or "" (no LINE, or LINE switched off, or
    no LINE channel configured for Pracha)."""
    if not line_api.configured() or not notification_settings(citizen)[ChannelKind.LINE]:
        return ""
    channel = CitizenChannel.objects.filter(citizen=citizen, kind=ChannelKind.LINE).first()
    return channel.address if channel else ""


def text_message(text: str) -> TextMessage:
    return TextMessage(text=text[:MAX_TEXT], quick_reply=None)
