"""Moving notifications into pracha.notify keeps every row: a database at the state before
(webhook subscriptions and deliveries in open311, e-mail preferences, opt-outs and pending
reporter mail in web) migrates forward with its rows, which the senders then send, and
backwards again without losing what was pending."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from pracha.notify.email import send_due_reporter_mail
from pracha.notify.models import (
    Channel,
    Delivery,
    EmailOptOut,
    MailType,
    OfficerNotification,
    WebhookDelivery,
    WebhookSubscription,
)
from pracha.notify.optout import address_hash
from pracha.notify.outbox import queue
from pracha.notify.webhooks.delivery import deliver_due
from tests.notify.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("open311", "0002_alert_webhooks"), ("web", "0002_pending_reporter_mail")]
OLD_TABLES = {"open311_webhookdelivery", "web_pendingreportermail"}
LEASE = timedelta(minutes=10)


def migrate_back() -> Any:
    """The test database as it was before notify existed (the other apps as they are now);
    returns the historical apps."""
    MigrationExecutor(connection).migrate([("notify", None), *BEFORE])
    loader = MigrationExecutor(connection).loader
    moved = {"notify", *(app for app, _ in BEFORE)}
    others = [node for node in loader.graph.leaf_nodes() if node[0] not in moved]
    return loader.project_state([*others, *BEFORE]).apps


def migrate_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield migrate_back()
    migrate_forward()  # the latest schema again for the other tests


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def store_old_rows(apps: Any, receiver_url: str, secret: str) -> dict[str, Any]:
    """What a live database holds before the move, in the old apps' tables."""
    now = timezone.now()
    Agency = apps.get_model("agencies", "Agency")
    agency = Agency.objects.create(code="migration-test", name_th="หน่วยทดสอบการย้าย")
    User = apps.get_model("auth", "User")
    Officer = apps.get_model("agencies", "Officer")
    officer = Officer.objects.create(user=User.objects.create(username="somchai"), agency=agency)
    Case = apps.get_model("cases", "Case")
    Event = apps.get_model("cases", "Event")
    Contact = apps.get_model("cases", "ReporterContact")
    cases, events = [], []
    for n in range(3):
        case = Case.objects.create(
            ticket_id=f"2024-MIG{n:03d}", agency=agency, description=f"ถนนพังจุดที่ {n}"
        )
        Contact.objects.create(case=case, email=f"reporter{n}@example.org")
        cases.append(case)
        events.append(
            Event.objects.create(case=case, kind="created", at=now - timedelta(hours=3 - n))
        )

    Subscription = apps.get_model("open311", "WebhookSubscription")
    hook = Subscription.objects.create(name="CRM", url=receiver_url, secret=secret)
    quiet = Subscription.objects.create(
        name="Off", url="https://off.example.org/", agency=agency, is_active=False
    )
    Old = apps.get_model("open311", "WebhookDelivery")

    def delivery(**fields: Any) -> Any:
        fields.setdefault("subscription", hook)
        return Old.objects.create(created_at=now - timedelta(hours=4), **fields)

    body = json.dumps({"id": "kept", "type": "case.created", "sequence": events[0].pk})
    rows = {
        "delivered": delivery(
            event_type="case.created", case_event=events[0], ticket_id=cases[0].ticket_id,
            body=body, attempts=1, last_status=200, delivered_at=now - timedelta(hours=2),
        ),
        "failed": delivery(
            event_type="case.created", case_event=events[1], ticket_id=cases[1].ticket_id,
            attempts=20, last_status=500, last_error="HTTP 500 Internal Server Error",
            failed_at=now - timedelta(hours=1),
        ),
        "retrying": delivery(
            event_type="case.created", case_event=events[2], ticket_id=cases[2].ticket_id,
            body='{"the": "bytes first sent"}', attempts=2, last_status=503,
            last_error="HTTP 503", next_attempt_at=now - timedelta(seconds=5),
        ),
        "alert": delivery(
            event_type="insights.alert", body='{"type": "insights.alert"}', subscription=quiet,
            next_attempt_at=now + timedelta(minutes=3),
        ),
        "ping": delivery(event_type="ping"),
    }  # fmt: skip
    Pending = apps.get_model("web", "PendingReporterMail")
    Pending.objects.create(event=events[0], case=cases[0], at=events[0].at)
    claim = uuid.uuid4()
    Pending.objects.create(
        event=events[1], case=cases[1], at=events[1].at, claimed_at=now, claim=claim, attempts=1
    )
    apps.get_model("web", "OfficerNotification").objects.create(
        officer=officer, mode="daily", language="en"
    )
    OptOut = apps.get_model("web", "EmailOptOut")
    OptOut.objects.create(address_hash=address_hash("reporter2@example.org"), case=cases[2])
    OptOut.objects.create(address_hash=address_hash("everything@example.org"))
    return {
        "now": now,
        "cases": cases,
        "events": events,
        "subscriptions": (hook.pk, quiet.pk),
        "deliveries": {name: row.pk for name, row in rows.items()},
        "claim": claim,
        "officer": officer.pk,
    }


