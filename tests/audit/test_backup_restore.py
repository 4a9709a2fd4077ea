"""`pracha backup` and `pracha restore`: back up, change data, restore, the data is back.
SQLite through the online backup API; PostgreSQL through pg_dump/pg_restore when
DATABASE_URL is PostgreSQL and pg_dump is installed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from pracha.audit.backup import BackupError, sqlite_backup, sqlite_restore
from tests.cli import (
    drop_postgres_database,
    fresh_postgres_database,
    postgres_url,
    run_pracha,
    server_env,
)


def make_pracha_like_db(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE TABLE cases_case (id INTEGER PRIMARY KEY, ticket_id TEXT)")
        conn.executemany(
            "INSERT INTO cases_case (ticket_id) VALUES (?)",
            [(f"2026-T{i:05d}",) for i in range(500)],
        )
    conn.close()


def tickets(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT ticket_id FROM cases_case ORDER BY id")]
    finally:
        conn.close()


def test_sqlite_backup_while_a_writer_holds_a_connection(tmp_path: Path) -> None:
    live, copy = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    make_pracha_like_db(live)
    writer = sqlite3.connect(live)  # the server keeps its connection open
    writer.execute("INSERT INTO cases_case (ticket_id) VALUES ('2026-LATEST')")
    writer.commit()

    sqlite_backup(live, copy)
    writer.execute("DELETE FROM cases_case")
    writer.commit()

    assert len(tickets(copy)) == 501 and tickets(copy)[-1] == "2026-LATEST"
    assert not (tmp_path / "copy.sqlite3-wal").exists()  # one self-contained file
    sqlite_restore(copy, live)
    assert len(tickets(live)) == 501
    assert writer.execute("SELECT count(*) FROM cases_case").fetchone()[0] == 501
    writer.close()


def test_restore_refuses_what_is_not_a_pracha_backup(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    make_pracha_like_db(live)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()

    with pytest.raises(BackupError, match="not a SQLite database"):
        sqlite_restore(junk, live)
    with pytest.raises(BackupError, match="not a Pracha database"):
        sqlite_restore(other, live)
    assert len(tickets(live)) == 500  # untouched


FILE_A_CASE = """
from pracha.intake.services import NewCase, Reporter, do_create_case
case, _ = do_create_case(NewCase(description={text!r}, lat=13.7563, lon=100.5018,
                                 reporter=Reporter(name="ก", phone="0812345678")))
print(case.ticket_id)
"""
CASES = "from pracha.cases.models import Case; "
COUNT = CASES + "print(sorted(Case.objects.values_list('description', flat=True)))"
AUDIT = (
    "from pracha.audit.models import AuditEntry as A; print(sorted(set("
    "A.objects.filter(action__startswith='backup').values_list('action', flat=True))))"
)


def shell(env: dict[str, str], code: str) -> str:
    return run_pracha("shell", "-c", code, env=env, check=True).stdout.strip().splitlines()[-1]


def round_trip(env: dict[str, str], backup_path: Path) -> None:
    run_pracha("migrate", "--noinput", env=env, check=True)
    shell(env, FILE_A_CASE.format(text="ก่อนสำรอง"))
    made = run_pracha("backup", str(backup_path), env=env, check=True)
    assert backup_path.is_file() and oct(backup_path.stat().st_mode & 0o777) == "0o600"
    assert made.stdout.strip().splitlines()[-1] == backup_path.as_posix()

    shell(env, FILE_A_CASE.format(text="หลังสำรอง"))
    shell(env, CASES + "Case.objects.filter(description='ก่อนสำรอง').update(description='แก้')")
    assert shell(env, COUNT) == "['หลังสำรอง', 'แก้']"

    refused = run_pracha("restore", str(backup_path), env=env)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = run_pracha("restore", str(backup_path), "--yes", env=env, check=True)
    assert "Restored the database" in restored.stdout
    assert shell(env, COUNT) == "['ก่อนสำรอง']"
    # The database as it was before the restore was kept.
    safety = next(line for line in restored.stdout.splitlines() if "saved in" in line)
    assert Path(safety.rsplit(" ", 1)[-1]).is_file()
    # The restored database is as it was when backed up; the restore itself is logged in it.
    assert shell(env, AUDIT) == "['backup.restored']"


@pytest.mark.slow
def test_sqlite_backup_and_restore_commands(tmp_path: Path) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'pracha.sqlite3'}", tmp_path / "var")
    round_trip(env, tmp_path / "backups" / "before.sqlite3")
    missing = run_pracha("restore", str(tmp_path / "nope.sqlite3"), "--yes", env=env)
    assert missing.returncode != 0 and "no backup file" in missing.stderr


@pytest.mark.slow
@pytest.mark.skipif(postgres_url() is None, reason="DATABASE_URL is not PostgreSQL")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_postgresql_backup_and_restore_commands(tmp_path: Path) -> None:
    url = fresh_postgres_database(postgres_url() or "", "backup")
    try:
        env = server_env(url, tmp_path / "var")
        round_trip(env, tmp_path / "before.pgdump")
        header = (tmp_path / "before.pgdump").read_bytes()[:5]
        assert header == b"PGDMP"  # pg_dump's custom format
    finally:
        drop_postgres_database(url)


def test_backup_of_a_missing_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        sqlite_backup(tmp_path / "none.sqlite3", tmp_path / "out.sqlite3")
