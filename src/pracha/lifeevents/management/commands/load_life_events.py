"""`pracha load-life-events`: check the templates in data/life-events/ and store them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.lifeevents.loader import load_life_events
from pracha.lifeevents.templates import TemplateError


class Command(BaseCommand):
    help = (
        "Load the life-event journeys from data/life-events/*.toml. Every template is "
        "checked first; a changed one becomes a new version, journeys started keep theirs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", type=Path, help="another folder of templates")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = load_life_events(opts["folder"])
        except TemplateError as exc:
            raise CommandError("the templates have problems:\n" + "\n".join(exc.problems)) from exc
        for code in result.agencies_created:
            self.stdout.write(f"agency created: {code}")
        for name in result.created:
            self.stdout.write(f"stored: {name}")
        for name in result.unchanged:
            self.stdout.write(f"unchanged: {name}")
