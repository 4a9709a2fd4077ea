"""`pracha cat import|seed|calibrate|list`: the officers' item banks and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pracha.audit.log import audit
from pracha.competency.bank.importer import ImportProblems, Summary, apply, get_bank, read
from pracha.competency.bank.seed import BANK, seed
from pracha.competency.calibration.run import Report, calibrate
from pracha.competency.models import Assessment, Item, ItemBank


class DryRun(Exception):
    """Rolls back a dry run's writes."""


class Command(BaseCommand):
    help = (
        "Officer tests: import | seed | calibrate | list. "
        "import FILE: items from a CSV (checked whole first; see pracha.competency.bank."
        "importer for the columns). seed: the shipped bank and tests. calibrate: fit the "
        "items' parameters on the recorded answers (mirt) and store them as new versions. "
        "list: the banks and tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="items from a CSV file")
        load.add_argument("file", type=Path)
        load.add_argument("--bank", default=BANK[0], help=f"bank code (default {BANK[0]})")
        load.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        actions.add_parser("seed", help="the shipped item bank and tests (safe to repeat)")
        fit = actions.add_parser("calibrate", help="fit item parameters on recorded answers")
        fit.add_argument("--bank", default=BANK[0])
        fit.add_argument(
            "--model",
            choices=["auto", "rasch", "2pl"],
            default="auto",
            help="right-or-wrong items: auto (2PL when every item has --min-2pl answers, "
            "else 1PL), rasch (1PL, one common a) or 2pl; graded items always use the GRM",
        )
        fit.add_argument("--min-responses", type=int, default=100, help="per item (default 100)")
        fit.add_argument("--min-2pl", type=int, default=300, help="per item, for auto's 2PL")
        fit.add_argument("--dry-run", action="store_true", help="fit and print, store nothing")
        actions.add_parser("list", help="banks, items per domain and language, tests")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"do_{action}")(**options)

    def do_import(self, file: Path, bank: str, dry_run: bool, **_: Any) -> None:
        try:
            rows = read(file)
            with transaction.atomic():
                summary = apply(rows, get_bank(bank))
                if dry_run:
                    raise DryRun
        except ImportProblems as exc:
            raise CommandError(
                f"{file}: nothing imported, {len(exc.problems)} problem(s):\n  "
                + "\n  ".join(exc.problems)
            ) from exc
        except DryRun:
            self.stdout.write(f"dry run, nothing written: {self.summary(summary)}")
            return
        audit(
            "competency.bank_imported",
            object_type="itembank",
            object_id=bank,
            detail={"file": str(file), **vars(summary)},
        )
        self.stdout.write(f"{file}: {self.summary(summary)}")

    def summary(self, s: Summary) -> str:
        text = (
            f"{s.created} item(s) created, {s.updated} updated, {s.unchanged} unchanged; "
            f"{s.new_parameters} new parameter version(s)"
        )
        if s.kept_calibrated:
            text += f"; calibrated parameters kept for {s.kept_calibrated} (file: provisional)"
        return text

    def do_seed(self, **_: Any) -> None:
        try:
            seeded = seed()
        except ImportProblems as exc:  # the shipped file itself is broken
            raise CommandError("\n".join(exc.problems)) from exc
        self.stdout.write(f"shipped bank: {self.summary(seeded.items)}")
        self.stdout.write(f"tests: {', '.join(seeded.assessments)}")

    def do_calibrate(
        self, bank: str, model: str, min_responses: int, min_2pl: int, dry_run: bool, **_: Any
    ) -> None:
        found = ItemBank.objects.filter(code=bank).first()
        if found is None:
            raise CommandError(f"there is no item bank {bank!r} (pracha cat list)")
        report = calibrate(found, model, min_responses, min_2pl, dry_run=dry_run)
        self.print_report(report)
        if report.calibration is not None:
            audit(
                "competency.calibrated",
                obj=report.calibration,
                detail={
                    "items": report.calibration.items_calibrated,
                    "flagged": report.calibration.items_flagged,
                },
            )
            self.stdout.write(
                f"stored as calibration {report.calibration.pk}: "
                f"{report.calibration.items_calibrated} item(s) have new parameters, "
                f"{report.calibration.items_flagged} flagged for review (kept out of tests)"
            )
        elif dry_run:
            self.stdout.write("dry run: nothing stored")
        else:
            self.stdout.write("nothing calibrated: no group had enough answers")

    def print_report(self, report: Report) -> None:
        for g in report.groups:
            head = f"{g.language} {g.kind}: "
            if not g.fitted:
                self.stdout.write(head + (g.note or "no answers"))
                continue
            state = "converged" if g.converged else "DID NOT CONVERGE"
            self.stdout.write(
                head + f"{g.model}, {len(g.fitted)} item(s), {g.persons} session(s), {state}"
            )
            self.stdout.write(
                "  item          n      a   se(a)      b   se(b)  infit outfit  flags"
            )
            for item, f in g.fitted:
                b = f.b if f.b is not None else (f.thresholds or [0.0])[0]
                se_b = f.se_b if f.se_b is not None else next(iter(f.se_thresholds or []), None)
                self.stdout.write(
                    f"  {item.code:<10} {f.n:>5} {f.a:6.2f} {self._n(f.se_a)} {b:6.2f} "
                    f"{self._n(se_b)} {self._n(f.infit)} {self._n(f.outfit)}  "
                    + ("; ".join(f.flags) or "-")
                )
            for code, why in g.skipped:
                self.stdout.write(f"  {code:<10} skipped: {why}")

    @staticmethod
    def _n(value: float | None) -> str:
        return f"{value:6.2f}" if value is not None else "     -"

    def do_list(self, **_: Any) -> None:
        for bank in ItemBank.objects.all():
            items = Item.objects.filter(bank=bank)
            self.stdout.write(f"{bank.code}: {bank} ({items.count()} items)")
            rows: dict[tuple[str, str], int] = {}
            for domain, language in items.values_list("domain", "language"):
                rows[(domain, language)] = rows.get((domain, language), 0) + 1
            for (domain, language), count in sorted(rows.items()):
                self.stdout.write(f"  {domain:<12} {language}  {count}")
        for a in Assessment.objects.prefetch_related("subtests"):
            parts = ", ".join(f"{s.code} {s.items}" for s in a.subtests.all())
            self.stdout.write(f"test {a.code} ({a.mode}, {a.time_limit_minutes} min): {parts}")
