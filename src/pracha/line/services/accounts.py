"""A LINE user is one more verified way into a citizen account (citizens.Channel of kind
`line`): LINE vouches for the user id, so the first message makes or finds the account, and
the reports filed from the chat show on /me/ once the person signs in and links it."""

from __future__ import annotations

import logging

from django.db import transaction

from pracha.audit.log import audit
from pracha.citizens.models import ChannelKind, Citizen
from pracha.citizens.services.account import (
    citizen_by_channel,
    do_link_channel,
    do_set_notifications,
    label,
    notification_settings,
)
from pracha.line.models import Conversation
from pracha.line.words import language_of
from pracha.notify import line_api

log = logging.getLogger(__name__)


def line_language(user_id: str) -> str:
    """th or en, from the user's LINE profile (Thai when LINE cannot be asked)."""
    try:
        return language_of(line_api.profile_language(user_id))
    except line_api.LineCallFailed as exc:
        log.info("no LINE profile language (%s); speaking Thai", exc)
        return "th"


def conversation_for(user_id: str, language: str | None = None) -> Conversation:
    """The user's conversation and account, made on first contact (in a transaction)."""
    existing = Conversation.objects.filter(user_id=user_id).select_related("citizen").first()
    if existing is not None and existing.citizen_id is not None:
        return existing
    language = language or "th"
    with transaction.atomic():
        citizen = citizen_by_channel(ChannelKind.LINE, user_id)
        if citizen is None:
            citizen = Citizen.objects.create(language=language)
            do_link_channel(citizen, ChannelKind.LINE, user_id)
            audit("line.account_created", obj=citizen, actor_label=label(citizen))
        conversation, _ = Conversation.objects.update_or_create(
            user_id=user_id, defaults={"citizen": citizen, "language": citizen.language}
        )
    return conversation


def do_set_following(citizen: Citizen, following: bool) -> None:
    """Follow: LINE pushes are on; unfollow (blocked): off, so nothing more is pushed."""
    if notification_settings(citizen)[ChannelKind.LINE] != following:
        do_set_notifications(citizen, {ChannelKind.LINE: following})
