"""`pracha sla-risk train|evaluate|score`: the chance each open case misses its target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pracha.insights.risk.evaluation import evaluate, score_open_cases
from pracha.insights.risk.model import NoModel, cases_from_files, load, load_cases, save
from pracha.insights.risk.model import fit as fit_model


class Command(BaseCommand):
    help = (
        "Chance each open case misses its target: train | evaluate | score. "
        "train: learn from the cases whose outcome is known and save the model in var/models. "
        "evaluate: train on the earlier cases, print AUC, Brier score and calibration on the "
        "later ones (a time-ordered hold-out), beside baselines. score: store a fresh risk for "
        "every open case (run it every hour or so)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["train", "evaluate", "score"])
        parser.add_argument("--limit", type=int, default=300_000, help="newest N cases (0: all)")
        parser.add_argument("--test-share", type=float, default=0.2)
        parser.add_argument(
            "--file",
            nargs="+",
            help="evaluate on Traffy exports instead of the database (each a snapshot)",
        )
        parser.add_argument(
            "--target-hours",
            type=float,
            default=None,
            help="one target for every case instead of the per-category SLA targets",
        )

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        now = timezone.now()
        target = opts["target_hours"]
        if target is not None and target <= 0:
            raise CommandError("--target-hours must be positive")
        if action == "score":
            try:
                bundle = load()
            except NoModel as exc:
                raise CommandError(str(exc)) from exc
            scored, overdue = score_open_cases(bundle, now)
            self.stdout.write(f"scored {scored:,} open cases ({overdue:,} already overdue)")
            return
        if opts["file"]:
            if action != "evaluate":
                raise CommandError("--file goes with evaluate")
            missing = [p for p in opts["file"] if not Path(p).exists()]
            if missing:
                raise CommandError(f"no such file: {', '.join(missing)}")
            cases = cases_from_files([Path(p) for p in opts["file"]])
        else:
            cases = load_cases(opts["limit"] or None)
        if not cases:
            raise CommandError("no cases to learn from")
        try:
            if action == "train":
                bundle = fit_model(cases, now, target)
                path = save(bundle)
                self.stdout.write(
                    f"trained on {bundle['examples']:,} examples from {len(cases):,} cases; "
                    f"saved {path}"
                )
                return
            if not 0.05 <= opts["test_share"] <= 0.5:
                raise CommandError("--test-share is between 0.05 and 0.5")
            q = evaluate(cases, now, opts["test_share"], target)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout.write
        rule = f"{target:g} h for every case" if target else "per-category SLA targets"
        out(f"SLA risk, time-ordered hold-out ({rule})")
        out(
            f"train: {q.train_cases:,} cases reported before {q.split_at:%Y-%m-%d %H:%M}, "
            f"{q.train_examples:,} examples; test: {q.test_cases:,} later cases, "
            f"{q.test_examples:,} examples with a known outcome, {q.missed_share:.1%} missed"
        )
        out(f"{'':<42}{'AUC':>8}{'Brier':>9}")
        out(f"{'model: ' + q.model:<42}{q.auc:>8.3f}{q.brier:>9.4f}")
        out(f"{'baseline: category x checkpoint':<42}{q.base_auc:>8.3f}{q.base_brier:>9.4f}")
        out(f"{'baseline: one overall rate':<42}{0.5:>8.3f}{q.flat_brier:>9.4f}")
        out("calibration (predicted risk band: mean predicted, observed share missed, n):")
        for low, predicted, observed, n in q.calibration:
            out(f"  {low:.1f}-{low + 0.1:.1f}: {predicted:.3f}  {observed:.3f}  {n:,}")
