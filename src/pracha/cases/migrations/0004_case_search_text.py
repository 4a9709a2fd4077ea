"""Case.search_text: the masked copy of description and address that public search uses."""

from typing import Any

from django.db import migrations, models

CHUNK = 1000


def fill_search_text(apps: Any, schema_editor: Any) -> None:
    # The current masking rules; `pracha reindex-search` re-applies them after they change.
    from pracha.cases.searchtext import public_search_text

    Case = apps.get_model("cases", "Case")
    rows = Case.objects.order_by("pk").values_list("pk", "description", "address")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:CHUNK]):
        last = batch[-1][0]
        Case.objects.bulk_update(
            [Case(pk=pk, search_text=public_search_text(d, a)) for pk, d, a in batch],
            ["search_text"],
        )


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
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
    ]
