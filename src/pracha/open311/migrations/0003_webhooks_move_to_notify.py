"""Webhooks are pracha.notify's now.

- WebhookDelivery: its rows were copied into notify's one outbox (notify 0002, with their
  ids); its table goes.
- WebhookSubscription: notify's model keeps this app's table and rows
  (open311_webhooksubscription); it only leaves this app's state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0002_alert_webhooks"),
        ("notify", "0002_outbox_rows_from_open311_and_web"),
    ]

    operations = [
        migrations.DeleteModel(name="WebhookDelivery"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="WebhookSubscription")],
            database_operations=[],
        ),
    ]
