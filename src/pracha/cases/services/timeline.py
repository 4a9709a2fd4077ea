"""Writing several new timeline events at once."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import router
from django.db.models.signals import post_save, pre_save

from pracha.cases.models import Event


def do_add_events(events: Sequence[Event]) -> list[Event]:
    """Insert new events in one statement (call inside the change's transaction).

    Everything that follows saves of an Event (audit entries, outbox rows, indicators) runs
    for each as if it had been saved alone: pre_save and post_save are sent as a save sends
    them, which bulk_create does not. A report's first events take one statement, not two.
    """
    using = router.db_for_write(Event)
    for event in events:
        pre_save.send(sender=Event, instance=event, raw=False, using=using, update_fields=None)
    saved = Event.objects.using(using).bulk_create(events)
    for event in saved:
        post_save.send(
            sender=Event, instance=event, created=True, update_fields=None, raw=False, using=using
        )
    return saved
