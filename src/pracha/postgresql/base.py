# django-stubs leave out the backend's private methods this class uses:
# mypy: disable-error-code="misc"
"""Django's PostgreSQL backend, plus `kept_cursor()` for statements written once per process.

Django binds parameters on the client (psycopg's ClientCursor): every statement reaches
PostgreSQL as new text, which it parses and plans again. For the few statements a citizen's
report runs every time (pracha.inserts keeps each model's INSERT; the duplicate search is one
fixed SELECT) that was a third of PostgreSQL's CPU per report. `kept_cursor()` binds on the
server instead, so psycopg prepares each such statement the first time a connection runs it
and afterwards only sends its parameters.

Only callers that ask for it get this cursor: Django's own SQL is not always preparable (the
same parameter written twice in a GROUP BY becomes two parameters, Django ticket #20516), and
a server-bound statement takes at most 65,535 parameters, which a kept statement never nears.
PRACHA_DB_PREPARED_STATEMENTS=0 turns it off (a connection pooler in transaction mode that
does not track prepared statements, such as PgBouncer before 1.21): the cursor is then an
ordinary one.

`is_usable()` (Django's health check, once per request with CONN_HEALTH_CHECKS) asks the socket
before asking the server; see there.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base, operations
from django.db.backends.utils import CursorWrapper
from psycopg import errors, pq


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(  # type: ignore[override]  # Django's returns None too
        self, cursor: Any, sql: str, params: Any
    ) -> str | None:
        """The statement with its values, for query logs and tests that read them, from a
        server-binding cursor too (Django reads only a client-binding cursor's)."""
        if isinstance(cursor, base.ServerBindingCursor):
            try:
                return self.compose_sql(sql, params)
            except errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def prepares_statements(self) -> bool:
        return self.settings_dict["OPTIONS"].get("prepare_threshold") is not None

    def is_usable(self) -> bool:
        """Whether the idle connection still reaches the server, without a round trip when
        nothing has arrived on it.

        Django's check sends `SELECT 1` at the start of every request: a round trip that was
        8% of a web worker's time per report. Between requests the server sends nothing on
        its own unless the connection is ending (a restart, `pg_terminate_backend`, an idle
        timeout: it writes the reason and closes, and the socket turns readable). So a quiet
        socket on a connection libpq still holds good is answered without the server, and
        anything else, a readable socket included, falls back to Django's `SELECT 1`.
        """
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status == pq.ConnStatus.OK and not _has_data(pgconn.socket):
            return True
        return bool(super().is_usable())

    def kept_cursor(self) -> CursorWrapper:
        """A cursor whose statements PostgreSQL prepares once per connection (see above)."""
        if not self.prepares_statements():
            return self.cursor()
        # As BaseDatabaseWrapper._cursor() does, with psycopg's server-binding cursor.
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            server_binding: Any = base.ServerBindingCursor  # psycopg's Cursor, for the stubs
            wrapped: CursorWrapper = self._prepare_cursor(server_binding(self.connection))  # type: ignore[attr-defined]
            return wrapped


def _has_data(fd: int) -> bool:
    """Whether the socket has something to read (or was closed), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
