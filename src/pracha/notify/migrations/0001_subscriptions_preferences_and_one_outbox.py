"""The notify app takes over what pracha.open311 and pracha.web kept for notifications.

- WebhookSubscription, OfficerNotification and EmailOptOut keep their shape and their tables
  (open311_webhooksubscription, web_officernotification, web_emailoptout): they enter
  notify's state only, so every row stays where it is. open311 0003 and web 0003 take them
  out of those apps' state.
- Their content types move with them (admin history, any permissions granted on them).
- Delivery is the one outbox of every channel (a new table); WebhookDelivery, its webhook
  rows, is a proxy. 0002 copies the rows of the two outboxes it replaces into it.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import pracha.notify.models

# (old app, model) -> the model in notify that takes over its content type.
CONTENT_TYPES = [
    ("open311", "webhooksubscription", "webhooksubscription"),
    ("open311", "webhookdelivery", "webhookdelivery"),
    ("web", "officernotification", "officernotification"),
    ("web", "emailoptout", "emailoptout"),
]


def move_content_types(apps, schema_editor, backwards=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for old_app, old_model, new_model in CONTENT_TYPES:
        source, target = ("notify", new_model), (old_app, old_model)
        if not backwards:
            source, target = target, source
        if types.filter(app_label=target[0], model=target[1]).exists():
            continue  # made already (a migrate of notify alone): leave both as they are
        types.filter(app_label=source[0], model=source[1]).update(
            app_label=target[0], model=target[1]
        )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agencies", "0005_officer_display_name"),
        ("cases", "0006_case_search_text_backfill"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("open311", "0002_alert_webhooks"),
        ("web", "0002_pending_reporter_mail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WebhookSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="Who receives it, e.g. 'BMA drainage CRM'", max_length=100
                            ),
                        ),
                        (
                            "url",
                            models.URLField(
                                help_text="http:// or https:// address that is POSTed",
                                max_length=500,
                            ),
                        ),
                        (
                            "secret",
                            models.CharField(
                                default=pracha.notify.models.new_secret,
                                help_text="Signs each delivery (HMAC-SHA256); give it to the receiver",
                                max_length=100,
                            ),
                        ),
                        (
                            "events",
                            models.CharField(
                                default="case.created,case.state_changed,case.forwarded,case.closed,case.reopened,case.commented,insights.alert",
                                help_text="Comma-separated event types: case.created, case.state_changed, case.forwarded, case.closed, case.reopened, case.commented, insights.alert",
                                max_length=300,
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                help_text="Only cases this agency handles, handled or shares; empty: every case",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhooks",
                                to="agencies.agency",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "open311_webhooksubscription",
                        "ordering": ["id"],
                    },
                ),
                migrations.CreateModel(
                    name="OfficerNotification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("off", "No e-mail"),
                                    ("immediate", "A message for every new case"),
                                    ("daily", "One daily digest"),
                                ],
                                default="off",
                                max_length=10,
                            ),
                        ),
                        ("language", models.CharField(default="th", max_length=5)),
                        ("last_digest_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "officer",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification",
                                to="agencies.officer",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "web_officernotification",
                    },
                ),
                migrations.CreateModel(
                    name="EmailOptOut",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("address_hash", models.CharField(db_index=True, max_length=64)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                help_text="The case the reporter stopped hearing about; empty for every case",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "web_emailoptout",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("address_hash", "case"), name="email_opt_out_once_per_case"
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("case__isnull", True)),
                                fields=("address_hash",),
                                name="email_opt_out_once_overall",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("webhook", "Webhook"), ("email", "E-mail")], max_length=20
                    ),
                ),
                (
                    "event_type",
                    models.CharField(
                        choices=[
                            ("case.created", "Case created"),
                            ("case.state_changed", "State changed (accepted, in progress, ...)"),
                            ("case.forwarded", "Forwarded to another agency"),
                            ("case.closed", "Closed"),
                            ("case.reopened", "Reopened"),
                            ("case.commented", "Public comment"),
                            ("insights.alert", "Early-warning alert: an unusual spike of reports"),
                            ("ping", "Test ping"),
                            (
                                "reporter.news",
                                "News of a report, to whoever follows it (batched per case)",
                            ),
                            (
                                "officer.new_case",
                                "A case new in an inbox, to officers who asked at once",
                            ),
                        ],
                        help_text="A webhook event type, or what an e-mail is about",
                        max_length=40,
                    ),
                ),
                ("event_id", models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ("ticket_id", models.CharField(blank=True, max_length=32)),
                (
                    "occurred_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        help_text="When it happened (an e-mail batch window starts here)",
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        blank=True, help_text="The JSON sent; fixed at the first attempt"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "claim",
                    models.UUIDField(
                        blank=True, help_text="The worker that took it last", null=True
                    ),
                ),
                ("last_attempt_at", models.DateTimeField(blank=True, null=True)),
                (
                    "last_status",
                    models.PositiveIntegerField(blank=True, help_text="HTTP status", null=True),
                ),
                ("last_error", models.TextField(blank=True)),
                (
                    "delivered_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Sent: the receiver or the mail server took it",
                        null=True,
                    ),
                ),
                (
                    "failed_at",
                    models.DateTimeField(
                        blank=True, help_text="Given up after the last attempt", null=True
                    ),
                ),
                (
                    "subscription",
                    models.ForeignKey(
                        blank=True,
                        help_text="The webhook it is sent to (webhooks only)",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="notify.webhooksubscription",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "case_event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cases.event",
                    ),
                ),
            ],
            options={
                "verbose_name": "outbox row",
                "verbose_name_plural": "outbox (every channel)",
                "ordering": ["-id"],
                "indexes": [
                    models.Index(
                        fields=["channel", "delivered_at", "failed_at", "next_attempt_at"],
                        name="notify_due_idx",
                    ),
                    models.Index(fields=["case", "occurred_at"], name="notify_case_occurred_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subscription", "case_event"), name="notify_one_webhook_per_event"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("channel", "email")),
                        fields=("case_event", "event_type"),
                        name="notify_one_mail_per_event",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[],
            options={
                "verbose_name": "webhook delivery",
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-id"],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("notify.delivery",),
        ),
    ]
