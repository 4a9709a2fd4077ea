"""The search_text backfill: 0004 only adds the column (a quick ALTER under its lock);
0006 masks the rows stored before it, committing one chunk at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython

from pracha.cases.searchtext import public_search_text

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("cases", "0003_idempotency_fingerprint")
ADD_COLUMN = ("cases", "0004_case_search_text")
BACKFILL = ("cases", "0006_case_search_text_backfill")
LEAK = "contact me 081-234-5678, mail somchai.leak@example.com"
ROWS = 2001  # one more than a chunk


def migrate(target: tuple[str, str]) -> Any:
    """Migrate the test database to `target`; returns the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)  # the latest schema again for the other tests
    executor.migrate(executor.loader.graph.leaf_nodes())


def store_raw_cases(apps: Any) -> None:
    Agency = apps.get_model("agencies", "Agency")
    agency = Agency.objects.create(code="migration-test", name_th="หน่วยทดสอบ")
    Case = apps.get_model("cases", "Case")
    Case.objects.bulk_create(
        Case(ticket_id=f"2024-{n:06d}", agency=agency, description=f"{LEAK} #{n}", address="")
        for n in range(ROWS)
    )


def test_the_column_comes_alone_and_the_backfill_is_chunked_and_kept() -> None:
    loader = MigrationExecutor(connection).loader
    assert not any(isinstance(op, RunPython) for op in loader.get_migration(*ADD_COLUMN).operations)
    backfill = loader.get_migration(*BACKFILL)
    assert backfill.atomic is False
    assert [op.elidable for op in backfill.operations] == [False]


def test_migrating_forward_masks_every_stored_row(old_apps: Any) -> None:
    store_raw_cases(old_apps)
    added = migrate(ADD_COLUMN).get_model("cases", "Case")
    assert set(added.objects.values_list("search_text", flat=True)) == {""}

    Case = migrate(BACKFILL).get_model("cases", "Case")
    rows = Case.objects.values_list("description", "address", "search_text")
    assert rows.count() == ROWS
    for description, address, search_text in rows:
        assert search_text == public_search_text(description, address)
        assert "somchai.leak" not in search_text and "234-5678" not in search_text


def test_an_interrupted_backfill_resumes(old_apps: Any) -> None:
    store_raw_cases(old_apps)
    migrate(BACKFILL)
    Case = migrate(ADD_COLUMN).get_model("cases", "Case")  # backwards: a no-op
    Case.objects.filter(ticket_id__gte="2024-001000").update(search_text="")  # not reached
    Case = migrate(BACKFILL).get_model("cases", "Case")
    assert not Case.objects.filter(search_text="").exists()
