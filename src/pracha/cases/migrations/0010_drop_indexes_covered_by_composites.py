"""Drop single-column indexes whose column already leads a composite index: each cost every
new case or event an index update and answered no query the composite does not."""

import django.db.models.deletion
from django.db import migrations, models

from pracha.cases.schema import drop_column_indexes

COVERED = [("cases_case", "agency_id"), ("cases_case", "district"), ("cases_event", "case_id")]


def drop_covered(apps: object, schema_editor: object) -> None:
    for table, column in COVERED:
        drop_column_indexes(schema_editor, table, column)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0006_retire_small_cell_specialist_rule"),
        ("cases", "0009_case_source_line"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="agency",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="agencies.agency",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="district",
                    field=models.CharField(blank=True, max_length=100),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="cases.case",
                    ),
                ),
            ],
            # Unapplied, the composites still serve every query: nothing to recreate.
            database_operations=[migrations.RunPython(drop_covered, migrations.RunPython.noop)],
        ),
    ]
