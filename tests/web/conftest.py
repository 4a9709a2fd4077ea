"""Fixtures for the web pages: uploads kept apart, no map tiles from the internet, officers
signed in to the back office."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _web_settings(pracha: Callable[..., None], media: Any) -> None:
    """Photos go to a temporary directory; map tiles never reach the internet."""
    pracha(map_tiles="http://127.0.0.1:9/{z}/{x}/{y}.png")


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
