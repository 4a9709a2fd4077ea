"""GET /api/v1/cases: filters, paging, and no personal data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json, text_of

URL = "/api/v1/cases"
REPORTER = {"name": "ลับมาก", "phone": "0899999999", "email": "hidden@example.org"}


@pytest.fixture
def cases(
    file_case: Callable[..., dict[str, Any]], make_agency: Callable[..., Agency]
) -> dict[str, str]:
    """Four cases with distinct states, categories, districts and agencies; newest last."""
    district = make_agency("district-bangrak", "สำนักงานเขตบางรัก")
    made = {
        "pothole": file_case(description="ถนนเป็นหลุมบ่อ", categories=["road"], reporter=REPORTER),
        "flood": file_case(description="น้ำท่วมขังหน้าบ้าน", categories=["น้ำท่วม"], address="ซอยจุฬา 42"),
        "lamp": file_case(description="ไฟทางดับ", categories=["lighting", "safety"]),
        "noise": file_case(description="เสียงดังจากร้านค้ากลางคืน", categories=["noise"]),
    }
    set_state(made["flood"]["ticket_id"], State.IN_PROGRESS)
    set_state(made["lamp"]["ticket_id"], State.DONE)
    set_state(made["noise"]["ticket_id"], State.IRRELEVANT)
    Case.objects.filter(ticket_id=made["flood"]["ticket_id"]).update(
        district="บางรัก", agency=district
    )
    Case.objects.filter(ticket_id=made["pothole"]["ticket_id"]).update(district="ปทุมวัน")
    return {name: body["ticket_id"] for name, body in made.items()}


def listed(api: Client, **params: Any) -> list[str]:
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return [item["ticket_id"] for item in response.json()["items"]]


def test_newest_first_with_count(api: Client, cases: dict[str, str]) -> None:
    response = api.get(URL)
    body = response.json()
    assert body["count"] == 4
    assert (body["limit"], body["offset"]) == (20, 0)
    assert [i["ticket_id"] for i in body["items"]] == [
        cases["noise"],
        cases["lamp"],
        cases["flood"],
        cases["pothole"],
    ]
    assert "timeline" not in body["items"][0]


def test_oldest_first(api: Client, cases: dict[str, str]) -> None:
    assert listed(api, order="created_at")[0] == cases["pothole"]


def test_paging(api: Client, cases: dict[str, str]) -> None:
    first = api.get(URL, {"limit": 3}).json()
    second = api.get(URL, {"limit": 3, "offset": 3}).json()
    beyond = api.get(URL, {"limit": 3, "offset": 10}).json()

    assert len(first["items"]) == 3 and first["count"] == 4
    assert [i["ticket_id"] for i in second["items"]] == [cases["pothole"]]
    assert (second["limit"], second["offset"], second["count"]) == (3, 3, 4)
    assert beyond["items"] == [] and beyond["count"] == 4


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("waiting", ["pothole"]),
        ("in_progress", ["flood"]),
        ("กำลังดำเนินการ", ["flood"]),
        ("เสร็จสิ้น", ["lamp"]),
        ("open", ["flood", "pothole"]),
        ("closed", ["noise", "lamp"]),
        ("done,irrelevant", ["noise", "lamp"]),
        ("waiting, done", ["lamp", "pothole"]),
        ("policy", []),
    ],
)
def test_filter_by_state(
    api: Client, cases: dict[str, str], state: str, expected: list[str]
) -> None:
    assert listed(api, state=state) == [cases[name] for name in expected]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("road", ["pothole"]),
        ("ถนน", ["pothole"]),
        ("flooding", ["flood"]),
        ("น้ำท่วม", ["flood"]),
        ("Street lighting", ["lamp"]),
        ("ความปลอดภัย", ["lamp"]),
        ("canal", []),
    ],
)
def test_filter_by_category(
    api: Client, cases: dict[str, str], category: str, expected: list[str]
) -> None:
    assert listed(api, category=category) == [cases[name] for name in expected]


@pytest.mark.parametrize("district", ["บางรัก", "เขตบางรัก", " เขต บางรัก "])
def test_filter_by_district(api: Client, cases: dict[str, str], district: str) -> None:
    assert listed(api, district=district) == [cases["flood"]]


def test_filter_by_unknown_district_finds_nothing(api: Client, cases: dict[str, str]) -> None:
    assert listed(api, district="แอตแลนติส") == []


@pytest.mark.parametrize("agency", ["district-bangrak", "สำนักงานเขตบางรัก"])
def test_filter_by_agency(api: Client, cases: dict[str, str], agency: str) -> None:
    assert listed(api, agency=agency) == [cases["flood"]]


def test_filter_by_agency_id(api: Client, cases: dict[str, str]) -> None:
    pk = Agency.objects.get(code="district-bangrak").pk
    assert listed(api, agency=str(pk)) == [cases["flood"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("หลุม", ["pothole"]),
        ("จุฬา", ["flood"]),  # the address
        ("nothing like it", []),
    ],
)
def test_search_text(api: Client, cases: dict[str, str], q: str, expected: list[str]) -> None:
    assert listed(api, q=q) == [cases[name] for name in expected]


def test_search_by_ticket_id(api: Client, cases: dict[str, str]) -> None:
    assert listed(api, q=cases["lamp"].lower()) == [cases["lamp"]]


def test_filters_combine(api: Client, cases: dict[str, str]) -> None:
    assert listed(api, state="open", category="road", q="หลุม") == [cases["pothole"]]
    assert listed(api, state="closed", category="road") == []
    response = api.get(URL, {"state": "open", "limit": 1})
    assert response.json()["count"] == 2


def test_no_reporter_data(api: Client, cases: dict[str, str], officer: tuple[Officer, str]) -> None:
    _me, key = officer
    for headers in ({}, auth(key)):
        text = text_of(api.get(URL, **headers))
        assert cases["pothole"] in text
        for value in REPORTER.values():
            assert value not in text
        assert "reporter" not in text
        assert "citizen_token" not in text


def test_staff_only_notes_never_reach_the_list(
    api: Client, cases: dict[str, str], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    note = {"note": "ข้อมูลภายใน", "public": False}
    post_json(api, case_url(cases["pothole"], "comment"), note, **auth(key))
    assert "ข้อมูลภายใน" not in text_of(api.get(URL, **auth(key)))


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        ({"limit": 0}, "limit", 400),
        ({"limit": 201}, "limit", 400),
        ({"limit": 10**12}, "limit", 400),
        ({"limit": -5}, "limit", 400),
        ({"limit": "ten"}, "limit", 422),
        ({"offset": -1}, "offset", 400),
        ({"offset": "x"}, "offset", 422),
        ({"order": "ticket_id; DROP TABLE cases_case"}, "order", 400),
        ({"state": "fixed"}, "state", 400),
        ({"state": "open,whatever"}, "state", 400),
        ({"category": "ufo"}, "category", 400),
        ({"agency": "no-such-agency"}, "agency", 400),
        ({"agency": "999999"}, "agency", 400),
        ({"q": "x" * 201}, "q", 400),
        ({"q": "a\x00b"}, "q", 400),
        ({"district": "a\x00b"}, "district", 400),
        ({"state": "\x00"}, "state", 400),
        ({"category": "x" * 5000}, "category", 400),
        ({"agency": "a\x00"}, "agency", 400),
        ({"agency": "9" * 40}, "agency", 400),
        ({"agency": "²"}, "agency", 400),
    ],
)
def test_bad_parameters_are_4xx_with_a_reason(
    api: Client, cases: dict[str, str], params: dict[str, Any], field: str, status: int
) -> None:
    response = api.get(URL, params)

    assert response.status_code == status, response.content
    body = response.json()
    assert field in body["detail"]
    assert len(body["detail"]) < 300  # a readable reason, not an echo of the input
    if status == 400:
        assert body["field"] == field


def test_an_empty_state_filter_is_no_filter(api: Client, cases: dict[str, str]) -> None:
    assert len(listed(api, state="")) == 4
    assert len(listed(api, state=" , ")) == 4


def test_the_list_costs_the_same_queries_for_many_cases(
    api: Client,
    file_case: Callable[..., dict[str, Any]],
    make_agency: Callable[..., Agency],
) -> None:
    """No query per case: categories, agencies and photos are fetched in bulk."""
    other = make_agency("district-y")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL, {"limit": 50}).status_code == 200
        return len(captured)

    def add_cases(n: int) -> None:
        for _ in range(n):
            case = Case.objects.get(ticket_id=file_case(categories=["road", "drains"])["ticket_id"])
            case.co_agencies.add(other)
            case.photos.create(kind="before", url="https://example.org/p.jpg")

    add_cases(2)
    few = queries()
    add_cases(10)
    assert queries() == few


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["limit", "offset", "state", "category", "district", "agency", "q", "order"]
        ),
        st.text(max_size=40) | st.integers(min_value=-(10**30), max_value=10**30).map(str),
        max_size=5,
    )
)
def test_any_query_gets_a_json_answer_never_a_500(
    api: Client, db: None, params: dict[str, str]
) -> None:
    response = api.get(URL, params)

    assert response.status_code in {200, 400, 422}, response.content
    body = response.json()
    if response.status_code == 200:
        assert body["count"] >= 0
    else:
        assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize("q", ["GHA47R", "gha47r", " Gha47R ", "2023-GHA47R"])
def test_a_traffy_short_id_finds_its_case_without_the_year(
    api: Client, cases: dict[str, str], q: str
) -> None:
    Case.objects.create(ticket_id="2023-GHA47R", description="ท่อระบายน้ำอุดตัน")
    assert listed(api, q=q) == ["2023-GHA47R"]


@pytest.mark.parametrize("q", ["47R", "A47R", "2023-GHA", "-GHA47R"])
def test_part_of_a_short_id_finds_nothing(api: Client, cases: dict[str, str], q: str) -> None:
    Case.objects.create(ticket_id="2023-GHA47R", description="ท่อระบายน้ำอุดตัน")
    assert listed(api, q=q) == []
