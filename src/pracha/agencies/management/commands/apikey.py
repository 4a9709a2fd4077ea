"""`pracha apikey create NAME [--officer USERNAME]`, `list`, `revoke PREFIX_OR_NAME`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pracha.agencies.models import ApiKey
from pracha.agencies.services import create_api_key, revoke_api_key


class Command(BaseCommand):
    help = (
        "API keys: create NAME [--officer USER] | list | revoke PREFIX. "
        "`create` prints the new key on its last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a new key")
        create.add_argument("name")
        create.add_argument("--officer", help="username of the officer the key acts as")
        sub.add_parser("list", help="show keys (never the secrets)")
        revoke = sub.add_parser("revoke", help="revoke keys by prefix or name")
        revoke.add_argument("key")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            user = None
            if options.get("officer"):
                user = get_user_model().objects.filter(username=options["officer"]).first()
                if user is None:
                    raise CommandError(f"no user named {options['officer']!r}")
            try:
                key, raw = create_api_key(options["name"], user)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Created API key {key.name!r} ({key.prefix}…). It is shown once:")
            self.stdout.write(raw)
        elif action == "list":
            for key in ApiKey.objects.select_related("user").order_by("created_at"):
                who = key.user.get_username() if key.user else "-"
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                self.stdout.write(f"{key.prefix}…  {key.name}  officer={who}  {state}")
        else:
            count = revoke_api_key(options["key"])
            if count == 0:
                raise CommandError(f"no active key matches {options['key']!r}")
            self.stdout.write(f"Revoked {count} key(s).")
