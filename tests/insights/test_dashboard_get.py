"""The /dashboard/ page, its panels and the CSV download of every table, in Thai and English."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from pracha.cases.models import Case
from pracha.insights.dashboard import TABLES

pytestmark = pytest.mark.django_db
MARCH = "from=2024-03-01&to=2024-03-31"


@pytest.fixture
def some_cases(make_case: Callable[..., Case]) -> None:
    make_case(["road"], created="2024-03-02 09:00", district="จตุจักร", state="done",
              closed_at="2024-03-03 09:00", stars=5)  # fmt: skip
    make_case(["flooding"], created="2024-03-04 09:00", district="บางรัก")


def test_dashboard_shows_indicators_charts_and_map(api: Client, some_cases: None) -> None:
    response = api.get(f"/dashboard/?{MARCH}&by=district", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    for needle in ("chart-trend", "hotspot-map", "vendor/chartjs/chart.umd.js",
                   "vendor/leaflet/leaflet.js", "จตุจักร", "/dashboard/indicators.csv?",
                   "/dashboard/panel/scorecards/", 'id="dash-data"'):  # fmt: skip
        assert needle in page
    assert "Chatu Chak" in page  # English district name


def test_dashboard_speaks_thai(api: Client, some_cases: None) -> None:
    page = api.get(f"/dashboard/?{MARCH}", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "ตัวชี้วัด" in page and "จุดที่มีปัญหามาก" in page and "ปัญหาที่เกิดซ้ำ" in page


def test_panels_render_alone(api: Client, some_cases: None) -> None:
    for name in ("scorecards", "forwarding"):
        response = api.get(f"/dashboard/panel/{name}/?{MARCH}")
        assert response.status_code == 200 and b"<section" in response.content
    assert api.get("/dashboard/panel/nothing/").status_code == 404


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_downloads_as_csv(api: Client, some_cases: None, table: str) -> None:
    response = api.get(f"/dashboard/{table}.csv?{MARCH}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == TABLES[table]


def test_indicator_csv_holds_the_rows(api: Client, some_cases: None) -> None:
    text = api.get(f"/dashboard/indicators.csv?{MARCH}&by=category").content.decode()
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["road"]["reported"] == "1" and rows["flooding"]["open"] == "1"


def test_bad_filters_are_explained(api: Client, db: None) -> None:
    response = api.get("/dashboard/?from=2024-02-31")
    assert response.status_code == 400 and b"from must be a date" in response.content
    assert api.get("/dashboard/indicators.csv?category=nothing").status_code == 400
    assert api.get("/dashboard/nothing.csv").status_code == 404
