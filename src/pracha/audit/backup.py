"""Backup and restore of the database.

SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
snapshot while the server keeps running; the copy is checked and written to a temporary name
first, so a file at PATH is always a complete backup. PostgreSQL: `pg_dump --format=custom`
and `pg_restore --clean --if-exists --single-transaction`.

Uploaded photos live in MEDIA_ROOT (var/media), not in the database: copy that directory too.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    vendor: str  # "sqlite" or "postgresql"
    settings: dict[str, Any]

    @property
    def suffix(self) -> str:
        return SQLITE_SUFFIX if self.vendor == "sqlite" else PG_SUFFIX


def current_database(alias: str = "default") -> Database:
    return Database(connections[alias].vendor, dict(settings.DATABASES[alias]))


def default_backup_path(db: Database, label: str = "pracha") -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return settings.PRACHA.var_dir / "backups" / f"{label}-{stamp}{db.suffix}"


def backup(path: Path | None = None, db: Database | None = None) -> Path:
    db = db or current_database()
    path = Path(path) if path else default_backup_path(db)
    if path.is_dir():
        path = path / default_backup_path(db).name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if db.vendor == "sqlite":
            sqlite_backup(Path(db.settings["NAME"]), partial)
        elif db.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)], db)
        else:
            raise BackupError(f"backups of {db.vendor} databases are not supported")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    path.chmod(0o600)  # the backup holds reporters' contact details
    return path


def restore(path: Path, db: Database | None = None) -> None:
    """Replace the database's content with the backup at `path` (checked first)."""
    db = db or current_database()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    connections.close_all()  # nothing of ours may hold the database while it is replaced
    if db.vendor == "sqlite":
        sqlite_restore(path, Path(db.settings["NAME"]))
    elif db.vendor == "postgresql":
        _run(["pg_restore", "--list", str(path)], db, database_arg=False)  # readable?
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            db,
        )
    else:
        raise BackupError(f"restoring {db.vendor} databases is not supported")


def sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist; run `pracha migrate`")
    target.unlink(missing_ok=True)
    with _sqlite(source) as src, _sqlite(target) as dst:
        src.backup(dst, pages=4096)  # in steps, so writers are not blocked for long
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check_sqlite(dst, target)


def sqlite_restore(backup_file: Path, live: Path) -> None:
    with _sqlite(backup_file) as src:
        _check_sqlite(src, backup_file)
        live.parent.mkdir(parents=True, exist_ok=True)
        with _sqlite(live) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")


class _sqlite:
    """sqlite3 connection as a context manager that really closes (sqlite3's only commits)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _check_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database ({exc})") from exc
    if not result or result[0] != "ok":
        raise BackupError(f"{path} is damaged: integrity check says {result}")
    if "django_migrations" not in tables or "cases_case" not in tables:
        raise BackupError(f"{path} is not a Pracha database (no cases table)")


def _run(argv: list[str], db: Database, *, database_arg: bool = True) -> None:
    tool = argv[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    s = db.settings
    env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
    options = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            options += [flag, str(s[key])]
    if database_arg:
        options += ["--dbname", str(s["NAME"])]
    done = subprocess.run(
        [tool, *options, *argv[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{tool} failed: {message[-1] if message else done.returncode}")
