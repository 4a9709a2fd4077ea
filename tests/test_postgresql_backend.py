"""pracha.postgresql: the statements a report runs every time are prepared once per connection."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from pracha.cases.models import Category
from pracha.inserts import insert_new, kept_cursor

pytestmark = pytest.mark.django_db(transaction=True)


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")


def test_a_kept_statement_is_prepared_from_its_second_run(postgres: None) -> None:
    insert_new([Category(code="kept-1", name_th="หนึ่ง", name_en="One")])
    assert not [s for s in prepared_statements() if "cases_category" in s]
    insert_new([Category(code="kept-2", name_th="สอง", name_en="Two")])
    insert_new([Category(code="kept-3", name_th="สาม", name_en="Three")])
    kept = [s for s in prepared_statements() if "cases_category" in s]
    assert len(kept) == 1 and kept[0].startswith("INSERT INTO")
    codes = set(Category.objects.filter(code__startswith="kept-").values_list("code", flat=True))
    assert codes == {"kept-1", "kept-2", "kept-3"}


def test_django_s_own_statements_are_not_prepared(postgres: None) -> None:
    for _ in range(3):
        list(Category.objects.filter(code="x").values_list("pk"))
    assert not [s for s in prepared_statements() if "cases_category" in s]


def test_a_failed_kept_statement_leaves_the_connection_usable(postgres: None) -> None:
    insert_new([Category(code="kept-dup", name_th="ซ้ำ", name_en="Twice")])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new([Category(code="kept-dup", name_th="ซ้ำ", name_en="Twice")])
    insert_new([Category(code="kept-after", name_th="หลัง", name_en="After")])
    insert_new([Category(code="kept-later", name_th="ทีหลัง", name_en="Later")])
    assert Category.objects.filter(code__in=["kept-dup", "kept-after", "kept-later"]).count() == 3


def test_switched_off_the_cursor_binds_on_the_client(postgres: None) -> None:
    options = connection.settings_dict["OPTIONS"]
    saved = options.pop("prepare_threshold", None)
    try:
        with kept_cursor(connection) as cursor:
            assert type(cursor.cursor).__name__ == "Cursor"  # Django's client-binding cursor
    finally:
        if saved is not None:
            options["prepare_threshold"] = saved
    with kept_cursor(connection) as cursor:
        assert type(cursor.cursor).__name__ == "ServerBindingCursor"


def test_on_sqlite_the_cursor_is_an_ordinary_one() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with kept_cursor(connection) as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.fixture
def other() -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A second connection to the same server, as another process would hold."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=True,
    ) as held:
        yield held


def last_query_of(other: psycopg.Connection[tuple[Any, ...]], pid: int) -> str | None:
    """The last statement the server backend `pid` ran, or None once it has gone."""
    row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return None if row is None else str(row[0])


def test_a_quiet_connection_is_usable_without_asking_the_server(
    postgres: None, other: psycopg.Connection[tuple[Any, ...]]
) -> None:
    list(Category.objects.filter(code="quiet").values_list("pk"))
    pid = connection.connection.info.backend_pid
    assert "quiet" in (last_query_of(other, pid) or "")
    assert connection.is_usable()
    assert "quiet" in (last_query_of(other, pid) or "")  # no SELECT 1 sent


def test_a_connection_the_server_ended_is_not_usable_and_the_next_query_reconnects(
    postgres: None, other: psycopg.Connection[tuple[Any, ...]]
) -> None:
    list(Category.objects.filter(code="ended").values_list("pk"))
    pid = connection.connection.info.backend_pid
    other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 10
    while last_query_of(other, pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # until the backend has gone and its goodbye is on the socket
    assert not connection.is_usable()
    close_old_connections()  # as at the start of a request: the next query checks, reconnects
    assert Category.objects.filter(code="ended").count() == 0
    assert connection.connection.info.backend_pid != pid
