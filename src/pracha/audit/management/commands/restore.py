"""`pracha restore PATH`: put a backup made by `pracha backup` back in place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.audit.backup import BackupError, backup, current_database, default_backup_path, restore
from pracha.audit.log import audit


class Command(BaseCommand):
    help = (
        "Put a backup made by `pracha backup` back in place: PATH [--yes]. This replaces the "
        "database's content; the current database is first backed up to "
        "var/backups/pre-restore-<time>. Stop the server first on PostgreSQL. Asks for "
        "confirmation unless --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a backup file (.sqlite3 or .pgdump)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, path: str, yes: bool = False, **options: Any) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"no backup file at {source}")
        db = current_database()
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("restoring replaces every case; add --yes to confirm")
            answer = input(f"Replace the {db.vendor} database with {source}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("nothing was restored")
        try:
            safety = backup(default_backup_path(db, "pre-restore"), db)
            self.stdout.write(f"The database as it was is saved in {safety}")
            restore(source, db)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        audit("backup.restored", object_type="database", detail={"path": str(source)})
        self.stdout.write(
            f"Restored the database from {source}. "
            "Run `pracha migrate` if the backup comes from an older version."
        )
