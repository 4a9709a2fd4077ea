"""The conversation: a LINE user puts a report together in any order (photos, a location, a
few words), confirms it, and follows it; each handled event gives the answer to send.

Called by pracha.line.services.inbox inside the transaction that marks the event handled,
with the user's conversation row locked, so two events of one user never interleave and a
redelivered event is never handled twice.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from pracha.cases.errors import DomainError
from pracha.cases.models import Case, Category
from pracha.cases.services.citizen import do_me_too, do_note_reporter, do_rate, do_reopen
from pracha.cases.services.claims import citizen_person
from pracha.cases.services.photos import do_add_photo
from pracha.citizens.models import Citizen
from pracha.intake.services import NewCase, do_create_case
from pracha.intake.triage import check_triage
from pracha.line.messages import (
    cancel_button,
    confirm_buttons,
    location_buttons,
    photo_buttons,
    postback,
    postback_fields,
    public_url,
    text,
)
from pracha.line.models import Conversation, DraftPhoto
from pracha.line.services.accounts import do_set_following
from pracha.line.words import (
    CANCEL_WORDS,
    CONFIRM_WORDS,
    HELP_WORDS,
    MY_REPORTS_WORDS,
    say,
    state_name,
)
from pracha.states import CLOSED_STATES
from pracha.triage.explanations import duplicate_dicts

log = logging.getLogger(__name__)

MAX_PHOTOS = 3
MAX_DESCRIPTION = 2000
MY_REPORTS_LISTED = 10


@dataclass
class Incoming:
    """One webhook event, as the conversation needs it."""

    kind: str  # text | image | location | postback | follow | unfollow | other
    occurred_at: datetime
    text: str = ""
    message_id: str = ""
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    data: dict[str, str] = field(default_factory=dict)
    photo: bytes | None = None  # fetched before the transaction (images)
    photo_error: str = ""


def draft_window() -> timedelta:
    return timedelta(minutes=settings.PRACHA.line_draft_minutes)


def handle(conversation: Conversation, event: Incoming) -> list[Any]:
    """Apply the event to the conversation; the messages to answer with."""
    language = conversation.language
    citizen = conversation.citizen
    if event.kind == "follow":
        if citizen is not None:
            do_set_following(citizen, True)
        return [text(say("welcome", language))]
    if event.kind == "unfollow":
        if citizen is not None:
            do_set_following(citizen, False)
        return []
    answers: list[Any] = []
    if conversation.has_draft and event.occurred_at - conversation.updated_at > draft_window():
        do_reset(conversation, event.occurred_at)
        answers.append(text(say("expired", language)))
    return answers + _dispatch(conversation, event)


def _dispatch(conversation: Conversation, event: Incoming) -> list[Any]:
    language = conversation.language
    if event.kind == "postback":
        return _postback(conversation, event)
    if event.kind == "text":
        word = " ".join(event.text.split()).casefold()
        if word in CANCEL_WORDS:
            return do_cancel(conversation, event.occurred_at)
        if word in MY_REPORTS_WORDS:
            return my_reports(conversation)
        if word in HELP_WORDS:
            return [text(say("help", language))]
        if word in CONFIRM_WORDS:
            return do_confirm(conversation, event.occurred_at)
    if event.kind in {"text", "image", "location"} and _stale(conversation, event):
        return []  # sent before the draft it belonged to was filed or cancelled
    if event.kind == "text":
        joined = "\n".join(part for part in (conversation.description, event.text.strip()) if part)
        conversation.description = joined[:MAX_DESCRIPTION]
        _touch(conversation, event.occurred_at)
        return next_prompt(conversation)
    if event.kind == "location":
        if event.lat is None or event.lon is None:
            return [text(say("help", language))]
        conversation.lat, conversation.lon = event.lat, event.lon
        conversation.address = event.address[:500]
        _touch(conversation, event.occurred_at)
        return next_prompt(conversation)
    if event.kind == "image":
        return _photo(conversation, event)
    return [text(say("help", language))]  # stickers, video, audio, files...


def _stale(conversation: Conversation, event: Incoming) -> bool:
    closed = conversation.last_event_at
    return closed is not None and event.occurred_at < closed and not conversation.has_draft


def _touch(conversation: Conversation, at: datetime) -> None:
    if conversation.started_at is None:
        conversation.started_at = conversation.updated_at = at
    else:
        conversation.updated_at = max(at, conversation.updated_at)
    conversation.save()


def _photo(conversation: Conversation, event: Incoming) -> list[Any]:
    language = conversation.language
    if event.photo is None:
        _touch(conversation, event.occurred_at)  # the report goes on without it
        reason = event.photo_error or say("photo_unreachable", language)
        return [text(say("photo_failed", language, reason=reason)), *next_prompt(conversation)]
    if conversation.photos.count() >= MAX_PHOTOS:
        return [text(say("too_many_photos", language))]
    _touch(conversation, event.occurred_at)
    DraftPhoto.objects.get_or_create(
        conversation=conversation, message_id=event.message_id, defaults={"data": event.photo}
    )
    return next_prompt(conversation)


def next_prompt(conversation: Conversation) -> list[Any]:
    """Ask for what is missing, or show the report with a confirm button."""
    language = conversation.language
    if conversation.lat is None or conversation.lon is None:
        return [text(say("ask_location", language), location_buttons(language))]
    if not conversation.description:
        return [text(say("ask_text", language), [cancel_button(language)])]
    photos = conversation.photos.count()
    if not photos and not conversation.no_photo:
        return [text(say("ask_photo", language), photo_buttons(language))]
    try:
        categories = suggested_categories(conversation)
    except DomainError as exc:
        conversation.lat = conversation.lon = None
        conversation.save()
        return [
            text(say("not_filed", language, reason=exc.message)),
            text(say("ask_location", language), location_buttons(language)),
        ]
    summary = say(
        "summary",
        language,
        description=conversation.description[:1000],
        place=conversation.address or say("place_pin", language),
        photos=photos,
        categories=categories or say("no_category", language),
    )
    return [text(summary, confirm_buttons(language))]


def suggested_categories(conversation: Conversation) -> str:
    """The categories triage would give the report (names in the user's language)."""
    assert conversation.lat is not None and conversation.lon is not None
    result = check_triage(
        conversation.description, conversation.lat, conversation.lon, conversation.address, []
    )
    if result is None or not result.categories:
        return ""
    names = Category.objects.filter(code__in=result.categories).order_by("sort_order")
    return ", ".join(c.name_en if conversation.language == "en" else c.name_th for c in names)


def do_reset(conversation: Conversation, at: datetime, filed: Case | None = None) -> None:
    """Forget the draft (filed, cancelled or expired); events older than `at` are stale."""
    DraftPhoto.objects.filter(conversation=conversation).delete()
    conversation.description = ""
    conversation.lat = conversation.lon = None
    conversation.address = ""
    conversation.no_photo = False
    conversation.started_at = None
    conversation.last_event_at = at
    if filed is not None:
        conversation.filed_case = filed
    conversation.draft_key = uuid.uuid4()
    conversation.save()


def do_cancel(conversation: Conversation, at: datetime) -> list[Any]:
    language = conversation.language
    if not conversation.has_draft:
        return [text(say("nothing_to_cancel", language))]
    do_reset(conversation, at)
    return [text(say("cancelled", language))]


def do_confirm(conversation: Conversation, at: datetime) -> list[Any]:
    """File the report through intake (triage, routing, duplicates), then its photos."""
    language = conversation.language
    complete = conversation.lat is not None and conversation.lon is not None
    if not (conversation.has_draft and complete and conversation.description):
        if conversation.has_draft:
            return next_prompt(conversation)
        return [text(say("nothing_to_confirm", language))]
    assert conversation.lat is not None and conversation.lon is not None
    citizen = conversation.citizen
    try:
        case, _created = do_create_case(
            NewCase(
                description=conversation.description,
                lat=conversation.lat,
                lon=conversation.lon,
                address=conversation.address,
                language=language,
                source=Case.Source.LINE,
            ),
            idempotency_key=f"line:{conversation.draft_key}",
            citizen=citizen,
        )
    except DomainError as exc:
        return [text(say("not_filed", language, reason=exc.message))]
    for photo in conversation.photos.all():
        data = bytes(photo.data)
        try:
            do_add_photo(case, io.BytesIO(data), len(data), filename="")
        except DomainError:
            log.warning("a LINE photo of case %s was refused when filed", case.ticket_id)
    if citizen is not None:
        do_note_reporter(case, citizen_person(citizen))
    do_reset(conversation, at, filed=case)
    answers: list[Any] = [
        text(say("filed", language, ticket=case.ticket_id, url=public_url(case.ticket_id)))
    ]
    duplicates = duplicate_dicts(case)
    if duplicates:
        first = duplicates[0]
        ticket = first["ticket_id"]
        answers.append(
            text(
                say(
                    "duplicate",
                    language,
                    ticket=ticket,
                    metres=round(first["distance_m"] or 0),
                    url=public_url(ticket),
                ),
                [postback(say("btn_me_too", language), action="metoo", ticket=ticket)],
            )
        )
    return answers


def my_reports(conversation: Conversation) -> list[Any]:
    language = conversation.language
    if conversation.citizen_id is None:
        return [text(say("no_reports", language))]
    cases = list(
        Case.objects.filter(citizen_id=conversation.citizen_id)
        .exclude(state__in=CLOSED_STATES)
        .order_by("-created_at", "-pk")[:MY_REPORTS_LISTED]
    )
    if not cases:
        return [text(say("no_reports", language))]
    lines = [say("my_reports", language)]
    lines += [
        f"{c.ticket_id}: {state_name(c.state, language)}\n{public_url(c.ticket_id)}" for c in cases
    ]
    return [text("\n\n".join(lines))]


def _postback(conversation: Conversation, event: Incoming) -> list[Any]:
    language = conversation.language
    action = event.data.get("action", "")
    if action == "confirm":
        return do_confirm(conversation, event.occurred_at)
    if action == "cancel":
        return do_cancel(conversation, event.occurred_at)
    if action == "no_photo":
        if not conversation.has_draft:
            return [text(say("nothing_to_confirm", language))]
        conversation.no_photo = True
        _touch(conversation, event.occurred_at)
        return next_prompt(conversation)
    if action in {"my_reports", "myreports"}:
        return my_reports(conversation)
    if action == "report":
        if conversation.has_draft:
            return next_prompt(conversation)
        return [text(say("welcome", language), location_buttons(language))]
    if action in {"metoo", "rate", "reopen"}:
        return _case_action(conversation, action, event.data)
    return [text(say("help", language))]


def _case_action(conversation: Conversation, action: str, data: dict[str, str]) -> list[Any]:
    language = conversation.language
    citizen: Citizen | None = conversation.citizen
    case = Case.objects.filter(ticket_id=data.get("ticket", "")).first()
    if case is None or citizen is None:
        return [text(say("unknown_case", language))]
    try:
        if action == "metoo":
            result = do_me_too(case, citizen_person(citizen))
            key = "me_too_already" if result.already else "me_too_done"
            return [text(say(key, language, ticket=case.ticket_id))]
        if action == "rate":
            try:
                stars = int(data.get("stars", ""))
            except ValueError:
                stars = 0
            do_rate(case, stars, None, citizen=citizen)
            return [text(say("rated", language, stars=stars))]
        do_reopen(case, say("reopen_reason", language), None, citizen=citizen)
        return [text(say("reopened", language, ticket=case.ticket_id))]
    except DomainError as exc:
        return [text(say("refused", language, reason=exc.message))]


def read_postback(data: str) -> dict[str, str]:
    return postback_fields(data)
