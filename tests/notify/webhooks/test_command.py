"""`pracha webhook add URL [--events ...] [--agency CODE]` and friends, and the worker command."""

from __future__ import annotations

import io
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pracha.audit.models import AuditEntry
from pracha.notify.models import SUBSCRIBABLE, WebhookDelivery, WebhookSubscription
from tests.cli import pracha_env, run_pracha, start_pracha
from tests.notify.receiver import Receiver
from tests.notify.workflow import new_case


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("webhook", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_add_prints_the_secret_on_the_last_line(db: None) -> None:
    lines = run("add", "https://crm.example.org/pracha", "--name", "Drainage CRM")
    subscription = WebhookSubscription.objects.get()
    assert lines[-1] == subscription.secret and subscription.secret.startswith("whsec_")
    assert subscription.event_types == SUBSCRIBABLE
    assert subscription.name == "Drainage CRM" and subscription.agency is None
    assert AuditEntry.objects.filter(action="webhook.added").count() == 1


def test_add_with_events_and_agency(db: None, make_agency) -> None:  # type: ignore[no-untyped-def]
    make_agency("test-dept", "หน่วยทดสอบ")
    run(
        "add",
        "http://10.0.0.5:8080/in",
        "--events",
        "case.created",
        "case.closed",
        "--agency",
        "test-dept",
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["case.created", "case.closed"]
    assert subscription.agency is not None and subscription.agency.code == "test-dept"
    assert "test-dept" in run("list")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "ftp://example.org/x"], "not an http:// or https:// URL"),
        (["add", "https://example.org/x", "--events", "case.deleted"], "unknown event"),
        (["add", "https://example.org/x", "--agency", "no-such-agency"], "no agency matches"),
        (["ping", "99"], "no webhook #99"),
    ],
)
def test_bad_arguments_are_clear_errors(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not WebhookSubscription.objects.exists()


def test_disable_enable_rotate_remove(db: None) -> None:
    run("add", "https://example.org/hook")
    subscription = WebhookSubscription.objects.get()
    run("disable", str(subscription.pk))
    assert "disabled" in run("list")[0]
    run("enable", str(subscription.pk))
    old = subscription.secret
    new = run("rotate-secret", str(subscription.pk))[-1]
    subscription.refresh_from_db()
    assert new == subscription.secret != old
    run("remove", str(subscription.pk))
    assert not WebhookSubscription.objects.exists()
    assert run("list") == ["No webhooks. Add one: pracha webhook add URL"]


def test_deliver_once_status_and_retry(db: None, receiver: Receiver, pracha) -> None:  # type: ignore[no-untyped-def]
    pracha(webhook_retry_seconds=0, webhook_max_attempts=1)
    receiver.secret = run("add", receiver.url)[-1]
    run("ping", str(WebhookSubscription.objects.get().pk))
    new_case()
    receiver.status = 500
    out = io.StringIO()
    call_command("webhooks", "deliver", "--once", stdout=out)
    assert out.getvalue().strip() == "0 delivered, 2 to retry."
    status = run("status")
    assert status[0] == "pending=0  retrying=0  delivered=0  failed=2"
    assert "HTTP 500" in status[1]
    receiver.status = 200
    assert not AuditEntry.objects.filter(action="webhook.retried").exists()
    assert run("retry") == ["2 deliveries queued again."]
    retried = AuditEntry.objects.filter(action="webhook.retried").order_by("id")
    assert sorted(e.object_id for e in retried) == sorted(
        str(pk) for pk in WebhookDelivery.objects.values_list("pk", flat=True)
    )
    assert {e.object_type for e in retried} == {"webhookdelivery"}
    assert {e.actor_label for e in retried} == {"pracha webhook command"}
    assert [(e.detail["was"], e.detail["attempts"]) for e in retried] == [("failed", 1)] * 2
    assert all(e.detail["last_error"].startswith("HTTP 500") for e in retried)
    call_command("webhooks", "deliver", "--once", stdout=io.StringIO())
    assert WebhookDelivery.objects.filter(delivered_at__isnull=False).count() == 2
    assert all(r.signature_ok for r in receiver.received)
    # Delivered rows are not sent again, and nothing is written for them.
    delivered = str(WebhookDelivery.objects.first().pk)  # type: ignore[union-attr]
    assert run("retry", delivered) == ["0 deliveries queued again."]
    assert run("retry") == ["0 deliveries queued again."]
    assert AuditEntry.objects.filter(action="webhook.retried").count() == 2


@pytest.mark.slow
def test_worker_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = pracha_env(tmp_path)
    run_pracha("migrate", "-v", "0", env=env, cwd=tmp_path, timeout=180, check=True)
    worker = start_pracha(
        "webhooks",
        "deliver",
        "--interval",
        "0.2",
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert "Delivering webhooks" in worker.stdout.readline()
        time.sleep(1)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert "Webhook delivery stopped." in out
    assert "Traceback" not in err
