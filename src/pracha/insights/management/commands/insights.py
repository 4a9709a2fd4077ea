"""`pracha insights rebuild|refresh|check`: the derived tables behind the indicators."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pracha.cases import sla
from pracha.insights.reports.indicators import BY
from pracha.insights.reports.naive import naive_indicators
from pracha.insights.reports.params import parse_period
from pracha.insights.store.catch_up import catch_up
from pracha.insights.store.maintain import get_state
from pracha.insights.store.metrics import METRIC_INDEX
from pracha.insights.store.query import EARLIEST, Filters, aggregate
from pracha.insights.store.rebuild import SLA_FINGERPRINT, rebuild

# rollup column -> naive field
COMPARED = {
    "reported": "reported",
    "open": "open",
    "within_target": "closed_within_target",
    "reopened": "reopened",
    "ratings": "ratings",
    "me_too": "me_too",
    "forwards": "forwards",
}


class Command(BaseCommand):
    help = (
        "Indicator tables: rebuild | refresh | check. "
        "rebuild: recompute every derived table from the cases and events (after changing SLA "
        "targets, or after writing cases with SQL). refresh: add cases written without signals "
        "(bulk imports). check: compare the rollups with a direct count over the cases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh", "check"])

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "rebuild":
            steps = rebuild(progress=lambda m: self.stderr.write(f"  {m}"))
            self.stdout.write(
                f"rebuilt in {sum(steps.values()):.1f} s ("
                + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
                + ")"
            )
        elif action == "refresh":
            added = catch_up()
            self.stdout.write(f"{added:,} case(s) added to the indicators")
        else:
            self.check_tables()

    def check_tables(self) -> None:
        catch_up()
        problems = []
        if trouble := sla.problem():
            problems.append(trouble)
        stored = get_state(SLA_FINGERPRINT)
        if stored and stored != sla.fingerprint():
            problems.append(
                "SLA targets changed since the last rebuild: run `pracha insights rebuild`"
            )
        period = parse_period(None, None, timezone.localdate())
        for by, dim in BY.items():
            mine = aggregate(dim, Filters(), EARLIEST, period.last)
            naive = naive_indicators(by, Filters(), EARLIEST, period.last)
            if by == "category":
                naive = {("-" if k is None else k): v for k, v in naive.items()}
            if by == "agency":
                mine = {k or 0: v for k, v in mine.items()}
            for key in set(mine) | set(naive):
                ours = mine.get(key)
                theirs = naive.get(key, {})
                for name, field in COMPARED.items():
                    a = ours[METRIC_INDEX[name]] if ours else 0
                    b = theirs.get(field, 0) or 0
                    if a != b:
                        problems.append(f"by {by} {key!r}: {name} rollup {a} != cases {b}")
        for line in problems[:50]:
            self.stdout.write(line)
        if problems:
            raise CommandError(
                f"{len(problems)} difference(s): run `pracha insights rebuild` to recompute"
            )
        self.stdout.write("the rollups agree with a direct count over the cases")
