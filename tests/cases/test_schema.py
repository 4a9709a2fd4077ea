"""Indexes: none on a column that already leads a composite index (cases.schema)."""

from __future__ import annotations

import pytest
from django.db import connection

COVERED = [
    ("cases_case", "agency_id"),
    ("cases_case", "district"),
    ("cases_event", "case_id"),
    ("notify_delivery", "case_id"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "column"), COVERED)
def test_a_column_leading_a_composite_has_no_index_of_its_own(table: str, column: str) -> None:
    with connection.cursor() as cursor:
        indexes = [
            about["columns"]
            for about in connection.introspection.get_constraints(cursor, table).values()
            if about.get("index") and not about.get("primary_key")
        ]
    assert [column] not in indexes
    assert any(len(columns) > 1 and columns[0] == column for columns in indexes)
