"""`pracha early-warning`: find unusual spikes of reports, or measure how often it cries wolf."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pracha.insights.alerts.early_warning import CITY, Settings, alert_payload, detect
from pracha.insights.alerts.evaluation import evaluate, rows_from_db, rows_from_file
from pracha.insights.store.catch_up import catch_up


class Command(BaseCommand):
    help = (
        "Alerts on unusual spikes of reports [--day D] | --evaluate [--file PATH]. "
        "Looks for days with unusually many reports of a category in a district or the city "
        "(default: yesterday), stores new alerts and announces them (webhooks). With --evaluate, "
        "prints the false-alarm and detection rates on the database or on a Traffy file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="the day to check, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--days", type=int, default=1, help="check this many days up to --day")
        parser.add_argument("--alpha", type=float, default=Settings.alpha)
        parser.add_argument("--min-count", type=int, default=Settings.min_count)
        parser.add_argument("--min-ratio", type=float, default=Settings.min_ratio)
        parser.add_argument("--evaluate", action="store_true", help="measure, store nothing")
        parser.add_argument("--file", help="with --evaluate: a Traffy export instead of the DB")
        parser.add_argument("--shuffles", type=int, default=5)

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["alpha"] < 1 or opts["min_count"] < 1 or opts["min_ratio"] < 1:
            raise CommandError("--alpha is in (0, 1); --min-count and --min-ratio are >= 1")
        settings = Settings(opts["alpha"], opts["min_count"], opts["min_ratio"])
        if opts["evaluate"]:
            self.evaluate(settings, opts["file"], opts["shuffles"])
            return
        if opts["file"]:
            raise CommandError("--file goes with --evaluate")
        try:
            last = date.fromisoformat(opts["day"]) if opts["day"] else None
        except ValueError as exc:
            raise CommandError("--day must be YYYY-MM-DD") from exc
        last = last or timezone.localdate() - timedelta(days=1)
        if not 1 <= opts["days"] <= 366:
            raise CommandError("--days is from 1 to 366")
        catch_up()
        total = 0
        for back in range(opts["days"] - 1, -1, -1):
            day = last - timedelta(days=back)
            for alert in detect(day, settings):
                total += 1
                p = alert_payload(alert)
                where = "the whole city" if alert.district == CITY else alert.district
                self.stdout.write(
                    f"{p['day']}  {alert.category:<14} {where:<20} {alert.observed:>5} reports, "
                    f"expected {alert.expected:.1f} (p={alert.p_value:.1e})"
                )
        self.stdout.write(f"{total} alert(s)")

    def evaluate(self, settings: Settings, path: str | None, shuffles: int) -> None:
        if path:
            if not Path(path).exists():
                raise CommandError(f"{path}: no such file")
            rows = list(rows_from_file(Path(path)))
            source = path
        else:
            catch_up()
            rows = list(rows_from_db())
            source = "the database"
        if not rows:
            raise CommandError(f"no reports in {source}")
        result = evaluate(rows, settings, shuffles=shuffles)
        out = self.stdout.write
        out(
            f"early warning on {source}: {result.series} series (category x district, "
            f"category x city) over {result.days} days"
        )
        out(
            f"method: 28-day baseline, negative binomial/Poisson tail p < {settings.alpha}, "
            f"count >= {settings.min_count}, >= {settings.min_ratio:g}x expected"
        )
        out(f"series-days tested: {result.tested:,}")
        out(
            f"alerts on the series as they are: {result.real_alerts:>5,}  "
            f"({result.alert_rate:.4%} of series-days; any real spikes included)"
        )
        out(
            f"false alarms, quiet shuffled:   {result.null_alerts:>9,.1f}  "
            f"({result.false_alarm_rate:.4%} of series-days, mean of {shuffles} shuffles)"
        )
        for factor, rate in result.detection.items():
            out(f"spikes of {factor:g}x the expected count caught: {rate:.1%}")
        out("strongest real alerts:")
        for category, district, day, observed, expected, p in result.top:
            where = "city" if district == CITY else district
            out(f"  {day}  {category:<14} {where:<18} {observed:>5} vs {expected:6.1f}  p={p:.1e}")