def test_migrating_forward_keeps_every_row_and_the_senders_send_them(
    old_apps: Any, receiver: Receiver
) -> None:
    assert tables() >= OLD_TABLES and "notify_delivery" not in tables()
    receiver.secret = "whsec_migrated"
    old = store_old_rows(old_apps, receiver.url, receiver.secret)
    old_type = ContentType.objects.filter(app_label="open311", model="webhooksubscription")
    type_id = old_type.values_list("pk", flat=True).first()

    migrate_forward()

    assert not OLD_TABLES & tables()
    # Subscriptions, preferences and opt-outs: the same rows in the same tables.
    hook, quiet = (WebhookSubscription.objects.get(pk=pk) for pk in old["subscriptions"])
    assert (hook.url, hook.secret, hook.is_active) == (receiver.url, "whsec_migrated", True)
    assert (quiet.agency.code, quiet.is_active) == ("migration-test", False)
    pref = OfficerNotification.objects.get()
    assert (pref.officer_id, pref.mode, pref.language) == (old["officer"], "daily", "en")
    assert EmailOptOut.objects.count() == 2
    if type_id is not None:  # content types follow the model (admin history, permissions)
        moved = ContentType.objects.get(pk=type_id)
        assert (moved.app_label, moved.model) == ("notify", "webhooksubscription")

    # Webhook deliveries: every one, under its old id, as it was.
    ids = old["deliveries"]
    rows = {name: WebhookDelivery.objects.get(pk=pk) for name, pk in ids.items()}
    assert WebhookDelivery.objects.count() == len(ids)
    assert {name: row.status for name, row in rows.items()} == {
        "delivered": "delivered",
        "failed": "failed",
        "retrying": "retrying",
        "alert": "pending",
        "ping": "pending",
    }
    assert rows["retrying"].body == '{"the": "bytes first sent"}'
    assert (rows["failed"].attempts, rows["failed"].last_error) == (
        20,
        "HTTP 500 Internal Server Error",
    )
    assert rows["retrying"].case_id == old["cases"][2].pk
    assert (
        rows["alert"].case_id is None and rows["alert"].subscription_id == old["subscriptions"][1]
    )
    assert {r.channel for r in rows.values()} == {Channel.WEBHOOK}

    # Reporters' pending mail: an e-mail row per event, due as it was.
    free, held = Delivery.objects.on(Channel.EMAIL).order_by("occurred_at")
    for row, n in ((free, 0), (held, 1)):
        assert (row.event_type, row.case_id, row.case_event_id) == (
            MailType.REPORTER, old["cases"][n].pk, old["events"][n].pk,
        )  # fmt: skip
        assert row.occurred_at == old["events"][n].at
    assert (free.attempts, free.claim, free.next_attempt_at) == (0, None, free.occurred_at)
    assert (held.attempts, held.claim) == (1, old["claim"])
    assert held.next_attempt_at == old["now"] + LEASE  # free when the old sender's lease ends

    # New rows are numbered after the copied ones.
    [new] = queue(Channel.WEBHOOK, [{"event_type": "ping", "subscription": hook}])
    assert new.pk > max(ids.values())

    # The senders pick the rows up: the retry goes out with the bytes first sent.
    result = deliver_due()
    assert result.delivered == 3  # the retry, the ping and the new ping; not the disabled one
    sent = {got.event_id: got for got in receiver.accepted()}
    assert sent[str(rows["retrying"].event_id)].body == b'{"the": "bytes first sent"}'
    assert sent[str(rows["retrying"].event_id)].headers["X-Pracha-Delivery-Attempt"] == "3"
    assert send_due_reporter_mail() == 1
    assert [m.to for m in mail.outbox] == [["reporter0@example.org"]]
    assert send_due_reporter_mail(now=old["now"] + LEASE + timedelta(seconds=1)) == 1


def test_migrating_back_keeps_what_was_pending(old_apps: Any, receiver: Receiver) -> None:
    old = store_old_rows(old_apps, receiver.url, "whsec_back")
    migrate_forward()

    apps = migrate_back()

    Old = apps.get_model("open311", "WebhookDelivery")
    assert set(Old.objects.values_list("pk", flat=True)) == set(old["deliveries"].values())
    assert Old.objects.get(pk=old["deliveries"]["retrying"]).body == '{"the": "bytes first sent"}'
    Pending = apps.get_model("web", "PendingReporterMail")
    rows = {p.event_id: p for p in Pending.objects.all()}
    assert set(rows) == {old["events"][0].pk, old["events"][1].pk}
    held = rows[old["events"][1].pk]
    assert (held.attempts, held.claim, held.claimed_at) == (1, old["claim"], old["now"])
    assert rows[old["events"][0].pk].claimed_at is None
    assert apps.get_model("web", "OfficerNotification").objects.count() == 1
    assert apps.get_model("open311", "WebhookSubscription").objects.count() == 2
