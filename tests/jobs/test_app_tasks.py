"""Every app's periodic task runs on the queue as the worker runs it, on an empty database
too (no model trained, nothing to purge, no officer asking for a digest)."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from pracha.jobs import schedule, worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(schedule.REGISTRY))
def test_each_periodic_task_runs(name: str) -> None:
    schedule.REGISTRY[name].task.enqueue()
    assert worker.run_ready() == 1
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL", result.traceback
    assert isinstance(result.return_value, int)
