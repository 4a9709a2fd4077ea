"""`pracha evaluate`: the classifier beside a char n-gram SVM baseline, on unseen tickets, and
the routing rules beside the district-office rule (--routing: routing only, in seconds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.geo.boundaries import BoundaryFileError
from pracha.geo.lookup import shipped_index
from pracha.triage.classifier.dataset import (
    DataError,
    Source,
    default_sources,
    read_relabelled,
    read_traffy,
)
from pracha.triage.classifier.evaluation import TEST_DAYS, run_holdout, run_on_file
from pracha.triage.classifier.training import Params
from pracha.triage.routing_evaluation import (
    RoutingDataError,
    evaluate_each,
    evaluation_paths,
    report_earlier,
)
from pracha.triage.routing_evaluation import evaluate as evaluate_routing
from pracha.triage.routing_evaluation import report as routing_report
from pracha.triage.routing_evidence import INVITE_SHARE


class Command(BaseCommand):
    help = (
        "Classifier vs baseline F1 on a time-ordered hold-out, then the routing figures. "
        "Trains the classifier and a baseline (character 1-3-gram TF-IDF + linear SVM) on the "
        "same tickets in this run, then prints micro-, macro- and samples-F1 and per-category "
        "precision/recall/F1 of both: on a time-ordered hold-out (the newest tickets), or on "
        "--input FILE (any Traffy export, or the relabelled folder). Then the routing: how often "
        "the routed agency acted, for rules learnt from older tickets and for the district "
        "office of the point, and the co-agencies' precision and recall (--routing: only this)."
    )
    requires_system_checks: list[str] = []  # no database needed

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input",
            metavar="FILE",
            help="labelled tickets to test on instead of the hold-out (a Traffy export, or a "
            "folder with the relabelled set's tickets.csv and assessments_formatted.csv)",
        )
        parser.add_argument(
            "--data", nargs="+", metavar="FILE", help="training exports (default: data/traffy/*)"
        )
        parser.add_argument(
            "--relabelled",
            metavar="DIR",
            help="volunteers' relabelled set scored beside the hold-out "
            "(default: data/relabelled/ when present; 'none' to skip)",
        )
        parser.add_argument(
            "--test-days",
            type=int,
            default=TEST_DAYS,
            help=f"the hold-out's test period: the newest N days (default {TEST_DAYS})",
        )
        parser.add_argument("--jobs", type=int, default=Params.jobs, help="threads (default 2)")
        parser.add_argument(
            "--routing",
            action="store_true",
            help="only the routing figures (no classifier is trained); with --input FILE, "
            "test on FILE (an export that records who acted)",
        )
        parser.add_argument(
            "--invite-share",
            type=float,
            default=INVITE_SHARE,
            help=f"routing: invite a specialist acting on this share of tickets ({INVITE_SHARE})",
        )

    def handle(
        self,
        *args: Any,
        input: str | None,
        data: list[str] | None,
        relabelled: str | None,
        test_days: int,
        jobs: int,
        routing: bool = False,
        invite_share: float = INVITE_SHARE,
        **options: Any,
    ) -> None:
        if jobs < 1 or test_days < 1:
            raise CommandError("--jobs and --test-days must be at least 1")
        if routing:
            self.stdout.write(self._routing(data, input, invite_share))
            return
        params = Params(jobs=jobs)
        say = self.stderr.write  # progress on stderr: stdout carries only the report
        try:
            paths = [Path(p) for p in data] if data else default_sources(settings.PRACHA.data_dir)
            if input:
                text = run_on_file(self._test_source(Path(input)), paths, params, say)
            else:
                text = run_holdout(paths, self._relabelled(relabelled), params, say, test_days)
        except DataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(text)
        # The routing figures beside the category ones, on the newest file recording who
        # acted (an --input file is a category test set: it may not record that).
        try:
            self.stdout.write(self._routing(data, None, invite_share))
        except CommandError as exc:  # the category figures stand on their own
            self.stdout.write(f"routing: not evaluated ({exc})")

    def _routing(self, data: list[str] | None, test: str | None, invite_share: float) -> str:
        paths = [Path(p) for p in data] if data else evaluation_paths(settings.PRACHA.data_dir)
        try:
            evaluation = evaluate_routing(
                paths,
                shipped_index(),
                test=Path(test) if test else None,
                invite_share=invite_share,
            )
            # The older files that can be tested time-ordered too (without --input FILE).
            earlier = (
                [] if test else evaluate_each(paths, shipped_index(), invite_share=invite_share)
            )
        except (RoutingDataError, BoundaryFileError) as exc:
            raise CommandError(str(exc)) from exc
        lines = [routing_report(evaluation)]
        lines += [report_earlier(e) for e in earlier if e.test_file != evaluation.test_file]
        return "\n".join(lines)

    def _test_source(self, path: Path) -> Source:
        if path.is_dir():
            return read_relabelled(path)
        if not path.exists():
            raise DataError(f"{path}: no such file")
        return read_traffy(path)

    def _relabelled(self, option: str | None) -> Source | None:
        if option == "none":
            return None
        folder = Path(option) if option else Path(settings.PRACHA.data_dir) / "relabelled"
        if option is None and not folder.is_dir():
            return None
        return read_relabelled(folder)
