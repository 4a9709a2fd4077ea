"""`pracha backup [PATH]`: a consistent copy of the database (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.audit.backup import BackupError, backup
from pracha.audit.log import audit


class Command(BaseCommand):
    help = (
        "Back up the database to [PATH] (SQLite online backup, PostgreSQL pg_dump). "
        "PostgreSQL's dump is in pg_dump's custom format. PATH defaults to "
        "var/backups/pracha-<time>.sqlite3|.pgdump; a directory puts the file there. Photos "
        "(var/media) are not included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="file or directory for the backup")

    def handle(self, *args: Any, path: str | None = None, **options: Any) -> None:
        try:
            written = backup(Path(path) if path else None)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        audit("backup.created", object_type="database", detail={"path": str(written)})
        size = written.stat().st_size
        self.stdout.write(f"Backed up the database to {written} ({size:,} bytes)")
        self.stdout.write(written.as_posix())
