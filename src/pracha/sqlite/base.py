# django-stubs leave out the backend's private methods this class extends:
# mypy: disable-error-code="misc"
"""Django's SQLite backend whose write transactions queue on a kernel file lock.

SQLite lets one writer in at a time. A writer that finds the database locked waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10 ... 100 ms between tries and knows nothing of
when the lock frees; several server processes filing reports at once then spend most of their
time asleep, with seconds-long outliers. Here every transaction (BEGIN IMMEDIATE, which takes
SQLite's write lock at once) first takes an exclusive flock on `<database>-writer.lock`: the
waiting processes sleep in the kernel and the next one wakes the moment the lock is released.

SQLite's own lock still decides correctness: the flock only orders the queue. Statements run
outside a transaction (autocommit writes) and programs that do not use this engine still meet
SQLite's lock and its busy timeout. The kernel drops a flock when its process dies, so a killed
worker never leaves the others waiting.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock_fd: int | None = None
        self._writer_lock_held = False

    def _writer_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}-writer.lock"

    def _take_writer_lock(self) -> None:
        self.ensure_connection()  # the transaction mode is read from the settings on connect
        if self._writer_lock_held or getattr(self, "transaction_mode", None) != "IMMEDIATE":
            return  # DEFERRED transactions take SQLite's write lock only when they write
        if self._writer_lock_fd is None:
            path = self._writer_lock_path()
            if path is None:
                return
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._writer_lock_fd, fcntl.LOCK_EX)  # waits in the kernel, GIL released
        self._writer_lock_held = True

    def _release_writer_lock(self) -> None:
        if self._writer_lock_held and self._writer_lock_fd is not None:
            self._writer_lock_held = False
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_lock_fd is not None:
                os.close(self._writer_lock_fd)
                self._writer_lock_fd = None
