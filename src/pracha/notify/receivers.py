"""Signal receivers: notify learns of changes through signals, never by being called.

- post_save of cases.Event: the outbox rows of every channel that event calls for (webhooks,
  e-mail), written in the event's own transaction;
- post_save of insights.Alert: its webhook rows, likewise;
- cases.signals.case_event_committed: after the commit, the e-mail due at once;
- consultations.signals consultation_closed, changes_published: e-mail rows for the
  respondents who asked (pracha.notify.consultations);
- audit.signals.reporter_erased: no copy of an erased reporter's text in webhook bodies
  (pracha.notify.privacy).
"""

from __future__ import annotations

from typing import Any

from pracha.cases.models import Event
from pracha.consultations.models import Consultation
from pracha.insights.models import Alert
from pracha.notify import consultations, email
from pracha.notify.models import MailType
from pracha.notify.webhooks.enqueue import enqueue_for_alert, enqueue_for_event


def on_event_saved(sender: Any, instance: Event, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        enqueue_for_event(instance)
        email.enqueue_for_event(instance)


def on_alert_saved(sender: Any, instance: Alert, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        enqueue_for_alert(instance)


def on_consultation_closed(sender: Any, consultation: Consultation, **_: Any) -> None:
    consultations.enqueue(consultation, MailType.CONSULTATION_CLOSED)


def on_consultation_changes(sender: Any, consultation: Consultation, **_: Any) -> None:
    consultations.enqueue(consultation, MailType.CONSULTATION_CHANGES)
