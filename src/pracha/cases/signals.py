"""Announcements other parts subscribe to (notifications, webhooks, indicators).

`case_event_committed` is sent only after the transaction that made the change has committed,
so nothing is announced that was rolled back. Receivers get `case_id` and `event_id`.

`photo_stored` is sent inside the transaction that stores an uploaded photo, with `photo` (the
saved cases.Photo, whose served file has no metadata) and `original` (the decoded upload as
it came, EXIF included). It is the only moment the original's EXIF exists: a receiver reads
what it needs from it (pracha.evidence: capture time and place, perceptual hashes) and keeps
no copy of the image. A receiver that fails must not fail the upload.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

case_event_committed = Signal()
photo_stored = Signal()


def announce(case_id: int, event_id: int) -> None:
    transaction.on_commit(
        lambda: case_event_committed.send(sender=None, case_id=case_id, event_id=event_id)
    )
