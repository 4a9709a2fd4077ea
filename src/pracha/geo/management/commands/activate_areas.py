"""`pracha activate-areas N`: switch district lookups to boundary generation N."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.geo.loading import GenerationError, activate_generation
from pracha.geo.models import Generation


class Command(BaseCommand):
    help = "Switch district lookups to a loaded boundary generation (or list them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("generation", nargs="?", type=int, help="Generation id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generation"] is None:
            for generation in Generation.objects.all():
                count = generation.areas.count()
                self.stdout.write(f"{generation} with {count} areas")
            return
        try:
            generation = activate_generation(options["generation"])
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"lookups now use {generation}")
