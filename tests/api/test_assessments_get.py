"""GET /api/v1/assessments and GET /api/v1/assessments/{code}."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.assessments_helpers import (
    forbidden_keys,
    shipped,  # noqa: F401 (a fixture)
)


@pytest.mark.usefixtures("shipped")
def test_the_list_names_each_test_and_its_mode(api: Client) -> None:
    response = api.get("/api/v1/assessments")
    assert response.status_code == 200
    items = {t["code"]: t for t in response.json()["items"]}
    assert set(items) == {"practice", "quick", "adaptive"}
    for test in items.values():
        assert {"code", "name_th", "name_en", "mode"} <= set(test)
    assert items["practice"]["mode"] == "fixed" and items["adaptive"]["mode"] == "adaptive"
    practice = items["practice"]
    assert practice["items"] == 40 and practice["time_limit_minutes"] == 40
    parts = {p["code"]: p for p in practice["subtests"]}
    assert parts["workflow"] | {"items": 8, "passing": 20, "max": 40} == parts["workflow"]
    assert parts["character"]["kind"] == "graded"
    adaptive = items["adaptive"]
    assert adaptive["min_items"] == 10 and adaptive["items"] == 30
    assert adaptive["target_se"] == 0.30 and adaptive["passing_theta"] == -1.0
    assert forbidden_keys(response.json()) == set()


@pytest.mark.usefixtures("shipped")
def test_one_test_and_an_unknown_one(api: Client) -> None:
    assert api.get("/api/v1/assessments/quick").json()["name_en"] == "Quick practice, 5 items"
    missing = api.get("/api/v1/assessments/nope")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "there is no test 'nope'", "code": "not_found"}


def test_no_tests_before_the_bank_is_seeded(api: Client, db: None) -> None:
    assert api.get("/api/v1/assessments").json() == {"items": []}
