"""SQLite writers queue on a kernel lock (pracha.sqlite): a writer waits for the one inside,
without SQLite's busy sleep, and a killed writer never leaves the others waiting."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import ConnectionHandler

from pracha.config import parse_database_url


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker: Any) -> Any:
    """These tests open their own SQLite files, not the test database."""
    with django_db_blocker.unblock():
        yield


def wrappers(path: Path, *aliases: str, timeout: float = 30) -> list[Any]:
    settings = parse_database_url(f"sqlite:///{path}")
    settings["OPTIONS"] = {**settings["OPTIONS"], "timeout": timeout}  # type: ignore[dict-item]
    handler = ConnectionHandler({alias: dict(settings) for alias in ("default", *aliases)})
    return [handler[alias] for alias in aliases]


def begin_insert(connection: Any, value: int) -> None:
    connection._start_transaction_under_autocommit()
    connection.cursor().execute("INSERT INTO t (v) VALUES (%s)", [value])


def test_a_second_writer_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    # timeout 0: SQLite itself would answer "database is locked" at once; the kernel lock
    # keeps the second writer out of SQLite until the first has committed.
    first, second = wrappers(tmp_path / "db.sqlite3", "first", "second", timeout=0)
    first.cursor().execute("CREATE TABLE t (v INTEGER)")
    begin_insert(first, 1)
    second.inc_thread_sharing()  # used from the thread below
    errors: list[BaseException] = []

    def write() -> None:
        try:
            begin_insert(second, 2)
            second._commit()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() and not errors  # queued behind the first writer
    first._commit()
    thread.join(10)
    assert not thread.is_alive() and errors == []
    rows = first.cursor().execute("SELECT v FROM t ORDER BY v").fetchall()
    assert [v for (v,) in rows] == [1, 2]
    assert (tmp_path / "db.sqlite3-writer.lock").exists()
    first.close()


def test_a_rolled_back_writer_lets_the_next_one_in(tmp_path: Path) -> None:
    first, second = wrappers(tmp_path / "db.sqlite3", "first", "second", timeout=0)
    first.cursor().execute("CREATE TABLE t (v INTEGER)")
    begin_insert(first, 1)
    first._rollback()
    begin_insert(second, 2)
    second._commit()
    assert second.cursor().execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_killed_writer_never_leaves_the_others_waiting(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    [mine] = wrappers(path, "mine", timeout=0)
    mine.cursor().execute("CREATE TABLE t (v INTEGER)")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from django.conf import settings\n"
            "settings.configure()\n"
            "from tests.test_sqlite_writer_lock import wrappers, begin_insert\n"
            f"[c] = wrappers(__import__('pathlib').Path({str(path)!r}), 'c')\n"
            "begin_insert(c, 1)\n"
            "print('inside', flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "inside"
        holder.kill()  # SIGKILL while holding both locks
        holder.wait(10)
        begin_insert(mine, 2)
        mine._commit()
    finally:
        if holder.poll() is None:
            holder.kill()
    assert mine.cursor().execute("SELECT v FROM t").fetchall() == [(2,)]
