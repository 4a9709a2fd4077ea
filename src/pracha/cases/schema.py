"""Schema changes that Django's migration operations would make too slowly."""

from __future__ import annotations

from typing import Any


def drop_column_indexes(schema_editor: Any, table: str, column: str) -> None:
    """Drop the plain indexes on `column` alone (Django's db_index, and on PostgreSQL its
    `_like` twin), keeping unique ones and those of several columns.

    Django's AlterField(db_index=False) rebuilds the whole table on SQLite (a copy of every
    case); dropping the index is all the change needs."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, about in constraints.items():
        if (
            about.get("index")
            and about.get("columns") == [column]
            and not about.get("unique")
            and not about.get("primary_key")
        ):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
