"""`pracha seed-routing`: add the seed routing rules to the database (dry run unless --commit),
or recompute them from the Traffy tickets in data/traffy (--from-data, --write)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.agencies.routing import CO_AGENCY, SEED_FILE, RuleFileError, read_rule_file
from pracha.agencies.routing_seed import seed_rules
from pracha.geo.lookup import shipped_index
from pracha.triage.routing_evidence import INVITE_SHARE, gather, read_evidence_file, seed_csv, table


class Command(BaseCommand):
    help = "Seed agency routing rules (dry run unless --commit); --from-data relearns them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="Add missing seed rules")
        parser.add_argument(
            "--from-data",
            nargs="*",
            type=Path,
            metavar="FILE",
            help="Recompute the rules from Traffy exports (default: every file in data/traffy)",
        )
        parser.add_argument(
            "--write", action="store_true", help=f"With --from-data: rewrite {SEED_FILE.name}"
        )
        parser.add_argument(
            "--invite-share",
            type=float,
            default=INVITE_SHARE,
            help="With --from-data: invite a specialist acting on at least this share of a "
            f"category's tickets (default {INVITE_SHARE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_data"] is not None:
            self._from_data(
                options["from_data"], write=options["write"], invite_share=options["invite_share"]
            )
            return
        if options["write"]:
            raise CommandError("--write goes with --from-data")
        try:
            rules = read_rule_file()
        except RuleFileError as exc:
            raise CommandError(str(exc)) from exc
        report = seed_rules(rules, commit=options["commit"])
        verb = "added" if options["commit"] else "would add"
        for rule in report.added:
            to = rule.agency_name or "the district office"
            arrow = "+ invite" if rule.target == CO_AGENCY else "->"
            self.stdout.write(f"{verb}: {rule.category or 'any category'} {arrow} {to}")
        self.stdout.write(
            f"{len(report.added)} rule(s) {verb}, {report.present} already present"
            + ("" if options["commit"] else " (dry run: add --commit to store them)")
        )

    def _from_data(self, files: list[Path], *, write: bool, invite_share: float) -> None:
        paths = files or sorted((settings.PRACHA.data_dir / "traffy").glob("*.csv*"))
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        index = shipped_index()
        used: list[Path] = []
        tickets = []
        for path in paths:
            found = read_evidence_file(path, index)
            if found is None:
                self.stdout.write(f"skipped {path.name}: it does not record who acted")
                continue
            used.append(path)
            tickets.extend(found)
        evidence = gather(tickets)
        for line in table(evidence):
            self.stdout.write(line)
        source = f"{len(used)} Traffy Fondue files that record who acted"
        text = seed_csv(evidence, source, invite_share)
        if write:
            SEED_FILE.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {SEED_FILE}")
        else:
            self.stdout.write(text)
