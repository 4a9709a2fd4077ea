"""E-mail to citizens about their life-event journeys (pracha.lifeevents' signals):

- a step newly open to them (a prerequisite done, a new fact): proactive service;
- a step coming due or overdue (`pracha life-events remind`).

Each is a row of the one outbox (MailType.JOURNEY) naming the citizen, the step and the
stage; the message is written when sent, in the citizen's language, to their account's
address (none when they switched e-mail off). A citizen who linked LINE (and left LINE
notifications on) also gets a LINE row (LineType.JOURNEY): a short text with the journey's
link, sent by pracha.notify.line_push; `step_reminder` receivers return the channels used.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pracha.citizens.services.account import email_recipient
from pracha.lifeevents.models import Journey, JourneyStep
from pracha.lifeevents.services.journeys import definition_of
from pracha.notify.line_citizens import line_user
from pracha.notify.models import Channel, Delivery, LineType, MailType
from pracha.notify.outbox import queue

AVAILABLE = "available"


def queue_journey_mail(journey: Journey, step: JourneyStep, stage: str, days: int = 0) -> bool:
    if not email_recipient(journey.citizen):
        return False
    body = {"journey": journey.pk, "step": step.code, "stage": stage, "days": days}
    queue(
        Channel.EMAIL,
        [{"event_type": MailType.JOURNEY, "body": json.dumps(body), "occurred_at": timezone.now()}],
    )
    return True


def queue_journey_line(journey: Journey, step: JourneyStep, stage: str, days: int = 0) -> bool:
    if not line_user(journey.citizen):
        return False
    body = {"journey": journey.pk, "step": step.code, "stage": stage, "days": days}
    queue(
        Channel.LINE,
        [{"event_type": LineType.JOURNEY, "body": json.dumps(body), "occurred_at": timezone.now()}],
    )
    return True


def on_step_available(sender: Any, step: JourneyStep, journey: Journey, **_: Any) -> None:
    queue_journey_mail(journey, step, AVAILABLE)
    queue_journey_line(journey, step, AVAILABLE)


def on_step_reminder(
    sender: Any, step: JourneyStep, journey: Journey, stage: str, days: int, **_: Any
) -> list[str]:
    used: list[str] = [Channel.EMAIL] if queue_journey_mail(journey, step, stage, days) else []
    return used + ([Channel.LINE] if queue_journey_line(journey, step, stage, days) else [])


def step_of(row: Delivery) -> tuple[JourneyStep | None, dict[str, Any]]:
    data: dict[str, Any] = json.loads(row.body)
    step = (
        JourneyStep.objects.select_related("journey__life_event", "journey__citizen", "agency")
        .filter(journey_id=data["journey"], code=data["step"])
        .first()
    )
    return step, data


def line_texts(row: Delivery) -> list[tuple[str, str]]:
    """(LINE user id, text) of a LINE row: the e-mail's subject and the journey's page; none
    when the journey was erased or the citizen no longer hears on LINE."""
    step, data = step_of(row)
    if step is None:
        return []
    citizen = step.journey.citizen
    user = line_user(citizen)
    if not user:
        return []
    with translation.override(citizen.language if citizen.language in {"th", "en"} else "th"):
        subject, _text = _journey_text(step, str(data["stage"]), int(data.get("days", 0)))
    url = f"{settings.PRACHA.base_url}/me/journeys/{step.journey_id}/"
    return [(user, f"{subject}\n{url}")]


def journey_message(row: Delivery) -> EmailMessage | None:
    """The message of a row, or None when there is no one to tell any more."""
    step, data = step_of(row)
    if step is None:  # the journey was erased meanwhile
        return None
    citizen = step.journey.citizen
    address = email_recipient(citizen)
    if not address:
        return None
    with translation.override(citizen.language if citizen.language in {"th", "en"} else "th"):
        subject, text = _journey_text(step, str(data["stage"]), int(data.get("days", 0)))
    return EmailMessage(subject=subject, body=text, to=[address])


def _journey_text(step: JourneyStep, stage: str, days: int) -> tuple[str, str]:
    english = translation.get_language() == "en"
    definition = definition_of(step)
    name = definition["name_en" if english else "name_th"]
    event = step.journey.life_event
    event_name = event.name_en if english else event.name_th
    agency = (step.agency.name_en or step.agency.name_th) if english else step.agency.name_th
    due = step.due_at.isoformat() if step.due_at else ""
    if stage == AVAILABLE:
        subject = _("Pracha: a step of your journey is open: %(step)s") % {"step": name}
        lead = _("You can now do this step of “%(event)s”: %(step)s.")
    elif stage.startswith("overdue"):
        subject = _("Pracha: overdue: %(step)s") % {"step": name}
        lead = _("This step of “%(event)s” was due on %(due)s: %(step)s.")
    else:
        subject = _("Pracha: due on %(due)s: %(step)s") % {"step": name, "due": due}
        lead = _("This step of “%(event)s” is due on %(due)s: %(step)s.")
    url = f"{settings.PRACHA.base_url}/me/journeys/{step.journey_id}/"
    lines = [
        lead % {"event": event_name, "step": name, "due": due},
        _("Where: %(agency)s") % {"agency": agency},
        definition["gives_en" if english else "gives_th"],
        _("Your journey: %(url)s") % {"url": url},
    ]
    return subject, "\n\n".join(line for line in lines if line) + "\n"
