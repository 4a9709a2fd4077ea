"""`pracha export`: the open-data files of /api/v1/open-data/, written to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.cases.errors import InvalidInput
from pracha.insights.opendata.export import FORMATS, WRITERS, selection
from pracha.insights.reports.params import parse_day, parse_filters


class Command(BaseCommand):
    help = (
        "Open data without personal data: --format csv|geojson|parquet [-o FILE]. "
        "Writes every case (no reporter contact, no notes, no photos, personal data in the text "
        "masked): the same content as GET /api/v1/open-data/cases.FORMAT. "
        "Columns: docs/open-data.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", "-o", default="-", help="a file, or - for stdout")
        parser.add_argument("--from", dest="first", help="reported on or after, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="reported on or before, YYYY-MM-DD")
        for name in ("category", "district", "agency", "state"):
            parser.add_argument(f"--{name}")
        parser.add_argument(
            "--bom", action="store_true", help="CSV for Excel: start with a UTF-8 byte-order mark"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            first, last = parse_day(opts["first"], "from"), parse_day(opts["last"], "to")
            if first and last and first > last:
                raise InvalidInput("--from must not be after --to", field="from")
            filters = parse_filters(
                opts["category"], opts["district"], opts["agency"], opts["state"]
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        if opts["bom"] and opts["format"] != "csv":
            raise CommandError("--bom is only for --format csv")
        sel = selection(filters, first, last)
        chunks = WRITERS["csv"](sel, bom=True) if opts["bom"] else WRITERS[opts["format"]](sel)
        if opts["output"] == "-":
            out = sys.stdout.buffer
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            return
        path = Path(opts["output"])
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory")
        temporary = path.with_name(path.name + ".partial")
        written = 0
        with temporary.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                written += len(chunk)
        temporary.replace(path)
        self.stderr.write(f"wrote {path} ({written:,} bytes)")
