"""Drop the outbox's index on case alone: notify_case_occurred_idx leads with it."""

import django.db.models.deletion
from django.db import migrations, models

from pracha.cases.schema import drop_column_indexes


def drop_covered(apps: object, schema_editor: object) -> None:
    drop_column_indexes(schema_editor, "notify_delivery", "case_id")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_drop_indexes_covered_by_composites"),
        ("notify", "0007_line_proposals_and_journeys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="case",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
            ],
            # Unapplied, the composite still serves every query: nothing to recreate.
            database_operations=[migrations.RunPython(drop_covered, migrations.RunPython.noop)],
        ),
    ]
