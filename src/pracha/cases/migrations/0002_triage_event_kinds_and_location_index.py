# Event kinds written by triage (triaged, triage_corrected, merged) and the index behind the
# duplicate search (recent cases in a small lat/lon box).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Reported"),
                    ("accepted", "Accepted"),
                    ("state_changed", "State changed"),
                    ("forwarded", "Forwarded"),
                    ("invited", "Agency invited"),
                    ("commented", "Comment"),
                    ("closed", "Closed"),
                    ("reopened", "Reopened"),
                    ("rated", "Rated"),
                    ("me_too", "Me too"),
                    ("photo_added", "Photo added"),
                    ("triaged", "Triaged"),
                    ("triage_corrected", "Triage corrected"),
                    ("merged", "Duplicate merged in"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["lat", "lon", "created_at"], name="case_lat_lon_created_idx"
            ),
        ),
    ]
