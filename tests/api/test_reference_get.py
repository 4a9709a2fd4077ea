"""GET /api/v1/categories, /states, /agencies: reference data."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from pracha.agencies.models import Agency
from pracha.states import State
from pracha.taxonomy.categories import taxonomy_rows


def test_categories(api: Client, db: None) -> None:
    response = api.get("/api/v1/categories")
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body] == [row["code"] for row in taxonomy_rows()]
    road = next(c for c in body if c["code"] == "road")
    assert road == {"code": "road", "name_th": "ถนน", "name_en": "Road", "group": "infrastructure"}


def test_states(api: Client, db: None) -> None:
    body = api.get("/api/v1/states").json()
    assert [s["code"] for s in body] == list(State.values)
    assert {s["code"] for s in body if s["status"] == "closed"} == {"done", "irrelevant"}
    waiting = body[0]
    assert waiting == {
        "code": "waiting",
        "name_th": "รอรับเรื่อง",
        "name_en": "Waiting",
        "status": "open",
    }


def test_agencies_lists_only_active_ones(api: Client, make_agency: Callable[..., Agency]) -> None:
    make_agency("retired-unit", "หน่วยงานที่ยุบแล้ว", is_active=False)
    make_agency("new-unit", "หน่วยงานใหม่")

    body = api.get("/api/v1/agencies").json()

    codes = [a["code"] for a in body]
    assert "bma" in codes and "new-unit" in codes
    assert "retired-unit" not in codes
    bma = next(a for a in body if a["code"] == "bma")
    assert bma == {
        "code": "bma",
        "name_th": "กรุงเทพมหานคร",
        "name_en": "Bangkok Metropolitan Administration",
        "kind": "city",
    }


def test_the_openapi_schema_is_served(api: Client, db: None) -> None:
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/cases" in paths
    assert "/api/v1/cases/{ticket_id}/close" in paths
    assert not any("rest" in path for path in paths)  # the JSON 404 fallback is not documented
