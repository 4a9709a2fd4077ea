"""Announcements other parts subscribe to (notifications, webhooks, indicators).

Sent only after the transaction that made the change has committed, so nothing is announced
that was rolled back. Receivers get `case_id` and `event_id`.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

case_event_committed = Signal()


def announce(case_id: int, event_id: int) -> None:
    transaction.on_commit(
        lambda: case_event_committed.send(sender=None, case_id=case_id, event_id=event_id)
    )
