"""`pracha privacy export|erase|purge-expired|evaluate-masking`: PDPA requests and checks.

export  --ticket ID | --email ADDR | --phone NUM   JSON of everything held about the reporter
erase   --ticket ID | --email ADDR | --phone NUM --yes [--photos]
purge-expired [--dry-run]    contact data of cases closed over PRACHA_CONTACT_RETENTION_DAYS
evaluate-masking [--file F] [--show-errors]   precision and recall of the masking, per set
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.masking.evaluation import evaluate, example_files, load_examples, report
from pracha.privacy.services import (
    NoSuchReporter,
    Query,
    erase_reporter_data,
    export_reporter_data,
    find_cases,
    purge_expired_contacts,
)


def _who(parser: CommandParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--ticket", help="a ticket id the reporter filed")
    group.add_argument("--email", help="the reporter's e-mail address")
    group.add_argument("--phone", help="the reporter's phone number (any format)")


class Command(BaseCommand):
    help = (
        "Reporters' personal data: export | erase | purge-expired | evaluate-masking. "
        "Export or erase one reporter's data (--ticket, --email or --phone), purge it after the "
        "retention period, or measure how well the masking finds personal data in report texts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="print everything held about a reporter (JSON)")
        _who(export)
        export.add_argument("--output", help="write the JSON to this file instead")
        erase = sub.add_parser("erase", help="remove a reporter's contact data, mask their text")
        _who(erase)
        erase.add_argument("--yes", action="store_true", help="really erase (irreversible)")
        erase.add_argument(
            "--photos", action="store_true", help="also delete the photos the reporter added"
        )
        purge = sub.add_parser("purge-expired", help="drop contact data past the retention")
        purge.add_argument("--dry-run", action="store_true", help="count, change nothing")
        evaluate_parser = sub.add_parser(
            "evaluate-masking", help="precision and recall of masking on labelled examples"
        )
        evaluate_parser.add_argument("--file", help="JSON lines (default: data/privacy/...)")
        evaluate_parser.add_argument("--show-errors", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handler = {
            "export": self.export,
            "erase": self.erase,
            "purge-expired": self.purge,
            "evaluate-masking": self.evaluate,
        }[action]
        try:
            handler(**options)
        except NoSuchReporter as exc:
            raise CommandError(str(exc)) from exc

    @staticmethod
    def _query(options: dict[str, Any]) -> Query:
        return Query(
            ticket=options.get("ticket") or "",
            email=options.get("email") or "",
            phone=options.get("phone") or "",
        )

    def export(self, **options: Any) -> None:
        data = export_reporter_data(self._query(options))
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options.get("output"):
            path = Path(options["output"])
            path.write_text(text + "\n", encoding="utf-8")
            path.chmod(0o600)
            self.stdout.write(f"Wrote {len(data['cases'])} case(s) to {path}")
        else:
            self.stdout.write(text)

    def erase(self, **options: Any) -> None:
        query = self._query(options)
        if not options.get("yes"):
            tickets = [c.ticket_id for c in find_cases(query)]
            raise CommandError(
                f"this would erase the reporter's data in {len(tickets)} case(s): "
                f"{', '.join(tickets)}. It cannot be undone; add --yes to erase."
            )
        for result in erase_reporter_data(query, photos=options.get("photos", False)):
            self.stdout.write(
                f"{result.ticket_id}: contact {'removed' if result.contact_removed else 'none'}"
                f", {result.texts_changed} text(s) masked, {result.photos_removed} photo(s) removed"
            )

    def purge(self, **options: Any) -> None:
        dry_run = options.get("dry_run", False)
        count, cutoff = purge_expired_contacts(dry_run=dry_run)
        days = settings.PRACHA.contact_retention_days
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(
            f"{verb} the contact data of {count} case(s) closed before {cutoff} "
            f"(retention {days} days)"
        )

    def evaluate(self, **options: Any) -> None:
        # Without --file: the main set, then the others (disguises, numbers that must stay).
        chosen = options.get("file")
        paths = [Path(chosen)] if chosen else example_files(settings.PRACHA.data_dir / "privacy")
        for path in paths:
            self._evaluate_one(path, show_errors=options.get("show_errors", False))

    def _evaluate_one(self, path: Path, *, show_errors: bool) -> None:
        if not path.is_file():
            raise CommandError(f"no examples file at {path}")
        try:
            examples = load_examples(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        score = evaluate(examples)
        self.stdout.write(f"masking evaluated on {path}")
        for line in report(score, examples):
            self.stdout.write(line)
        if show_errors:
            for mistake in score.mistakes:
                self.stdout.write(f"  {mistake}")
