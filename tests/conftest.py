"""Shared fixtures: agencies, officers with API keys, and a helper to file cases."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import create_api_key
from pracha.web.browser import launch

BANGKOK = {"lat": 13.7563, "lon": 100.5018}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The PostgreSQL test database (and only it: the options go on this connection, not the
    server) commits without waiting for its WAL flush; a crash loses nothing a test needs, and
    migrations, flushes and committed writes stop waiting on the shared disk. Depends on the
    suffix fixture so each xdist worker still gets its own database (test_<name>_gw0...)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def pytest_configure(config: pytest.Config) -> None:
    """The suite needs tests/settings.py (fast hashing, limits off...); an exported
    DJANGO_SETTINGS_MODULE=pracha.settings would win over pyproject's and fail in odd ways."""
    from django.conf import settings

    if not getattr(settings, "PRACHA_TEST_SETTINGS", False):
        raise pytest.UsageError(
            f"the tests run with DJANGO_SETTINGS_MODULE=tests.settings, not "
            f"{settings.SETTINGS_MODULE!r} (unset it, or pass --ds tests.settings)"
        )


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("transactional_db", "live_server")
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first, so under xdist the long ones start at once and the many short ones
    fill the workers' tails instead of one worker finishing alone. Tests that flush the
    database (transactional) stay last, as pytest-django puts them: xdist's
    default `load` schedule hands each worker its tests in this order."""
    items.sort(key=lambda item: (_transactional(item), item.get_closest_marker("slow") is None))


@pytest.fixture
def api() -> Client:
    return Client()


@pytest.fixture
def bma(db: None) -> Agency:
    return Agency.objects.get(code="bma")


@pytest.fixture
def make_agency(db: None) -> Callable[..., Agency]:
    def make(code: str, name_th: str | None = None, **fields: Any) -> Agency:
        return Agency.objects.create(code=code, name_th=name_th or f"หน่วยงาน {code}", **fields)

    return make


@pytest.fixture
def make_officer(db: None) -> Callable[..., tuple[Officer, str]]:
    """An officer of `agency` and the raw API key that acts as them."""

    def make(
        agency: Agency, username: str | None = None, role: str = "officer"
    ) -> tuple[Officer, str]:
        user = get_user_model().objects.create_user(
            username=username or f"officer-{agency.code}-{Officer.objects.count()}",
            password="correct horse battery staple",
        )
        officer = Officer.objects.create(user=user, agency=agency, role=role)
        _key, raw = create_api_key(f"key for {user.username}", user)
        return officer, raw

    return make


def auth(raw_key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}


@pytest.fixture
def file_case(api: Client, db: None) -> Callable[..., dict[str, Any]]:
    """POST a valid case through the API and return the 201 body."""

    def file(**overrides: Any) -> dict[str, Any]:
        body = {"description": "ถนนเป็นหลุมลึกหน้าซอย", **BANGKOK, **overrides}
        response = api.post("/api/v1/cases", body, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    return file


@pytest.fixture
def officer(bma: Agency, make_officer: Callable[..., tuple[Officer, str]]) -> tuple[Officer, str]:
    """An officer of the city (the agency new cases go to) and their raw API key."""
    return make_officer(bma)


@pytest.fixture
def pracha(settings: Any) -> Callable[..., None]:
    """Change Pracha settings for one test: `pracha(forward_return_limit=0)`."""

    def change(**fields: Any) -> None:
        settings.PRACHA = dataclasses.replace(settings.PRACHA, **fields)

    return change


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a temporary directory, never to var/."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, started once per test module (playwright is imported only by the
    browser tests that ask for it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
