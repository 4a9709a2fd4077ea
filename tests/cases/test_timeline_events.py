"""do_add_events: several new events in one INSERT, each followed as if saved alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, Event
from pracha.cases.services.timeline import do_add_events
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_events_are_inserted_in_one_statement_and_audited_each() -> None:
    case: Case = make_case()
    before = AuditEntry.objects.count()
    events = [
        Event(case=case, kind=Event.Kind.COMMENTED, at=case.created_at, note="one"),
        Event(case=case, kind=Event.Kind.COMMENTED, at=case.created_at, note="two"),
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        saved = do_add_events(events)
    assert sum(q["sql"].startswith('INSERT INTO "cases_event"') for q in queries) == 1
    assert all(e.pk is not None for e in saved)
    assert list(case.events.filter(pk__in=[e.pk for e in saved]).values_list("note", flat=True))
    new = AuditEntry.objects.order_by("id")[before:]
    assert [e.detail["event_id"] for e in new] == [e.pk for e in saved]


def test_pre_and_post_save_are_sent_for_each_event() -> None:
    case: Case = make_case()
    heard: list[str] = []

    def before(sender: Any, instance: Event, **_: Any) -> None:
        heard.append(f"pre {instance.note} {instance.pk is None}")

    def after(sender: Any, instance: Event, created: bool, raw: bool, **_: Any) -> None:
        heard.append(f"post {instance.note} {created} {raw} {instance.pk is not None}")

    pre_save.connect(before, sender=Event, dispatch_uid="test-timeline-pre")
    post_save.connect(after, sender=Event, dispatch_uid="test-timeline-post")
    try:
        do_add_events([Event(case=case, kind=Event.Kind.COMMENTED, note=n) for n in "ab"])
    finally:
        pre_save.disconnect(sender=Event, dispatch_uid="test-timeline-pre")
        post_save.disconnect(sender=Event, dispatch_uid="test-timeline-post")
    assert heard == [
        "pre a True",
        "pre b True",
        "post a True False True",
        "post b True False True",
    ]
