"""Case.search_text: the masked copy of description and address that public search uses.

Only the column here: adding it with a constant default is quick, while masking every row is
not, so the rows are filled by 0006_case_search_text_backfill one committed chunk at a time
instead of under this migration's lock on the whole table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_idempotency_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
    ]
