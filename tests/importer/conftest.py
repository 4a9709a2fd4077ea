"""Helpers for the importer tests: fixture paths and running the command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from pracha.agencies.models import Agency
from pracha.cases.models import Case, Event, Photo

FIXTURES = Path(__file__).with_name("fixtures")


@dataclass
class Output:
    out: str
    err: str


@pytest.fixture
def run_import(db: None) -> Callable[..., Output]:
    """Run `import_traffy` on fixture names or paths; return what it printed."""

    def run(*paths: str | Path, **options: Any) -> Output:
        out, err = StringIO(), StringIO()
        resolved = [str(p if Path(p).is_absolute() else FIXTURES / p) for p in paths]
        call_command(
            "import_traffy", *resolved, no_progress=True, stdout=out, stderr=err, **options
        )
        return Output(out.getvalue(), err.getvalue())

    return run


def counts() -> dict[str, int]:
    """Rows in every table an import writes to."""
    return {
        "cases": Case.objects.count(),
        "events": Event.objects.count(),
        "photos": Photo.objects.count(),
        "agencies": Agency.objects.count(),
        "categories": Case.categories.through.objects.count(),
        "co_agencies": Case.co_agencies.through.objects.count(),
    }
