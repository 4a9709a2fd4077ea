"""`pracha worker`: one pass enqueues the due periodic jobs and runs the ready tasks; the
outbox is drained by a task; `pracha serve` starts a worker unless told not to (the old
switches, both off, still do)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pracha.config import Config
from pracha.jobs import worker
from pracha.jobs.tasks import ABANDONED, ABANDONED_AFTER, fail_abandoned
from pracha.notify import tasks as notify_tasks

pytestmark = pytest.mark.django_db


def test_a_task_runs_once_and_its_result_is_kept() -> None:
    notify_tasks.prune_sent.enqueue()
    assert worker.run_ready() == 1
    assert worker.run_ready() == 0
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 0


def test_the_once_command_reports_what_ran() -> None:
    notify_tasks.drain_outbox.enqueue()
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == "1 task(s) run"


def test_serve_starts_a_worker_unless_switched_off(
    monkeypatch: pytest.MonkeyPatch, pracha: Callable[..., None]
) -> None:
    started: list[tuple[str, ...]] = []
    monkeypatch.setattr(worker, "start_beside_server", lambda *cmd: started.append(cmd))
    worker.start_for_server()
    pracha(worker_in_serve=False)
    assert worker.start_for_server() is None
    assert started == [("worker",)]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"PRACHA_WORKER_IN_SERVE": "0"}, False),
        ({"PRACHA_WEBHOOKS_IN_SERVE": "0"}, True),
        ({"PRACHA_WEBHOOKS_IN_SERVE": "0", "PRACHA_MAIL_IN_SERVE": "off"}, False),
        (
            {
                "PRACHA_WORKER_IN_SERVE": "1",
                "PRACHA_MAIL_IN_SERVE": "0",
                "PRACHA_WEBHOOKS_IN_SERVE": "0",
            },
            True,
        ),
    ],
)
def test_the_old_switches_are_aliases(tmp_path: Path, env: dict[str, Any], expected: bool) -> None:
    config = Config.from_env({"PRACHA_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, **env})
    assert config.worker_in_serve is expected


def test_a_task_whose_worker_died_is_marked_failed() -> None:
    notify_tasks.prune_sent.enqueue()
    notify_tasks.prune_sent.enqueue()
    lost, recent = DBTaskResult.objects.all()
    now = timezone.now()
    lost.claim("gone-node:1")
    recent.claim("live-node:2")
    DBTaskResult.objects.filter(pk=lost.pk).update(
        started_at=now - ABANDONED_AFTER - timedelta(minutes=1)
    )

    assert fail_abandoned(now) == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, lost.exception_class_path) == (TaskResultStatus.FAILED, ABANDONED)
    assert recent.status == TaskResultStatus.RUNNING
