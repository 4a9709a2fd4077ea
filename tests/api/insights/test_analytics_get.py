"""Scorecards, hotspots, recurring problems and forwarding analytics through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services import workflow

pytestmark = pytest.mark.django_db


def closed(make_case: Callable[..., Case], agency: Agency, category: str, hours: int, n: int,
           day: int = 1) -> None:  # fmt: skip
    for i in range(n):
        created = f"2024-03-{day + i % 20:02d} 08:00"
        make_case(categories=[category], created=created, agency=agency, state="done",
                  closed=f"2024-03-{day + i % 20:02d} {8 + hours % 16:02d}:00"
                  if hours < 16 else f"2024-04-{1 + i % 20:02d} 08:00")  # fmt: skip


def test_scorecards_rank_only_agencies_with_enough_cases_and_compare_like_with_like(
    api: Client, make_case: Callable[..., Case], make_agency: Callable[..., Agency]
) -> None:
    quick = make_agency("quick")
    slow = make_agency("slow")
    tiny = make_agency("tiny")
    # Flooding must close in 24 h: quick closes its floods in 2 h, slow in weeks.
    closed(make_case, quick, "flooding", 2, 30)
    closed(make_case, slow, "flooding", 500, 30)
    closed(make_case, tiny, "flooding", 2, 3)
    body = api.get("/api/v1/scorecards?from=2024-03-01&to=2024-03-31&min_cases=10").json()
    rows = {row["agency"]: row for row in body["rows"]}
    assert body["min_cases"] == 10 and body["ranked"] == 2
    assert rows["quick"]["rank"] == 1 and rows["slow"]["rank"] == 2
    assert rows["tiny"]["rank"] is None and rows["tiny"]["verdict"] == "too few cases"
    assert rows["quick"]["on_time_rate"] == 1.0 and rows["slow"]["on_time_rate"] == 0.0
    # The city closed 33 of 63 floods in time: that is what each agency is expected to do.
    assert rows["quick"]["expected_on_time_rate"] == pytest.approx(33 / 63, abs=1e-3)
    assert rows["quick"]["verdict"] == "better than expected"
    assert rows["slow"]["verdict"] == "worse than expected"
    assert rows["quick"]["on_time_low"] < 1.0 == rows["quick"]["on_time_high"]
    assert (
        rows["slow"]["median_low"]
        <= rows["slow"]["median_hours_to_close"]
        <= rows["slow"]["median_high"]
    )


def test_hotspots_are_hexagons_sized_by_zoom(api: Client, make_case: Callable[..., Case]) -> None:
    for _ in range(3):
        make_case(categories=["road"], created="2024-03-10 09:00", lat=13.7563, lon=100.5018)
    make_case(categories=["trees"], created="2024-03-10 09:00", lat=13.90, lon=100.60)
    body = api.get("/api/v1/hotspots?zoom=11&from=2024-03-05&to=2024-03-20").json()
    assert body["type"] == "FeatureCollection" and body["resolution"] == 7
    assert (body["from"], body["to"]) == ("2024-03-01", "2024-03-31")  # whole months
    counts = sorted(f["properties"]["reported"] for f in body["features"])
    assert counts == [1, 3]
    ring = body["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 7 and ring[0] == ring[-1]
    road = api.get("/api/v1/hotspots?zoom=12&category=road&from=2024-03-01&to=2024-03-31").json()
    assert road["resolution"] == 8 and [f["properties"]["reported"] for f in road["features"]] == [
        3
    ]
    near = api.get(
        "/api/v1/hotspots?zoom=15&bbox=100.49,13.75,100.51,13.76&from=2024-03-10&to=2024-03-10"
    ).json()
    assert near["resolution"] == 9 and [f["properties"]["reported"] for f in near["features"]] == [
        3
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [("zoom=15", "bbox"), ("zoom=15&bbox=1,2,3", "bbox"), ("zoom=14&bbox=99,12,102,15", "zoom"),
     ("res=9&bbox=100.6,13.7,100.5,13.8", "bbox")],
)  # fmt: skip
def test_hotspots_refuse_bad_views(api: Client, db: None, query: str, field: str) -> None:
    response = api.get(f"/api/v1/hotspots?{query}")
    assert response.status_code == 400 and response.json()["field"] == field


def test_recurring_lists_the_same_problem_reported_at_the_same_place(
    api: Client, make_case: Callable[..., Case]
) -> None:
    spot = {"lat": 13.7563, "lon": 100.5018}
    same = [make_case(categories=["drains"], created=f"2024-03-{d:02d} 09:00", **spot)
            for d in (1, 8, 15)]  # fmt: skip
    make_case(categories=["drains"], created="2024-03-02 09:00", lat=13.9, lon=100.7)  # elsewhere
    make_case(categories=["road"], created="2024-03-02 09:00", **spot)  # another kind
    rows = api.get("/api/v1/hotspots/recurring").json()["rows"]
    assert len(rows) == 1
    place = rows[0]
    assert place["category"] == "drains" and place["reported"] == 3 and place["score"] == 2
    assert place["first_reported"] == "2024-03-01" and place["last_reported"] == "2024-03-15"
    assert place["tickets"] == [c.ticket_id for c in reversed(same)]
    assert api.get("/api/v1/hotspots/recurring?from=2024-04-01").json()["rows"] == []
    assert len(api.get("/api/v1/hotspots/recurring?to=2024-03-01").json()["rows"]) == 1
    assert api.get("/api/v1/hotspots/recurring?to=2024-02-29").json()["rows"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2024-03-10&to=2024-03-01", "from"), ("from=2024-02-30", "from"),
     ("to=03/01/2024", "to")],
)  # fmt: skip
def test_recurring_refuses_a_bad_period(api: Client, db: None, query: str, field: str) -> None:
    response = api.get(f"/api/v1/hotspots/recurring?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["code"] == "invalid_input"


def test_hotspots_follow_the_district_and_agency_for_the_exact_days(
    api: Client, make_case: Callable[..., Case], make_agency: Callable[..., Agency]
) -> None:
    works = make_agency("works")
    spot = {"lat": 13.7563, "lon": 100.5018}
    for day in ("05", "06", "07"):
        make_case(categories=["road"], created=f"2024-03-{day} 09:00", district="บางรัก", **spot)
    make_case(
        categories=["road"], created="2024-03-06 09:00", district="บางรัก", agency=works, **spot
    )
    make_case(categories=["road"], created="2024-03-06 09:00", district="จตุจักร", **spot)
    window = "from=2024-03-06&to=2024-03-31"

    def counts(query: str) -> list[int]:
        response = api.get(f"/api/v1/hotspots?{window}&{query}")
        assert response.status_code == 200, response.content
        return [f["properties"]["reported"] for f in response.json()["features"]]

    assert counts("zoom=11") == [5]  # whole months, every district
    body = api.get(f"/api/v1/hotspots?{window}&zoom=11&district=เขตบางรัก").json()
    assert body["district"] == "บางรัก" and (body["from"], body["to"]) == (
        "2024-03-06",
        "2024-03-31",
    )
    assert [f["properties"]["reported"] for f in body["features"]] == [3]  # not the 5th
    for zoom in ("8", "12", "15&bbox=100.49,13.75,100.51,13.76"):
        assert counts(f"zoom={zoom}&district=บางรัก") == [3]
        assert counts(f"zoom={zoom}&district=บางรัก&agency=works") == [1]
        assert counts(f"zoom={zoom}&agency=works&category=trees") == []
    assert counts("zoom=12&district=จตุจักร") == [1]
    response = api.get("/api/v1/hotspots?agency=nobody")
    assert response.status_code == 400 and response.json()["field"] == "agency"


def test_forwarding_counts_hops_bounces_and_time_lost(
    api: Client,
    bma: Agency,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    file_case: Callable[..., dict[str, Any]],
) -> None:
    works = make_agency("works")
    officers = {bma.pk: make_officer(bma)[0], works.pk: make_officer(works)[0]}
    ticket = file_case()["ticket_id"]
    case = Case.objects.get(ticket_id=ticket)
    workflow.do_forward(case, officers[bma.pk], works, "roads are theirs")
    case.refresh_from_db()
    workflow.do_forward(case, officers[works.pk], bma, "no, a district job")  # back: a bounce
    body = api.get("/api/v1/forwarding").json()
    assert body["forwards"] == 2 and body["bounces"] == 1
    assert {h["hops"]: h["cases"] for h in body["hops"]}["2"] == 1
    (pair,) = body["pairs"]
    assert {pair["agency_a"], pair["agency_b"]} == {"bma", "works"}
    assert pair["back_and_forth"] and pair["forwards_a_to_b"] == pair["forwards_b_to_a"] == 1
    assert pair["mean_hours_held"] is not None and pair["mean_hours_held"] < 1
    only = api.get("/api/v1/forwarding?agency=works").json()
    assert only["forwards"] == 2
    assert api.get("/api/v1/forwarding?agency=nobody").status_code == 400
