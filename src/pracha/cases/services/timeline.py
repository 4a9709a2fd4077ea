"""Writing several new timeline events at once."""

from __future__ import annotations

from collections.abc import Sequence

from pracha.cases.models import Event
from pracha.inserts import insert_new


def do_add_events(events: Sequence[Event]) -> list[Event]:
    """Insert new events in one statement (call inside the change's transaction).

    Everything that follows saves of an Event (audit entries, outbox rows, indicators) runs
    for each as if it had been saved alone: pre_save and post_save are sent as a save sends
    them, which bulk_create does not. A report's first events take one statement, not two.
    """
    return insert_new(events, announce=True)
