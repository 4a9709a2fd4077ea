"""GET /api/v1/indicators against values worked out by hand on a small city."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.insights.metrics import RELATIVE_ERROR_BOUND

pytestmark = pytest.mark.django_db
MARCH = "from=2024-03-01&to=2024-03-31"


@pytest.fixture
def city(make_case: Callable[..., Case], make_agency: Callable[..., Agency]) -> dict[str, Case]:
    """Five cases; the comments give what each adds to March 2024."""
    district_office = make_agency("khet-chatuchak", "สำนักงานเขตจตุจักร")
    return {
        # road, 24 h to close, 4 stars
        "a": make_case(
            ["road"],
            created="2024-03-01 10:00",
            state="done",
            closed_at="2024-03-02 10:00",
            stars=4,
            district="จตุจักร",
            agency=district_office,
        ),
        # road and flooding, 48 h to close, reopened once before
        "b": make_case(
            ["road", "flooding"],
            created="2024-03-05 08:00",
            state="done",
            closed_at="2024-03-07 08:00",
            reopen_count=1,
            district="จตุจักร",
            agency=district_office,
            forward_count=2,
        ),
        # flooding, still being worked on, two me-toos
        "c": make_case(
            ["flooding"],
            created="2024-03-10 09:00",
            state="in_progress",
            district="บางรัก",
            me_too_count=2,
        ),
        # no category, closed as irrelevant after 2 h, in April: outside March
        "d": make_case(
            [],
            created="2024-04-01 09:00",
            state="irrelevant",
            closed_at="2024-04-01 11:00",
            district="บางรัก",
        ),
        # road, reported in February and still waiting: only in March's backlog
        "e": make_case(["road"], created="2024-02-20 12:00", district="จตุจักร"),
    }


def rows(api: Client, query: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"/api/v1/indicators?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return {row["key"]: row for row in body["rows"]}


def close_to(estimate: float | None, exact: float) -> bool:
    assert estimate is not None
    return abs(estimate - exact) <= RELATIVE_ERROR_BOUND * exact + 0.25


def test_by_category_counts_a_case_once_in_each_of_its_categories(api: Client, city: Any) -> None:
    body = api.get(f"/api/v1/indicators?by=category&{MARCH}").json()
    assert body["by"] == "category" and body["from"] == "2024-03-01" and body["to"] == "2024-03-31"
    got = {row["key"]: row for row in body["rows"]}
    assert set(got) == {"road", "flooding"}
    road, flooding = got["road"], got["flooding"]
    assert road["name_th"] == "ถนน" and road["name_en"] == "Road"
    assert (road["reported"], road["open"], road["closed"], road["backlog"]) == (2, 0, 2, 1)
    assert close_to(road["median_hours_to_close"], 24)  # the 1st of 2 values: 24 h
    assert close_to(road["p90_hours_to_close"], 48)
    assert road["mean_hours_to_close"] == 36.0
    assert road["closed_within_target"] == 2  # road's target is 168 h
    assert road["reopen_rate"] == 0.5 and road["mean_stars"] == 4.0 and road["ratings"] == 1
    assert (road["forwards"], road["forwarded"]) == (2, 1)
    assert (flooding["reported"], flooding["open"], flooding["closed"]) == (2, 1, 1)
    assert flooding["backlog"] == 1 and flooding["me_too"] == 2
    assert flooding["closed_within_target"] == 0  # 48 h against flooding's 24 h
    # The total counts each case once: a, b and c.
    assert body["total"]["reported"] == 3 and body["total"]["backlog"] == 2


def test_by_state_district_and_agency(api: Client, city: Any) -> None:
    states = rows(api, f"by=state&{MARCH}")
    assert {k: r["reported"] for k, r in states.items()} == {
        "done": 2,
        "in_progress": 1,
        "waiting": 0,
    }
    assert states["waiting"]["backlog"] == 1
    assert states["done"]["name_th"] == "เสร็จสิ้น" and states["done"]["name_en"] == "Done"
    districts = rows(api, f"by=district&{MARCH}")
    assert districts["จตุจักร"]["reported"] == 2 and districts["บางรัก"]["reported"] == 1
    assert districts["จตุจักร"]["name_en"] == "Chatu Chak"  # as the BMA boundary file spells it
    agencies = rows(api, f"by=agency&{MARCH}")
    assert agencies["khet-chatuchak"]["reported"] == 2
    assert agencies["khet-chatuchak"]["name_th"] == "สำนักงานเขตจตุจักร"
    assert agencies["bma"]["reported"] == 1  # c stayed with the city


def test_filters_narrow_every_grouping(api: Client, city: Any) -> None:
    got = rows(api, f"by=category&district=เขตบางรัก&{MARCH}")
    assert set(got) == {"flooding"} and got["flooding"]["reported"] == 1
    got = rows(api, f"by=state&category=น้ำท่วม&district=จตุจักร&{MARCH}")
    assert got["done"]["reported"] == 1 and got["done"]["closed_within_target"] == 0
    got = rows(api, "by=category&category=uncategorised")
    assert got["uncategorised"]["reported"] == 1


def test_without_dates_every_case_counts(api: Client, city: Any) -> None:
    body = api.get("/api/v1/indicators?by=district").json()
    assert body["from"] is None and body["to"] is None
    assert sum(row["reported"] for row in body["rows"]) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=street", "by"),
        ("by=state&from=2024-02-30", "from"),
        ("by=state&from=01/03/2024", "from"),
        ("by=state&from=2024-03-10&to=2024-03-01", "from"),
        ("by=state&to=3000-01-01", "to"),
        ("by=state&category=no-such-thing", "category"),
        ("by=state&agency=no-such-agency", "agency"),
        ("by=state&district=" + "x" * 300, "district"),
    ],
)
def test_bad_input_is_refused_with_a_reason(api: Client, db: None, query: str, field: str) -> None:
    response = api.get(f"/api/v1/indicators?{query}")
    assert response.status_code in {400, 422}
    body = response.json()
    assert body["field"] == field and body["detail"] and body["code"] == "invalid_input"
