"""Fixtures of the whole suite: thin wrappers over tests/factories.py (agencies, officers with
API keys, cases), settings changed for one test, uploads kept apart, one browser per module.
What every test needs set differently from production is in tests/settings.py."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.config import Rate
from pracha.web.browser import launch
from tests import factories

if TYPE_CHECKING:
    from pracha.triage.classifier import Classifier


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The PostgreSQL test database (and only it: the options go on this connection, not the
    server) commits without waiting for its WAL flush; a crash loses nothing a test needs, and
    migrations, flushes and committed writes stop waiting on the shared disk. Depends on the
    suffix fixture so each xdist worker still gets its own database (test_<name>_gw0...)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "pracha.postgresql":
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
    """factories.make_agency: `make_agency("works", "สำนักการโยธา")`."""
    return factories.make_agency


@pytest.fixture
def make_officer(db: None) -> Callable[..., tuple[Officer, str]]:
    """factories.make_officer: an officer of `agency` and the raw API key that acts as them."""
    return factories.make_officer


@pytest.fixture
def officer(bma: Agency, make_officer: Callable[..., tuple[Officer, str]]) -> tuple[Officer, str]:
    """An officer of the city (the agency new cases go to) and their raw API key."""
    return make_officer(bma)


@pytest.fixture
def make_case(db: None) -> Callable[..., Case]:
    """factories.make_case: a case filed through intake, then dated, placed or closed as the
    test says: `make_case("ไฟดับ", categories=["lighting"], created="2024-03-01 10:00")`."""
    return factories.make_case


@pytest.fixture
def file_case(api: Client, db: None) -> Callable[..., dict[str, Any]]:
    """factories.file_case: POST a valid case through the API and return the 201 body."""
    return functools.partial(factories.file_case, api)


@pytest.fixture
def reported(api: Client, db: None) -> Callable[..., dict[str, Any]]:
    """file_case with reporter contact (factories.REPORTER unless `reporter=` says)."""
    return functools.partial(factories.file_case, api, reporter=factories.REPORTER)


@pytest.fixture
def areas(db: None) -> None:
    """Two Bangkok districts loaded as a boundary set (not switched on: lookups stay as
    they were), so district names are checked against them."""
    factories.make_districts()


@pytest.fixture
def pracha(settings: Any) -> Callable[..., None]:
    """Change Pracha settings for one test: `pracha(forward_return_limit=0)`."""

    def change(**fields: Any) -> None:
        settings.PRACHA = dataclasses.replace(settings.PRACHA, **fields)

    return change


@pytest.fixture
def limits(pracha: Callable[..., None]) -> Callable[..., None]:
    """Switch rate limits on (tests/settings.py has them off): `limits(reports=(3, 60))` is
    3 reports a minute per address."""

    def change(**rates: tuple[int, int] | None) -> None:
        pracha(**{f"rate_{name}": Rate(*value) if value else None for name, value in rates.items()})

    return change


@pytest.fixture(scope="session")
def tiny_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real model trained on ~700 real tickets (seconds), once per test session."""
    path = tmp_path_factory.mktemp("classifier") / "tiny-classifier.pkl"
    factories.train_tiny_model(path)
    return path


@pytest.fixture
def tiny_classifier(tiny_model_file: Path, pracha: Callable[..., None]) -> Iterator[Classifier]:
    """get_classifier() returns the tiny model for this test (PRACHA_MODEL_PATH points to it)."""
    from pracha.triage.classifier import clear_cache, get_classifier

    pracha(model_path=tiny_model_file)
    clear_cache()
    classifier = get_classifier()
    assert classifier is not None
    yield classifier
    clear_cache()


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


@pytest.fixture(autouse=True)
def fresh_reference_tables() -> Iterator[None]:
    """Each test's database is its own: no agency, rule or category kept from another test
    (pracha.reference holds them per process for a few seconds)."""
    from pracha.reference import clear_all

    clear_all()
    yield
    clear_all()
