"""A real Traffy export, imported as it is published: rollup answers equal a direct count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from pracha.insights.store.metrics import ABSOLUTE_ERROR_BOUND_HOURS, RELATIVE_ERROR_BOUND
from tests.insights.store.oracle import oracle

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # a real export, imported
FILE = "data/traffy/teamchadchart_2023-05-11_2023-05-13.csv"
COUNTS = (
    "reported", "open", "closed", "backlog", "closed_within_target", "reopened", "ratings",
    "reopen_events", "me_too", "forwarded", "forwards",
)  # fmt: skip
# (answer field, oracle field, tolerance): the answer rounds (hours and days to 0.1, rates to
# 0.0001, stars to 0.01); ages move on by a few seconds between the answer and the oracle.
VALUES = (
    ("mean_hours_to_close", "mean_hours", 0.051),
    ("within_target_rate", "within_target_rate", 0.00006),
    ("reopen_rate", "reopen_rate", 0.00006),
    ("mean_stars", "mean_stars", 0.0051),
    ("mean_open_age_days", "mean_open_age_days", 0.06),
    ("mean_backlog_age_days", "mean_backlog_age_days", 0.06),
)


def within_histogram_bound(estimate: float | None, exact: float | None) -> bool:
    """Histogram quantiles: within RELATIVE_ERROR_BOUND (docs/insights.md) of the exact value,
    or 15 minutes below 15 minutes, plus 0.05 h for rounding to 0.1."""
    if exact is None or estimate is None:
        return estimate is exact
    return (
        abs(estimate - exact)
        <= max(RELATIVE_ERROR_BOUND * exact, ABSOLUTE_ERROR_BOUND_HOURS) + 0.05
    )


@pytest.fixture(scope="module")
def imported(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The file imported once for all this module's tests (once per xdist worker), not once
    per test: the import is the slow part. It runs in a transaction rolled back after the
    module; each test's own `db` transaction nests inside it as a savepoint, as under
    TestCase.setUpTestData, so nothing a test does reaches the next one or another module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command(
                "import_traffy", FILE, no_progress=True, stdout=StringIO(), stderr=StringIO()
            )
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


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
    if not filters and first is None:  # the whole file: every value compared below is there
        total = response.json()["total"]
        assert all(total[name] is not None for name, _, _ in VALUES)
        assert total["p90_hours_to_close"] is not None and total["reopen_events"] > 0
    for key, want in expected.items():
        row = got[key]
        for name in COUNTS:
            assert row[name] == want[name], (query, key, name)
        for name, exact in (("median_hours_to_close", want["median"]),
                            ("p90_hours_to_close", want["p90"])):  # fmt: skip
            assert within_histogram_bound(row[name], exact), (query, key, name, row[name], exact)
        for name, oracle_name, rounding in VALUES:
            value, exact = row[name], want[oracle_name]
            if exact is None:
                assert value is None, (query, key, name)
            else:
                assert value == pytest.approx(exact, abs=rounding), (query, key, name)


def test_insights_check_agrees_after_an_import(imported: None) -> None:
    out = StringIO()
    call_command("insights", "check", stdout=out)
    assert "agree" in out.getvalue()
