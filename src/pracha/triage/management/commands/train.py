"""`pracha train`: build the category classifier from the labelled tickets in data/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.triage.classifier import clear_cache, model_path
from pracha.triage.classifier.dataset import DataError, read_corrections
from pracha.triage.classifier.training import Params, train_default


class Command(BaseCommand):
    help = (
        "Build the category classifier from data/traffy/ [--data FILE ...]. "
        "Trains the Thai/English classifier on labelled Traffy exports (default: every file in "
        "data/traffy/ labelled with the 24 categories) and the officers' triage corrections in "
        "the database, and writes the model file."
    )
    requires_system_checks: list[str] = []  # works without a database (then no corrections)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            nargs="+",
            metavar="FILE",
            help="Traffy exports to learn from, any format the importer reads "
            "(default: data/traffy/*)",
        )
        parser.add_argument(
            "--output", metavar="PATH", help="where to write the model (default: model_path())"
        )
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when the model file exists"
        )
        parser.add_argument(
            "--no-corrections",
            action="store_true",
            help="leave out the officers' corrections stored in the database",
        )
        parser.add_argument(
            "--jobs", type=int, default=Params.jobs, help="threads for fitting (default 2)"
        )

    def handle(
        self,
        *args: Any,
        data: list[str] | None,
        output: str | None,
        if_missing: bool,
        jobs: int,
        no_corrections: bool,
        **options: Any,
    ) -> None:
        target = Path(output) if output else model_path()
        if if_missing and target.exists():
            self.stdout.write(f"Classifier model already built: {target}")
            return
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        if target.exists() and target.is_dir():
            raise CommandError(f"--output {target} is a directory; give a file path")
        started = time.monotonic()
        self.stdout.write("Training the category classifier (about six minutes on 2 cores)...")
        corrections = [] if no_corrections else read_corrections().examples
        if corrections:
            self.stdout.write(f"  officer corrections: {len(corrections):,} tickets relabelled")
        try:
            trained = train_default(
                target,
                paths=[Path(p) for p in data] if data else None,
                params=Params(jobs=jobs),
                say=self.stdout.write,
                corrections=corrections,
            )
        except DataError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"cannot write the model to {target}: {exc}") from exc
        clear_cache()
        classifier = trained.classifier
        size = target.stat().st_size / 1e6
        self.stdout.write(
            f"Model {classifier.version} written to {target} ({size:.0f} MB) in "
            f"{time.monotonic() - started:.0f} s; out-of-fold micro-F1 on the recent tickets "
            f"{classifier.info['out_of_fold_micro_f1']:.3f}"
        )
