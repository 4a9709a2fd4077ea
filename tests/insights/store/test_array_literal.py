"""PostgreSQL array literals built for the indicators' bulk upserts read back as the values."""

from __future__ import annotations

import pytest
from django.db import connection

from pracha.insights.store.deltas import array_literal

pytestmark = pytest.mark.django_db

TEXTS = ["บางรัก", 'say "hi"', "back\\slash", "a,b", "{braces}", "", "NULL", " spaced "]


def test_integers_are_joined_plainly() -> None:
    assert array_literal([1, -2, 30]) == "{1,-2,30}"


def test_texts_and_none_are_quoted() -> None:
    assert array_literal(["x", None, 'a"b']) == '{"x",NULL,"a\\"b"}'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL arrays")
def test_postgresql_reads_them_back_exactly() -> None:
    values = [*TEXTS, None]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::varchar[], %s::bigint[]",
            [array_literal(values), array_literal([0, 2**40, -1])],
        )
        texts, numbers = cursor.fetchone()
    assert texts == values
    assert numbers == [0, 2**40, -1]
