"""A LINE user id is personal data: it is in the citizen's export and goes with the account.

Receivers of citizens.signals: `line_data` (collect_citizen_data) lists what the chat keeps,
`delete_line_data` (citizen_deleting) deletes it, each audited. The account's Channel row
(the id itself) is the citizens app's and goes with the account."""

from __future__ import annotations

from typing import Any

from pracha.audit.log import audit
from pracha.citizens.models import ChannelKind, Citizen
from pracha.citizens.services.account import label
from pracha.line.models import Conversation, InboxEvent, Outgoing


def _user_ids(citizen: Citizen) -> list[str]:
    return list(citizen.channels.filter(kind=ChannelKind.LINE).values_list("address", flat=True))


def line_data(sender: Any, citizen: Citizen, **_: Any) -> dict[str, Any] | None:
    user_ids = _user_ids(citizen)
    if not user_ids:
        return None
    conversations = Conversation.objects.filter(user_id__in=user_ids)
    return {
        "line_user_ids": user_ids,
        "conversations": [
            {
                "language": c.language,
                "draft_description": c.description,
                "draft_lat": c.lat,
                "draft_lon": c.lon,
                "draft_address": c.address,
                "draft_photos": c.photos.count(),
                "draft_started_at": c.started_at.isoformat() if c.started_at else None,
            }
            for c in conversations
        ],
        "messages_received": InboxEvent.objects.filter(user_id__in=user_ids).count(),
        "answers_sent": Outgoing.objects.filter(user_id__in=user_ids).count(),
    }


def delete_line_data(sender: Any, citizen: Citizen, **_: Any) -> None:
    user_ids = _user_ids(citizen)
    if not user_ids:
        return
    Conversation.objects.filter(user_id__in=user_ids).delete()
    events, _ = InboxEvent.objects.filter(user_id__in=user_ids).delete()
    answers, _ = Outgoing.objects.filter(user_id__in=user_ids).delete()
    audit(
        "line.data_erased",
        obj=citizen,
        actor_label=label(citizen),
        detail={"conversations": len(user_ids), "events": events, "answers": answers},
    )
