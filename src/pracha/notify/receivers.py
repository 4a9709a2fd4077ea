"""Signal receivers: notify learns of changes through signals, never by being called.

- post_save of cases.Event: the outbox rows of every channel that event calls for (webhooks,
  e-mail, LINE), written in the event's own transaction;
- post_save of insights.Alert: its webhook rows, likewise;
- (the e-mail due at once is sent after the commit of the transaction that queued it:
  pracha.notify.email.send_after_commit);
- proposals.signals.proposal_event_saved / _committed: e-mail about citizens' proposals
  (pracha.notify.proposal_mail), written with the step, sent after its commit;
- consultations.signals consultation_closed, changes_published: e-mail rows for the
  respondents who asked (pracha.notify.consultations);
- audit.signals.reporter_erased: no copy of an erased reporter's text in webhook bodies
  (pracha.notify.privacy);
- lifeevents.signals.step_available and step_reminder: the citizen's e-mail about a journey
  step newly open, coming due or overdue (pracha.notify.journeys).
"""

from __future__ import annotations

from typing import Any

from pracha.cases.models import Event
from pracha.consultations.models import Consultation
from pracha.insights.models import Alert
from pracha.notify import consultations, email, line_push
from pracha.notify.journeys import on_step_available, on_step_reminder
from pracha.notify.models import MailType
from pracha.notify.webhooks.enqueue import enqueue_for_alert, enqueue_for_event


def on_event_saved(sender: Any, instance: Event, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        enqueue_for_event(instance)
        email.enqueue_for_event(instance)
        line_push.enqueue_for_event(instance)


__all__ = [
    "on_alert_saved",
    "on_consultation_changes",
    "on_consultation_closed",
    "on_event_saved",
    "on_step_available",
    "on_step_reminder",
]


def on_alert_saved(sender: Any, instance: Alert, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        enqueue_for_alert(instance)


def on_consultation_closed(sender: Any, consultation: Consultation, **_: Any) -> None:
    consultations.enqueue(consultation, MailType.CONSULTATION_CLOSED)


def on_consultation_changes(sender: Any, consultation: Consultation, **_: Any) -> None:
    consultations.enqueue(consultation, MailType.CONSULTATION_CHANGES)
