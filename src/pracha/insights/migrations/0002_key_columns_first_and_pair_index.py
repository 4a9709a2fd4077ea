"""Rollup and ForwardRollup again, with their key columns first and the histogram last.

SQLite and PostgreSQL read a row's columns from the front, so queries that need only the
keys and a few counts (case mix, forwarding pairs) read a fraction of each row; and an index
to find chosen agency pairs. The derived tables are emptied: `pracha insights rebuild` (or
the first indicator request) fills them again from the cases and events.
"""

from django.db import migrations, models


def empty_derived_tables(apps, schema_editor):
    for name in ("CaseFact", "HotspotRollup", "RecurringPlace", "ForwardFact", "InsightsState"):
        apps.get_model("insights", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_derived_tables_for_indicators")]

    operations = [
        migrations.DeleteModel(name="Rollup"),
        migrations.DeleteModel(name="ForwardRollup"),
        migrations.RunPython(empty_derived_tables, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ForwardRollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("grain", models.SmallIntegerField()),
                ("period", models.IntegerField()),
                ("from_key", models.BigIntegerField()),
                ("to_key", models.BigIntegerField()),
                ("forwards", models.IntegerField(default=0)),
                ("held_seconds", models.BigIntegerField(default=0)),
                ("bounces", models.IntegerField(default=0)),
                ("h0", models.IntegerField(default=0)),
                ("h1", models.IntegerField(default=0)),
                ("h2", models.IntegerField(default=0)),
                ("h3", models.IntegerField(default=0)),
                ("h4", models.IntegerField(default=0)),
                ("h5", models.IntegerField(default=0)),
                ("h6", models.IntegerField(default=0)),
                ("h7", models.IntegerField(default=0)),
                ("h8", models.IntegerField(default=0)),
                ("h9", models.IntegerField(default=0)),
                ("h10", models.IntegerField(default=0)),
                ("h11", models.IntegerField(default=0)),
                ("h12", models.IntegerField(default=0)),
                ("h13", models.IntegerField(default=0)),
                ("h14", models.IntegerField(default=0)),
                ("h15", models.IntegerField(default=0)),
                ("h16", models.IntegerField(default=0)),
                ("h17", models.IntegerField(default=0)),
                ("h18", models.IntegerField(default=0)),
                ("h19", models.IntegerField(default=0)),
                ("h20", models.IntegerField(default=0)),
                ("h21", models.IntegerField(default=0)),
                ("h22", models.IntegerField(default=0)),
                ("h23", models.IntegerField(default=0)),
                ("h24", models.IntegerField(default=0)),
                ("h25", models.IntegerField(default=0)),
                ("h26", models.IntegerField(default=0)),
                ("h27", models.IntegerField(default=0)),
                ("h28", models.IntegerField(default=0)),
                ("h29", models.IntegerField(default=0)),
                ("h30", models.IntegerField(default=0)),
                ("h31", models.IntegerField(default=0)),
                ("h32", models.IntegerField(default=0)),
                ("h33", models.IntegerField(default=0)),
                ("h34", models.IntegerField(default=0)),
                ("h35", models.IntegerField(default=0)),
                ("h36", models.IntegerField(default=0)),
                ("h37", models.IntegerField(default=0)),
                ("h38", models.IntegerField(default=0)),
                ("h39", models.IntegerField(default=0)),
                ("h40", models.IntegerField(default=0)),
                ("h41", models.IntegerField(default=0)),
                ("h42", models.IntegerField(default=0)),
                ("h43", models.IntegerField(default=0)),
                ("h44", models.IntegerField(default=0)),
                ("h45", models.IntegerField(default=0)),
                ("h46", models.IntegerField(default=0)),
                ("h47", models.IntegerField(default=0)),
                ("h48", models.IntegerField(default=0)),
                ("h49", models.IntegerField(default=0)),
                ("h50", models.IntegerField(default=0)),
                ("h51", models.IntegerField(default=0)),
                ("h52", models.IntegerField(default=0)),
                ("h53", models.IntegerField(default=0)),
                ("h54", models.IntegerField(default=0)),
                ("h55", models.IntegerField(default=0)),
                ("h56", models.IntegerField(default=0)),
                ("h57", models.IntegerField(default=0)),
                ("h58", models.IntegerField(default=0)),
                ("h59", models.IntegerField(default=0)),
                ("h60", models.IntegerField(default=0)),
                ("h61", models.IntegerField(default=0)),
                ("h62", models.IntegerField(default=0)),
                ("h63", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["from_key", "to_key", "grain", "period"], name="forward_pair_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("grain", "period", "from_key", "to_key"),
                        name="insights_forward_key",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Rollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cuboid", models.SmallIntegerField()),
                ("grain", models.SmallIntegerField()),
                (
                    "period",
                    models.IntegerField(
                        help_text="First day covered, as a day number (date.toordinal)"
                    ),
                ),
                ("category", models.CharField(default="", max_length=40)),
                ("district", models.CharField(default="", max_length=100)),
                (
                    "agency_key",
                    models.BigIntegerField(default=0, help_text="Agency id; 0 for none"),
                ),
                ("state", models.CharField(default="", max_length=20)),
                ("reported", models.IntegerField(default=0)),
                ("open", models.IntegerField(default=0)),
                ("open_epoch", models.BigIntegerField(default=0)),
                ("close_seconds", models.BigIntegerField(default=0)),
                ("within_target", models.IntegerField(default=0)),
                ("reopened", models.IntegerField(default=0)),
                ("reopened_open", models.IntegerField(default=0)),
                ("reopen_events", models.IntegerField(default=0)),
                ("stars_sum", models.IntegerField(default=0)),
                ("stars_sq", models.IntegerField(default=0)),
                ("ratings", models.IntegerField(default=0)),
                ("me_too", models.IntegerField(default=0)),
                ("forwards", models.IntegerField(default=0)),
                ("hop1", models.IntegerField(default=0)),
                ("hop2", models.IntegerField(default=0)),
                ("hop3", models.IntegerField(default=0)),
                ("hop4", models.IntegerField(default=0)),
                ("h0", models.IntegerField(default=0)),
                ("h1", models.IntegerField(default=0)),
                ("h2", models.IntegerField(default=0)),
                ("h3", models.IntegerField(default=0)),
                ("h4", models.IntegerField(default=0)),
                ("h5", models.IntegerField(default=0)),
                ("h6", models.IntegerField(default=0)),
                ("h7", models.IntegerField(default=0)),
                ("h8", models.IntegerField(default=0)),
                ("h9", models.IntegerField(default=0)),
                ("h10", models.IntegerField(default=0)),
                ("h11", models.IntegerField(default=0)),
                ("h12", models.IntegerField(default=0)),
                ("h13", models.IntegerField(default=0)),
                ("h14", models.IntegerField(default=0)),
                ("h15", models.IntegerField(default=0)),
                ("h16", models.IntegerField(default=0)),
                ("h17", models.IntegerField(default=0)),
                ("h18", models.IntegerField(default=0)),
                ("h19", models.IntegerField(default=0)),
                ("h20", models.IntegerField(default=0)),
                ("h21", models.IntegerField(default=0)),
                ("h22", models.IntegerField(default=0)),
                ("h23", models.IntegerField(default=0)),
                ("h24", models.IntegerField(default=0)),
                ("h25", models.IntegerField(default=0)),
                ("h26", models.IntegerField(default=0)),
                ("h27", models.IntegerField(default=0)),
                ("h28", models.IntegerField(default=0)),
                ("h29", models.IntegerField(default=0)),
                ("h30", models.IntegerField(default=0)),
                ("h31", models.IntegerField(default=0)),
                ("h32", models.IntegerField(default=0)),
                ("h33", models.IntegerField(default=0)),
                ("h34", models.IntegerField(default=0)),
                ("h35", models.IntegerField(default=0)),
                ("h36", models.IntegerField(default=0)),
                ("h37", models.IntegerField(default=0)),
                ("h38", models.IntegerField(default=0)),
                ("h39", models.IntegerField(default=0)),
                ("h40", models.IntegerField(default=0)),
                ("h41", models.IntegerField(default=0)),
                ("h42", models.IntegerField(default=0)),
                ("h43", models.IntegerField(default=0)),
                ("h44", models.IntegerField(default=0)),
                ("h45", models.IntegerField(default=0)),
                ("h46", models.IntegerField(default=0)),
                ("h47", models.IntegerField(default=0)),
                ("h48", models.IntegerField(default=0)),
                ("h49", models.IntegerField(default=0)),
                ("h50", models.IntegerField(default=0)),
                ("h51", models.IntegerField(default=0)),
                ("h52", models.IntegerField(default=0)),
                ("h53", models.IntegerField(default=0)),
                ("h54", models.IntegerField(default=0)),
                ("h55", models.IntegerField(default=0)),
                ("h56", models.IntegerField(default=0)),
                ("h57", models.IntegerField(default=0)),
                ("h58", models.IntegerField(default=0)),
                ("h59", models.IntegerField(default=0)),
                ("h60", models.IntegerField(default=0)),
                ("h61", models.IntegerField(default=0)),
                ("h62", models.IntegerField(default=0)),
                ("h63", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "cuboid",
                            "grain",
                            "period",
                            "category",
                            "district",
                            "agency_key",
                            "state",
                        ),
                        name="insights_rollup_key",
                    )
                ],
            },
        ),
    ]
