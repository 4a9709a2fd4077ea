"""GET /: recent public reports with filters, headline numbers, pins, and pages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from pracha.cases.models import Case
from tests.factories import set_state
from tests.helpers import english, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_numbers() -> None:
    cache.clear()  # the headline numbers are cached for a few minutes


def pins(response: object) -> list[dict[str, object]]:
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(r'<script id="map-pins" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_home_page_is_thai_by_default(make_case: Callable[..., Case]) -> None:
    case = make_case("น้ำท่วมขังหน้าโรงเรียน")
    response = Client().get("/")
    html = response.content.decode()
    assert '<html lang="th">' in html
    text = page_text(response)
    assert "แจ้งปัญหา" in text
    assert "น้ำท่วมขังหน้าโรงเรียน" in text
    assert 'href="/report/"' in html and 'href="/dashboard/"' in html
    assert 'href="/api/v1/docs"' in html
    assert "Traffy Fondue / Bangkok Metropolitan Administration open data" in text
    assert [p["id"] for p in pins(response)] == [case.ticket_id]


def test_headline_numbers(make_case: Callable[..., Case]) -> None:
    for i in range(3):
        make_case(f"เรื่อง {i}")
    done = make_case("เสร็จแล้ว")
    set_state(done.ticket_id, "done")
    html = Client().get("/").content.decode()
    assert re.search(r'data-stat="total">4<', html)
    assert re.search(r'data-stat="open">3<', html)
    assert re.search(r'data-stat="done">1<', html)


def test_filters_by_state_category_and_district(make_case: Callable[..., Case]) -> None:
    road = make_case("ถนนเป็นหลุม", categories=["road"])
    light = make_case("ไฟดับ", categories=["lighting"])
    set_state(light.ticket_id, "done")
    Case.objects.filter(pk=road.pk).update(district="จตุจักร")
    only_roads = page_text(Client().get("/?category=road"))
    assert road.ticket_id in only_roads and light.ticket_id not in only_roads
    finished = page_text(Client().get("/?state=closed"))
    assert light.ticket_id in finished and road.ticket_id not in finished
    district = page_text(Client().get("/?district=จตุจักร"))
    assert road.ticket_id in district and light.ticket_id not in district


def test_an_unknown_category_is_explained(db: None) -> None:
    response = english(Client()).get("/?category=flying-saucers")
    assert response.status_code == 400
    assert "does not match anything we know" in page_text(response)


def test_the_list_pages_forwards_and_back(make_case: Callable[..., Case]) -> None:
    cases = [make_case(f"เรื่องที่ {i:02d}") for i in range(23)]
    first = Client().get("/")
    page = first.context["page"]
    assert len(page.items) == 20 and page.prev_cursor is None
    assert page.items[0].ticket_id == cases[-1].ticket_id  # newest first
    second = Client().get(f"/?after={page.next_cursor}").context["page"]
    assert [c.ticket_id for c in second.items] == [c.ticket_id for c in cases[2::-1]]
    assert second.next_cursor is None
    back = Client().get(f"/?before={second.prev_cursor}").context["page"]
    assert [c.ticket_id for c in back.items] == [c.ticket_id for c in page.items]


def test_a_nonsense_cursor_shows_the_first_page(make_case: Callable[..., Case]) -> None:
    make_case()
    assert Client().get("/?after=zzz.1&before=9" + "9" * 60).status_code == 200


def test_htmx_asks_for_the_results_only(make_case: Callable[..., Case]) -> None:
    make_case("ขยะล้นถัง")
    response = Client().get("/?part=results", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "ขยะล้นถัง" in html
    assert "<html" not in html
    assert 'id="map-pins"' in html


@pytest.mark.parametrize("q", ["GHA47R", "gha47r", "2023-GHA47R"])
def test_a_traffy_short_id_finds_its_case_without_the_year(q: str) -> None:
    Case.objects.create(ticket_id="2023-GHA47R", description="ท่อระบายน้ำอุดตัน")
    Case.objects.create(ticket_id="2023-OTHER1", description="ไฟดับ")
    items = Client().get("/", {"q": q}).context["page"].items
    assert [c.ticket_id for c in items] == ["2023-GHA47R"]
