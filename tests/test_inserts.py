"""insert_new: one statement per call, the same rows bulk_create would write, announced as
saves only when asked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Now
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, MeToo
from pracha.inserts import MAX_ROWS, insert_new
from pracha.insights.models import PendingCase
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def inserts_into(queries: CaptureQueriesContext, table: str) -> int:
    return sum(q["sql"].startswith(f'INSERT INTO "{table}"') for q in queries)


def test_rows_go_in_one_statement_with_their_keys_in_order() -> None:
    at = timezone.now() - timedelta(days=3)
    entries = [
        AuditEntry(action=f"test.{n}", at=at, ip="10.0.0.1", detail={"n": n, "ไทย": "ใช่"})
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        saved = insert_new(entries)
    assert inserts_into(queries, "audit_auditentry") == 1
    assert saved == entries and all(not e._state.adding for e in entries)
    stored = {e.pk: e for e in AuditEntry.objects.filter(action__startswith="test.")}
    assert [stored[e.pk].action for e in entries] == ["test.0", "test.1", "test.2"]
    first = stored[entries[0].pk]
    assert first.at == at and first.ip == "10.0.0.1"  # dates and addresses adapted
    assert first.detail == {"n": 0, "ไทย": "ใช่"}  # JSON adapted


def test_foreign_keys_and_defaults_are_written() -> None:
    case = make_case()
    (note,) = insert_new([MeToo(case=case, voter="v" * 64)])
    stored = MeToo.objects.get(pk=note.pk)
    assert stored.case_id == case.pk and stored.by_reporter is False
    assert abs(stored.at - timezone.now()) < timedelta(minutes=1)


def test_a_key_the_caller_chooses_is_inserted_as_given() -> None:
    insert_new([PendingCase(case_id=41), PendingCase(case_id=42)])
    assert set(PendingCase.objects.values_list("case_id", flat=True)) >= {41, 42}


def test_conflicting_rows_are_skipped_when_asked() -> None:
    case = make_case()
    insert_new([MeToo(case=case, voter="same")])
    insert_new(
        [MeToo(case=case, voter="same"), MeToo(case=case, voter="other")], ignore_conflicts=True
    )
    assert sorted(MeToo.objects.filter(case=case).values_list("voter", flat=True)) == [
        "other",
        "same",
    ]


def test_a_conflict_not_ignored_fails_and_writes_nothing() -> None:
    case = make_case()
    insert_new([MeToo(case=case, voter="same")])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new([MeToo(case=case, voter="new"), MeToo(case=case, voter="same")])
    assert MeToo.objects.filter(case=case).count() == 1


def test_an_unsaved_related_instance_is_refused() -> None:
    unsaved = Case(ticket_id="X-unsaved", description="d", lat=13.7, lon=100.5)
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_new([MeToo(case=unsaved, voter="v")])


def test_values_it_does_not_write_itself_go_through_bulk_create() -> None:
    entry = AuditEntry(action="test.expression", at=Now())
    (saved,) = insert_new([entry])
    assert AuditEntry.objects.get(pk=saved.pk).action == "test.expression"


def test_saves_are_announced_only_when_asked() -> None:
    heard: list[str] = []

    def before(sender: Any, instance: AuditEntry, **_: Any) -> None:
        heard.append(f"pre {instance.action} {instance.pk is None}")

    def after(sender: Any, instance: AuditEntry, created: bool, **_: Any) -> None:
        heard.append(f"post {instance.action} {created} {instance.pk is not None}")

    pre_save.connect(before, sender=AuditEntry, dispatch_uid="test-inserts-pre")
    post_save.connect(after, sender=AuditEntry, dispatch_uid="test-inserts-post")
    try:
        insert_new([AuditEntry(action="quiet")])
        insert_new([AuditEntry(action="a"), AuditEntry(action="b")], announce=True)
    finally:
        pre_save.disconnect(sender=AuditEntry, dispatch_uid="test-inserts-pre")
        post_save.disconnect(sender=AuditEntry, dispatch_uid="test-inserts-post")
    assert heard == ["pre a True", "pre b True", "post a True True", "post b True True"]


def test_nothing_to_insert_runs_no_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert insert_new([]) == []
    assert len(queries) == 0


def test_many_rows_go_through_bulk_create_in_batches_under_the_parameter_limit() -> None:
    many = [AuditEntry(action="test.many", object_id=str(n)) for n in range(MAX_ROWS * 200)]
    saved = insert_new(many)
    assert all(entry.pk is not None for entry in saved)
    assert AuditEntry.objects.filter(action="test.many").count() == MAX_ROWS * 200


def test_the_fallback_takes_the_models_own_bulk_path() -> None:
    # Case's bulk_create fills the masked search text, which a plain bulk insert would not.
    cases = [
        Case(ticket_id=f"X-many-{n}", description="โทร 0812345678", lat=13.7, lon=100.5)
        for n in range(MAX_ROWS + 1)
    ]
    insert_new(cases)
    stored = Case.objects.get(ticket_id="X-many-0")
    assert stored.search_text and "0812345678" not in stored.search_text
