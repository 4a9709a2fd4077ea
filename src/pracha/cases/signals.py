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
with the case ids (`case_ids`), those the block created (`created_ids`: no derived rows can
exist for them yet) and `known`: for cases whose every write the block saw (created, categories
linked by the writer through note_linked_categories), the case as saved and its codes. A
block left by an exception sends nothing (its transaction rolls back).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from pracha.cases.models import Case

case_event_committed = Signal()
photo_stored = Signal()
case_changes_done = Signal()  # case_ids: the cases changed inside a batch_case_changes() block

_batch = threading.local()


@dataclass
class BatchedCase:
    """What a batch_case_changes() block learnt of one case: whether it created it, the case
    as last saved, and its category codes when the writer linked them all itself (None when
    they changed some other way, or not at all)."""

    created: bool = False
    saved: Case | None = None
    codes: list[str] | None = None
    codes_unknown: bool = False

    def known(self) -> tuple[Case, list[str]] | None:
        """The case as stored and its codes, when the block saw both being written."""
        if self.saved is None or self.codes is None or self.codes_unknown:
            return None
        return self.saved, self.codes


@contextmanager
def batch_case_changes() -> Iterator[None]:
    """Receivers may put off per-save work to the end of this block (use inside a
    transaction). Nested blocks join the outermost one."""
    if getattr(_batch, "cases", None) is not None:
        yield
        return
    cases: dict[int, BatchedCase] = {}
    _batch.cases = cases
    try:
        yield
    finally:
        _batch.cases = None
    if cases:
        case_changes_done.send(
            sender=None,
            case_ids=list(cases),
            created_ids=[case_id for case_id, seen in cases.items() if seen.created],
            known={case_id: k for case_id, seen in cases.items() if (k := seen.known())},
        )


def _batched(case_id: int) -> BatchedCase | None:
    cases: dict[int, BatchedCase] | None = getattr(_batch, "cases", None)
    return None if cases is None else cases.setdefault(case_id, BatchedCase())


def defer_case_change(
    case_id: int, *, created: bool = False, saved: Case | None = None, categories: bool = False
) -> bool:
    """Inside batch_case_changes(): note the case for the block's end (whether the block
    created it, the instance just `saved`, or that its `categories` changed) and return True."""
    seen = _batched(case_id)
    if seen is None:
        return False
    seen.created = seen.created or created
    if saved is not None:
        seen.saved = saved
    if categories:
        seen.codes_unknown = True
    return True


def note_linked_categories(case_id: int, codes: list[str]) -> None:
    """Inside batch_case_changes(): the writer linked exactly these categories to a case it
    created, without the m2m signal, so the block's end need not read them back."""
    seen = _batched(case_id)
    if seen is not None:
        seen.codes = list(codes)


def announce(case_id: int, event_id: int) -> None:
    transaction.on_commit(
        lambda: case_event_committed.send(sender=None, case_id=case_id, event_id=event_id)
    )
