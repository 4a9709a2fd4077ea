"""Entries written together: audit_batch() inserts its entries in one statement at its end,
inside the caller's transaction, and announces each as a save would."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from pracha.audit.log import audit, audit_batch
from pracha.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def ours() -> Any:
    return AuditEntry.objects.filter(object_type="case", object_id__startswith="T-")


def inserts(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith('INSERT INTO "audit_auditentry"') for q in queries)


def test_entries_of_a_block_are_written_together_at_its_end() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit_batch():
            first = audit("case.created", object_type="case", object_id="T-1")
            audit("case.triaged", object_type="case", object_id="T-1")
            assert first.pk is None and not ours().exists()  # not yet written
        assert inserts(queries) == 1
    actions = list(ours().order_by("id").values_list("action", flat=True))
    assert actions == ["case.created", "case.triaged"]


def test_a_block_left_by_an_exception_writes_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic(), audit_batch():
        audit("case.created", object_type="case", object_id="T-1")
        raise RuntimeError("the change failed")
    assert not ours().exists()
    audit("case.created", object_type="case", object_id="T-2")  # and batching is over
    assert ours().get().object_id == "T-2"


def test_nested_blocks_join_the_outer_one() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit_batch():
            audit("a", object_type="case", object_id="T-1")
            with audit_batch():
                audit("b", object_type="case", object_id="T-1")
            assert not ours().exists()
        assert inserts(queries) == 1
    assert ours().count() == 2


def test_receivers_of_new_entries_hear_of_batched_ones() -> None:
    heard: list[tuple[str, bool]] = []

    def receiver(sender: Any, instance: AuditEntry, created: bool, **_: Any) -> None:
        heard.append((instance.action, created and instance.pk is not None))

    post_save.connect(receiver, sender=AuditEntry, dispatch_uid="test-batched-entries")
    try:
        with transaction.atomic(), audit_batch():
            audit("a", object_id="1")
            audit("b", object_id="1")
    finally:
        post_save.disconnect(dispatch_uid="test-batched-entries", sender=AuditEntry)
    assert heard == [("a", True), ("b", True)]


def test_an_entry_in_a_savepoint_rolled_back_inside_the_block_goes_with_it() -> None:
    with transaction.atomic(), audit_batch():
        audit("kept", object_type="case", object_id="T-1")
        try:
            with transaction.atomic():  # a savepoint whose failure the caller handles
                audit("undone", object_type="case", object_id="T-1")
                raise ValueError("this step failed; the rest goes on")
        except ValueError:
            pass
        audit("also kept", object_type="case", object_id="T-1")
    actions = sorted(ours().values_list("action", flat=True))
    assert actions == ["also kept", "kept"]


def test_an_entry_in_a_savepoint_that_commits_is_kept() -> None:
    with transaction.atomic(), audit_batch():
        with transaction.atomic():
            audit("inner", object_type="case", object_id="T-1")
        audit("outer", object_type="case", object_id="T-1")
    assert sorted(ours().values_list("action", flat=True)) == ["inner", "outer"]


def test_a_block_without_a_savepoint_still_batches() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit_batch(), transaction.atomic(savepoint=False):
            audit("a", object_type="case", object_id="T-1")
            audit("b", object_type="case", object_id="T-1")
            assert not ours().exists()
        assert inserts(queries) == 1
