"""`pracha triage --input FILE --output OUT.csv`: triage a Traffy export without a database.

Writes one row per input row, in input order: ticket_id, categories (Thai names, comma
separated), scores (JSON), district, subdistrict, agency, needs_review, and more (province,
agency_code, near_boundary, routed_by, model_version, error, stored_ticket_id). `ticket_id`
is the input's id cell as written (`GHA47R`); `stored_ticket_id` the id Pracha stores
(`2023-GHA47R`). Uses the boundary files in
data/geo and the seed routing rules (or --rules FILE); never opens the database.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.agencies.routing import SEED_FILE, RuleFileError, read_rule_file
from pracha.agencies.seed import KNOWN_AGENCIES
from pracha.geo.boundaries import BoundaryFileError
from pracha.geo.lookup import shipped_index
from pracha.traffy.reader import ImportFileError, TraffyFile
from pracha.triage import classifier as models
from pracha.triage.batch import run_batch


class Command(BaseCommand):
    help = "Triage a Traffy export into a CSV (categories, district, agency); no database."
    # Nothing here may touch the database: no system checks, no migration checks.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="A Traffy export")
        parser.add_argument("--output", required=True, type=Path, help="The CSV to write")
        parser.add_argument(
            "--rules", type=Path, default=SEED_FILE, help="Routing rules CSV (default: the seed)"
        )
        parser.add_argument(
            "--no-train",
            action="store_true",
            help="Fail instead of building the classifier when there is none",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        target: Path = options["output"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        if target.resolve() == source.resolve():
            raise CommandError("--output must not be the input file")
        try:
            # Refuse a file the importer cannot read before any model is built for it.
            TraffyFile(source).close()
            rules = read_rule_file(options["rules"])
            index = shipped_index()
        except (ImportFileError, RuleFileError, BoundaryFileError) as exc:
            raise CommandError(str(exc)) from exc
        classifier = self._classifier(no_train=options["no_train"])
        try:
            report = run_batch(
                source,
                target,
                classifier=classifier,
                index=index,
                rules=rules,
                default_agency=self._default_agency(),
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"{target}: cannot write ({exc.strerror or exc})") from exc
        rate = report.rows / report.seconds if report.seconds else 0.0
        self.stderr.write(
            f"{report.rows:,} rows ({report.file_format}) -> {target} in {report.seconds:.1f} s "
            f"({rate:,.0f} rows/s); {report.errors:,} with an error, "
            f"{report.needs_review:,} flagged needs_review"
        )

    def _classifier(self, *, no_train: bool) -> models.Classifier:
        path = models.model_path()
        if not path.exists():
            if no_train:
                raise CommandError(f"no classifier model at {path}; run `pracha train` first")
            self.stderr.write(
                f"no classifier model at {path}: building it now from the labelled tickets "
                "in data/ (what `pracha train` does; about six minutes on 2 cores)"
            )
            sys.stderr.flush()
            try:
                models.ensure_model()
            except Exception as exc:  # any failure to build: say what to do, not a traceback
                raise CommandError(
                    f"could not build the classifier ({exc}); run `pracha train` and retry"
                ) from exc
        try:
            classifier = models.get_classifier()
        except models.ModelFileError as exc:
            raise CommandError(str(exc)) from exc
        if classifier is None:
            raise CommandError(f"no classifier model at {path}; run `pracha train` first")
        return classifier

    def _default_agency(self) -> tuple[str, str]:
        """The default agency's code and Thai name, from the known agencies (no database)."""
        code = settings.PRACHA.default_agency_code
        with KNOWN_AGENCIES.open(encoding="utf-8", newline="") as fh:
            names = {row["code"]: row["name_th"] for row in csv.DictReader(fh)}
        return code, names.get(code, code)
