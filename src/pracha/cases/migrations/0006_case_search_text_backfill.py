"""Fill Case.search_text (added empty by 0004) for the rows stored before it existed.

Not atomic: each chunk of rows commits on its own, so the table is never locked for the whole
run and readers and writers go on between chunks; an interrupted run resumes, since rows whose
masked text is already right are skipped. Not elidable: a squash must keep it.
"""

from typing import Any

from django.db import migrations

from pracha.cases.models import refresh_search_text

CHUNK = 2000


def fill_search_text(apps: Any, schema_editor: Any) -> None:
    # The same code as `pracha reindex-search`, run on the historical model.
    cases = apps.get_model("cases", "Case")._base_manager.using(schema_editor.connection.alias)
    refresh_search_text(cases.all(), chunk=CHUNK)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0005_me_too_one_per_person"),
    ]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
