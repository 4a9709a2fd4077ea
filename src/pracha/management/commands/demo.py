"""`pracha demo`: a working Pracha on SQLite with real Bangkok reports, officers, and a server."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pracha.agencies.models import ApiKey, Officer
from pracha.agencies.services import create_api_key, get_or_create_agency, resolve_agency

# The 2023 samples: small enough to import in seconds, recent enough to look like today.
SAMPLE_GLOB = "traffy/*2023-*.csv"

# (username, agency code or Thai name, role, what they show)
DEMO_OFFICERS = [
    ("central", "bma", Officer.Role.SUPERVISOR, "the city's central desk"),
    ("drainage", "bma-dds", Officer.Role.OFFICER, "Drainage and Sewerage Department"),
    ("works", "bma-works", Officer.Role.OFFICER, "Public Works Department"),
    ("chatuchak", "เขตจตุจักร", Officer.Role.OFFICER, "Chatuchak district office"),
]
DEMO_TOKEN_NAME = "demo token"


class Command(BaseCommand):
    help = "Migrate, import the 2023 Traffy samples, create demo officers, then serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--no-serve", action="store_true", help="set up, then stop")
        parser.add_argument(
            "--no-train",
            action="store_true",
            help="skip building the classifier (triage then routes by area only)",
        )

    def handle(
        self, *args: Any, port: int | None, no_serve: bool, no_train: bool, **options: Any
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        if not no_train:
            call_command("train", if_missing=True)  # the category classifier, first run only
        samples = sorted(Path(settings.PRACHA.data_dir).glob(SAMPLE_GLOB))
        if not samples:
            raise CommandError(f"no sample data under {settings.PRACHA.data_dir}/{SAMPLE_GLOB}")
        call_command("import_traffy", *map(str, samples), no_progress=True)
        call_command("cat", "seed")  # the officers' item bank and tests
        self.stdout.write("")
        self.stdout.write("Demo officer logins (web: /office/login/; API: Bearer token):")
        for username, agency_ref, role, what in DEMO_OFFICERS:
            password, token = self._officer(username, agency_ref, role)
            self.stdout.write(f"  {username:<10} password {password}  ({what})")
            self.stdout.write(f"  {'':<10} token    {token}")
        if no_serve:
            return
        serve_options = {"port": port} if port else {}
        call_command("serve", **serve_options)

    @transaction.atomic
    def _officer(self, username: str, agency_ref: str, role: str) -> tuple[str, str]:
        try:
            agency = resolve_agency(agency_ref)
        except ValueError:
            agency = get_or_create_agency(agency_ref)
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = f"demo-{secrets.token_hex(4)}"
        user.set_password(password)
        user.is_staff = role == Officer.Role.SUPERVISOR
        user.save()
        Officer.objects.update_or_create(user=user, defaults={"agency": agency, "role": role})
        ApiKey.objects.filter(user=user, name=DEMO_TOKEN_NAME).delete()
        _key, token = create_api_key(DEMO_TOKEN_NAME, user)
        return password, token
