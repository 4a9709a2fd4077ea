"""`pracha line richmenu [--image FILE] [--no-default]`: set up the LINE Official Account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.line.richmenu import do_create_rich_menu
from pracha.notify import line_api


class Command(BaseCommand):
    help = (
        "Set up the LINE Official Account: richmenu creates the chat's menu. "
        "Needs PRACHA_LINE_CHANNEL_ACCESS_TOKEN."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        menu = sub.add_parser(
            "richmenu", help="create the rich menu (report, my reports, dashboard)"
        )
        menu.add_argument("--image", type=Path, help="a 2500x843 PNG or JPEG (default: plain)")
        menu.add_argument(
            "--no-default", action="store_true", help="create it without making it the default"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if not line_api.configured():
            raise CommandError("set PRACHA_LINE_CHANNEL_ACCESS_TOKEN first")
        image_path: Path | None = options.get("image")
        image = image_path.read_bytes() if image_path else None
        try:
            created = do_create_rich_menu(image, make_default=not options["no_default"])
        except line_api.LineCallFailed as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            raise CommandError(f"LINE refused the rich menu: {exc}") from exc
        default = " and made it the default" if created.default else ""
        self.stdout.write(f"created rich menu {created.rich_menu_id}{default}")
