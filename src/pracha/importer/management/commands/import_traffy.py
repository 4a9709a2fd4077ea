"""`pracha import-traffy PATH [PATH ...]`: import Traffy Fondue exports as they are published."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from pracha.agencies.models import Agency
from pracha.importer.load import Loader
from pracha.importer.run import DEFAULT_BATCH_SIZE, FileStats, import_file
from pracha.traffy.reader import BadRow, ImportFileError, TraffyFile


class Command(BaseCommand):
    help = (
        "Import Traffy Fondue CSV exports: PATH [PATH ...]. "
        "Every published format: the 2022-23 dumps, the API CSV, the 2023 export, the 2024 "
        "pending scrape; plain or gzip. Tickets already stored are skipped, so importing a file "
        "again changes nothing. Bad rows are reported and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="CSV or CSV.GZ files")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check the files, write nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self,
        *args: Any,
        paths: list[str],
        batch_size: int,
        dry_run: bool,
        no_progress: bool,
        **options: Any,
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        show_progress = not no_progress and self.stderr.isatty()
        total = FileStats("total", "")
        with ExitStack() as stack:
            # Open every file first, so a wrong path or header stops the run before any write.
            try:
                sources = [stack.enter_context(TraffyFile(path)) for path in paths]
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            try:
                loader = Loader(dry_run=dry_run)
            except DatabaseError as exc:
                raise CommandError(
                    f"the database is not ready ({exc}); run: pracha migrate"
                ) from exc
            agencies_before = Agency.objects.count()
            for source in sources:
                stats = self._import(source, loader, batch_size, show_progress)
                total.add(stats)
                self.stdout.write(self._summary(stats, source.format.title, dry_run))
        if len(sources) > 1:
            self.stdout.write(self._summary(total, "", dry_run))
        if not dry_run:
            self.stdout.write(f"agencies created: {Agency.objects.count() - agencies_before:,}")

    def _import(
        self, source: TraffyFile, loader: Loader, batch_size: int, show_progress: bool
    ) -> FileStats:
        # Progress in bytes of the file on disk: known up front, unlike the number of rows.
        bar = tqdm(
            total=source.size,
            unit="B",
            unit_scale=True,
            desc=source.name,
            file=self.stderr._out,  # the real stream: OutputWrapper appends newlines
            disable=not show_progress,
            leave=False,
        )

        def on_bad(bad: BadRow) -> None:
            with bar.external_write_mode():
                self.stderr.write(f"{source.path}:{bad.line}: bad row skipped: {bad.message}")

        def on_batch(stats: FileStats) -> None:
            bar.update(source.position() - bar.n)
            bar.set_postfix_str(f"{stats.read:,} rows, {stats.imported:,} new", refresh=False)

        try:
            return import_file(
                source, loader, batch_size=batch_size, on_bad=on_bad, on_batch=on_batch
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()

    @staticmethod
    def _summary(stats: FileStats, title: str, dry_run: bool) -> str:
        verb = "would import" if dry_run else "imported"
        what = f"{stats.name} ({title})" if title else stats.name
        return (
            f"{what}: {stats.read:,} rows read, {stats.imported:,} {verb}, "
            f"{stats.present:,} already present, {stats.bad:,} bad; "
            f"{stats.seconds:.1f} s, {stats.rate:,.0f} rows/s"
        )
