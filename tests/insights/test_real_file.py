"""A real Traffy export, imported as it is published: rollup answers equal a direct count."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pracha.insights.metrics import RELATIVE_ERROR_BOUND
from tests.insights.oracle import oracle

pytestmark = pytest.mark.django_db
FILE = "data/traffy/teamchadchart_2023-05-11_2023-05-13.csv"
COUNTS = ("reported", "open", "closed", "backlog", "closed_within_target", "reopened", "ratings")


@pytest.fixture
def imported(db: None) -> None:
    call_command("import_traffy", FILE, no_progress=True, stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("by", ["state", "category", "district", "agency"])
@pytest.mark.parametrize(
    ("first", "last", "filters"),
    [
        (None, None, {}),
        (date(2023, 5, 12), date(2023, 5, 12), {}),
        (date(2023, 5, 1), date(2023, 5, 31), {"district": "จตุจักร"}),
        (None, None, {"category": "road"}),
    ],
)
def test_imported_file_indicators_equal_direct_computation(
    api: Client, imported: None, by: str, first: Any, last: Any, filters: dict[str, str]
) -> None:
    query = f"by={by}" + "".join(f"&{k}={v}" for k, v in filters.items())
    query += (f"&from={first}" if first else "") + (f"&to={last}" if last else "")
    response = api.get(f"/api/v1/indicators?{query}")
    assert response.status_code == 200
    got = {row["key"]: row for row in response.json()["rows"]}
    expected = oracle(by, first, last, **filters)
    assert set(got) == set(expected)
    assert sum(row["reported"] for row in got.values()) > 0
    for key, want in expected.items():
        for name in COUNTS:
            assert got[key][name] == want[name], (query, key, name)
        if want["median"] is not None:
            exact = want["median"]
            assert (
                abs(got[key]["median_hours_to_close"] - exact) <= RELATIVE_ERROR_BOUND * exact + 0.3
            )


def test_insights_check_agrees_after_an_import(imported: None) -> None:
    out = StringIO()
    call_command("insights", "check", stdout=out)
    assert "agree" in out.getvalue()
