"""Announcements other parts subscribe to (notifications, webhooks, indicators).

`case_event_committed` is sent only after the transaction that made the change has committed,
so nothing is announced that was rolled back. Receivers get `case_id` and `event_id`.

`photo_stored` is sent inside the transaction that stores an uploaded photo, with `photo` (the
saved cases.Photo, whose served file has no metadata) and `original` (the decoded upload as
it came, EXIF included). It is the only moment the original's EXIF exists: a receiver reads
what it needs from it (pracha.evidence: capture time and place, perceptual hashes) and keeps
no copy of the image. A receiver that fails must not fail the upload.

`batch_case_changes()` lets a writer that saves one case several times in a transaction (intake:
the case, its categories, its triage) have the receivers that follow every save (insights'
rollups) do their work once per case: inside the block they call `defer_case_change` and
return; at the block's end, still inside the transaction, `case_changes_done` is sent once
with the case ids (`case_ids`) and those the block created (`created_ids`: no derived rows can
exist for them yet). A block left by an exception sends nothing (its transaction rolls back).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.dispatch import Signal

case_event_committed = Signal()
photo_stored = Signal()
case_changes_done = Signal()  # case_ids: the cases changed inside a batch_case_changes() block

_batch = threading.local()


@contextmanager
def batch_case_changes() -> Iterator[None]:
    """Receivers may put off per-save work to the end of this block (use inside a
    transaction). Nested blocks join the outermost one."""
    if getattr(_batch, "cases", None) is not None:
        yield
        return
    cases: dict[int, bool] = {}  # case id: created by the block
    _batch.cases = cases
    try:
        yield
    finally:
        _batch.cases = None
    if cases:
        case_changes_done.send(
            sender=None,
            case_ids=list(cases),
            created_ids=[case_id for case_id, created in cases.items() if created],
        )


def defer_case_change(case_id: int, *, created: bool = False) -> bool:
    """Inside batch_case_changes(): note the case for the block's end (and whether the block
    created it) and return True; False outside a block."""
    cases: dict[int, bool] | None = getattr(_batch, "cases", None)
    if cases is None:
        return False
    cases[case_id] = cases.get(case_id, False) or created
    return True


def announce(case_id: int, event_id: int) -> None:
    transaction.on_commit(
        lambda: case_event_committed.send(sender=None, case_id=case_id, event_id=event_id)
    )
