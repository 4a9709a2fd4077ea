"""The close: a consultation past its `closes_at` is closed whatever is stored (answers are
refused, results shown), and storing it (state, the deadline for "what we changed", the
signal that e-mails respondents) happens once, by whichever comes first: the notification
loop's sweep, `pracha consultations close-due`, a page or API read of it, or its agency.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pracha.consultations.models import Consultation, State
from pracha.consultations.signals import consultation_closed


def answer_days() -> timedelta:
    return timedelta(days=settings.PRACHA.proposal_answer_days)


def changes_due(consultation: Consultation) -> datetime:
    """When "what we changed" is due: stored at the close, else foreseen from closes_at."""
    return consultation.changes_due_at or consultation.closes_at + answer_days()


def do_close(consultation: Consultation, now: datetime) -> None:
    """Store the close of a locked row (the caller holds select_for_update)."""
    consultation.state = State.CLOSED
    consultation.closed_at = now
    consultation.changes_due_at = consultation.closes_at + answer_days()
    consultation.save(update_fields=["state", "closes_at", "closed_at", "changes_due_at"])
    consultation_closed.send(sender=Consultation, consultation=consultation)


def close_if_due(consultation: Consultation, now: datetime | None = None) -> Consultation:
    """The consultation, its close stored if its date has passed (once, under a row lock)."""
    now = now or timezone.now()
    if consultation.state != State.OPEN or consultation.closes_at > now:
        return consultation
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state == State.OPEN and locked.closes_at <= now:
            do_close(locked, now)
    consultation.refresh_from_db()
    return consultation


def close_due(now: datetime | None = None) -> int:
    """Store the close of every published consultation whose date has passed; how many."""
    now = now or timezone.now()
    closed = 0
    for consultation in Consultation.objects.filter(state=State.OPEN, closes_at__lte=now):
        before = consultation.state
        if close_if_due(consultation, now).state != before:
            closed += 1
    return closed
