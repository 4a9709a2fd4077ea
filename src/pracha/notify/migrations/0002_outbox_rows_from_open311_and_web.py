"""Copy the rows of the two outboxes the one outbox replaces, before their tables go
(open311 0003, web 0003):

- every open311 WebhookDelivery (pending, retrying, given up, and delivered ones still
  kept for `pracha webhooks status`), with its id (audit entries and `pracha webhooks retry
  ID` name rows by it), event id, body, attempts, times, last status and error: what the
  sender, `status`, `retry` and the admin need;
- every web PendingReporterMail (a reporter's event not e-mailed yet): an e-mail row about
  the same event and case, due when it was (a row a sender held is due when that sender's
  lease runs out, as before), with its attempts.

Backwards, the rows go back where they came from (officers' e-mail rows, which had no table
before, are dropped), so nothing pending is lost either way.
"""

import uuid
from datetime import timedelta

from django.core.management.color import no_style
from django.db import migrations

CHUNK = 1000
# pracha.web's lease on the rows it was sending (CLAIM_LEASE), as it was when they were made.
MAIL_LEASE = timedelta(minutes=10)
WEBHOOK_FIELDS = [
    "id",
    "event_id",
    "subscription_id",
    "event_type",
    "case_event_id",
    "ticket_id",
    "occurred_at",
    "body",
    "created_at",
    "attempts",
    "next_attempt_at",
    "last_attempt_at",
    "last_status",
    "last_error",
    "delivered_at",
    "failed_at",
]


def _in_chunks(model, db, rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            model.objects.using(db).bulk_create(batch)
            batch = []
    if batch:
        model.objects.using(db).bulk_create(batch)


def _reset_sequence(schema_editor, model):
    """Rows were written with their old ids: new ones must be numbered after them
    (PostgreSQL's sequence does not move by itself; SQLite needs nothing)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def _webhook_row(Delivery, row):
    fields = {name: row[name] for name in WEBHOOK_FIELDS}
    return Delivery(channel="webhook", case_id=row["case_event__case_id"], **fields)


def copy_rows(apps, schema_editor):
    db = schema_editor.connection.alias
    Delivery = apps.get_model("notify", "Delivery")
    WebhookDelivery = apps.get_model("open311", "WebhookDelivery")
    PendingReporterMail = apps.get_model("web", "PendingReporterMail")

    webhooks = (
        WebhookDelivery.objects.using(db)
        .order_by("pk")
        .values(*WEBHOOK_FIELDS, "case_event__case_id")
        .iterator(chunk_size=CHUNK)
    )
    _in_chunks(Delivery, db, (_webhook_row(Delivery, row) for row in webhooks))
    _reset_sequence(schema_editor, Delivery)

    mails = (
        PendingReporterMail.objects.using(db)
        .order_by("at", "pk")
        .values("event_id", "case_id", "case__ticket_id", "at", "claimed_at", "claim", "attempts")
        .iterator(chunk_size=CHUNK)
    )
    _in_chunks(
        Delivery,
        db,
        (
            Delivery(
                channel="email",
                event_type="reporter.news",
                event_id=uuid.uuid4(),
                case_id=row["case_id"],
                case_event_id=row["event_id"],
                ticket_id=row["case__ticket_id"] or "",
                occurred_at=row["at"],
                created_at=row["at"],
                attempts=row["attempts"],
                claim=row["claim"],
                next_attempt_at=row["claimed_at"] + MAIL_LEASE if row["claimed_at"] else row["at"],
            )
            for row in mails
        ),
    )


def copy_rows_back(apps, schema_editor):
    db = schema_editor.connection.alias
    Delivery = apps.get_model("notify", "Delivery")
    WebhookDelivery = apps.get_model("open311", "WebhookDelivery")
    PendingReporterMail = apps.get_model("web", "PendingReporterMail")

    webhooks = (
        Delivery.objects.using(db)
        .filter(channel="webhook", subscription__isnull=False)
        .order_by("pk")
        .values(*WEBHOOK_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    _in_chunks(WebhookDelivery, db, (WebhookDelivery(**row) for row in webhooks))
    _reset_sequence(schema_editor, WebhookDelivery)

    mails = (
        Delivery.objects.using(db)
        .filter(
            channel="email",
            event_type="reporter.news",
            delivered_at__isnull=True,
            failed_at__isnull=True,
            case__isnull=False,
            case_event__isnull=False,
        )
        .order_by("pk")
        .values("case_event_id", "case_id", "occurred_at", "next_attempt_at", "claim", "attempts")
        .iterator(chunk_size=CHUNK)
    )
    _in_chunks(
        PendingReporterMail,
        db,
        (
            PendingReporterMail(
                event_id=row["case_event_id"],
                case_id=row["case_id"],
                at=row["occurred_at"],
                # Held (being sent, or waiting for a retry): free again when it was due.
                claimed_at=row["next_attempt_at"] - MAIL_LEASE
                if row["claim"] or row["attempts"]
                else None,
                claim=row["claim"],
                attempts=min(row["attempts"], 32767),
            )
            for row in mails
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_subscriptions_preferences_and_one_outbox"),
        ("open311", "0002_alert_webhooks"),
        ("web", "0002_pending_reporter_mail"),
    ]

    operations = [migrations.RunPython(copy_rows, copy_rows_back)]
