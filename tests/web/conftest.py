"""Fixtures for the web pages: cases filed through the services, officers with passwords."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.intake.services import NewCase, Reporter, do_create_case
from tests.conftest import BANGKOK

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"  # what tests/conftest.py make_officer sets


@pytest.fixture(autouse=True)
def _web_settings(pracha: Callable[..., None], media: Any) -> None:
    """Photos go to a temporary directory; map tiles never reach the internet."""
    pracha(map_tiles="http://127.0.0.1:9/{z}/{x}/{y}.png")


@pytest.fixture
def make_case(db: None) -> Callable[..., Case]:
    """A case filed through intake, as the web form files it."""

    def make(
        description: str = "ไฟถนนดับทั้งซอย มืดมาก",
        *,
        email: str = "",
        name: str = "",
        phone: str = "",
        language: str = "th",
        lat: float = BANGKOK["lat"],
        lon: float = BANGKOK["lon"],
        categories: list[str] | None = None,
    ) -> Case:
        reporter = (
            Reporter(name=name, phone=phone, email=email) if (email or name or phone) else None
        )
        case, _ = do_create_case(
            NewCase(
                description=description,
                lat=lat,
                lon=lon,
                categories=categories or [],
                reporter=reporter,
                language=language,
                source=Case.Source.WEB,
            )
        )
        return case

    return make


@pytest.fixture
def officer_client(
    make_officer: Callable[..., tuple[Officer, str]],
) -> Callable[[Agency], tuple[Client, Officer]]:
    """A browser session signed in as a new officer of `agency`."""

    def sign_in(agency: Agency, username: str | None = None) -> tuple[Client, Officer]:
        officer, _key = make_officer(agency, username)
        client = Client()
        client.force_login(officer.user)
        return client, officer

    return sign_in


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client
