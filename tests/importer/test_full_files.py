"""Every row of the shipped 2023 and 2024 exports is imported or reported (slow)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from pracha.cases.models import Case
from tests.importer.conftest import Output

TRAFFY = Path(settings.PRACHA.data_dir) / "traffy"
FILES = sorted(p.name for p in TRAFFY.glob("*.csv") if "2023" in p.name or "2024" in p.name)


def csv_records(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.reader(fh) if row) - 1  # minus the header


def test_the_shipped_files_are_there() -> None:
    assert len(FILES) == 5


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", FILES)
def test_every_row_accounted_for(run_import: Callable[..., Output], name: str) -> None:
    out = run_import(TRAFFY / name)
    rows = csv_records(TRAFFY / name)
    imported = Case.objects.count()
    bad = out.err.count("bad row skipped")
    assert imported + bad == rows
    assert f"{rows:,} rows read, {imported:,} imported, 0 already present, {bad:,} bad" in out.out
    assert bad == 0  # the shipped files are clean
