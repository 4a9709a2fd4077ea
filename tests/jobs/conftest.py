from __future__ import annotations

import pytest
from django_tasks_db.management.commands import db_worker

from pracha import background


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker drops connections between tasks; inside a test's transaction that would
    close the test's own connection (PostgreSQL)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(background, "close_old_connections", lambda: None)
