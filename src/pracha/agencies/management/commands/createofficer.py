"""`pracha createofficer USERNAME --agency CODE` creates a login working for an agency."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from pracha.agencies.models import Officer
from pracha.agencies.services import AgencyError, create_api_key, resolve_agency


class Command(BaseCommand):
    help = (
        "Create or move an officer account: USERNAME --agency CODE [--role R] [--token]. "
        "--token also prints an API key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="agency code, id or Thai name")
        parser.add_argument("--role", choices=Officer.Role.values, default=Officer.Role.OFFICER)
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="full name shown on the timeline")
        parser.add_argument(
            "--password", help="omit to be asked (or to leave login disabled with --no-input)"
        )
        parser.add_argument("--no-input", action="store_true")
        parser.add_argument("--token", action="store_true", help="also create an API key")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            agency = resolve_agency(o["agency"])
        except AgencyError as exc:
            raise CommandError(str(exc)) from exc
        password = o["password"]
        if password is None and not o["no_input"]:
            password = getpass.getpass("Password: ")
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=o["username"])
            first, _, last = o["name"].partition(" ")
            user.email = o["email"] or user.email
            user.first_name, user.last_name = first or user.first_name, last or user.last_name
            if password:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            Officer.objects.update_or_create(
                user=user, defaults={"agency": agency, "role": o["role"]}
            )
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} officer {user.username} ({o['role']}) at {agency}")
        if o["token"]:
            _key, raw = create_api_key(f"token for {user.username}", user)
            self.stdout.write(raw)
