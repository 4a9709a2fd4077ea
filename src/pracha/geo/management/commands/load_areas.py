"""`pracha load-areas`: read district boundary files, check them, and (with --commit) store
them as a new generation. A dry run unless --commit; --activate also switches it on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.geo.boundaries import (
    BANGKOK_FILE,
    BANGKOK_FORMAT,
    THAILAND_FILE,
    THAILAND_FORMAT,
    BoundaryFileError,
    combine,
    read_boundary_file,
)
from pracha.geo.loading import GenerationError, activate_generation, check_areas, do_load_generation


class Command(BaseCommand):
    help = "Load district boundaries as a new generation (dry run unless --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        geo = settings.PRACHA.data_dir / "geo"
        parser.add_argument(
            "--bangkok",
            type=Path,
            default=geo / BANGKOK_FILE,
            help="GeoJSON of Bangkok's districts (dcode, dname, dname_e)",
        )
        parser.add_argument(
            "--thailand",
            type=Path,
            default=geo / THAILAND_FILE,
            help="GeoJSON of all Thai districts (amp_code, amp_th, pro_code)",
        )
        parser.add_argument("--description", default="", help="What this boundary set is")
        parser.add_argument("--commit", action="store_true", help="Store it (else a dry run)")
        parser.add_argument(
            "--activate",
            action="store_true",
            help="Switch lookups to it after storing (needs --commit)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["activate"] and not options["commit"]:
            raise CommandError("--activate needs --commit")
        try:
            bangkok = read_boundary_file(options["bangkok"], BANGKOK_FORMAT)
            thailand = read_boundary_file(options["thailand"], THAILAND_FORMAT)
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from exc
        areas = combine(bangkok, thailand)
        report = check_areas(areas)
        for line in report.lines():
            self.stdout.write(line)
        if not options["commit"]:
            self.stdout.write("dry run: nothing stored (add --commit to store this generation)")
            return
        source = f"{options['bangkok']} + {options['thailand']}"
        description = options["description"] or f"districts from {options['bangkok'].name}"
        try:
            generation = do_load_generation(areas, description, source, report)
            self.stdout.write(f"stored generation {generation.pk} ({len(areas)} areas)")
            if options["activate"]:
                activate_generation(generation.pk)
                self.stdout.write(f"generation {generation.pk} is now active")
            else:
                self.stdout.write(f"switch it on with: pracha activate-areas {generation.pk}")
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
