"""E-mail notifications are pracha.notify's now.

- PendingReporterMail: its rows were copied into notify's one outbox (notify 0002); its
  table goes.
- OfficerNotification and EmailOptOut: notify's models keep this app's tables and rows
  (web_officernotification, web_emailoptout); they only leave this app's state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0002_pending_reporter_mail"),
        ("notify", "0002_outbox_rows_from_open311_and_web"),
    ]

    operations = [
        migrations.DeleteModel(name="PendingReporterMail"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OfficerNotification"),
                migrations.DeleteModel(name="EmailOptOut"),
            ],
            database_operations=[],
        ),
    ]
