"""POST /api/v1/cases: filing a report, and every way a request can be wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pracha.cases.models import Case, Event, ReporterContact
from pracha.tickets import TICKET_RE, citizen_token
from tests.factories import BANGKOK
from tests.helpers import post_json

URL = "/api/v1/cases"
VALID = {"description": "ไฟถนนดับทั้งซอย", **BANGKOK}


def assert_readable_4xx(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"].strip()
    assert body["code"]
    if field is not None:
        assert field in (body.get("field") or body["detail"])
    assert not Case.objects.exists()
    return body


def test_a_report_is_filed_with_its_first_event(api: Client, db: None) -> None:
    body = {
        **VALID,
        "categories": ["แสงสว่าง", "road"],
        "address": "ซอยสุขุมวิท 11",
        "reporter": {"name": "สมหญิง", "phone": "081-234-5678", "email": "s@example.org"},
        "language": "en",
    }
    response = post_json(api, URL, body)

    assert response.status_code == 201
    out = response.json()
    assert TICKET_RE.match(out["ticket_id"])
    assert out["url"] == f"/api/v1/cases/{out['ticket_id']}"
    assert out["citizen_token"] == citizen_token(out["ticket_id"])
    assert out["state"] == "waiting"
    assert out["state_name_th"] == "รอรับเรื่อง"
    assert out["status"] == "open"
    assert [c["code"] for c in out["categories"]] == ["road", "lighting"]
    assert out["agency"]["code"] == "bma"
    assert (out["lat"], out["lon"]) == (BANGKOK["lat"], BANGKOK["lon"])
    assert out["address"] == "ซอยสุขุมวิท 11"
    assert [e["kind"] for e in out["timeline"]] == ["created"]
    assert out["timeline"][0]["to_state"] == "waiting"
    # The contact is kept, privately.
    raw = response.content.decode()
    for secret in ("สมหญิง", "081-234-5678", "s@example.org"):
        assert secret not in raw
    case = Case.objects.get(ticket_id=out["ticket_id"])
    assert case.language == "en"
    assert ReporterContact.objects.get(case=case).email == "s@example.org"
    assert Event.objects.filter(case=case).count() == 1


def test_text_is_normalised(api: Client, db: None) -> None:
    body = {**VALID, "description": "  ถนน\u200bพัง  \r\nมาก   มาก  "}
    response = post_json(api, URL, body)
    assert response.json()["description"] == "ถนนพัง\nมาก มาก"


def test_an_empty_reporter_is_not_stored(api: Client, db: None) -> None:
    response = post_json(api, URL, {**VALID, "reporter": {"name": " ", "email": ""}})
    assert response.status_code == 201
    assert not ReporterContact.objects.exists()


def test_malformed_json(api: Client, db: None) -> None:
    response = api.post(URL, '{"description": "x", "lat": 13.7', content_type="application/json")
    body = assert_readable_4xx(response, 400)
    assert "JSON" in body["detail"]


@pytest.mark.parametrize("raw", ["[]", '"a string"', "null", "42"])
def test_json_that_is_not_an_object(api: Client, db: None, raw: str) -> None:
    response = api.post(URL, raw, content_type="application/json")
    assert response.status_code in {400, 422}
    assert_readable_4xx(response, response.status_code)


def test_an_empty_body(api: Client, db: None) -> None:
    response = api.post(URL, "", content_type="application/json")
    assert_readable_4xx(response, 422)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": "13.75"}, "lat"),
        ({"lon": [100.5]}, "lon"),
        ({"lat": True}, "lat"),
        ({"lat": None}, "lat"),
        ({"description": 42}, "description"),
        ({"description": None}, "description"),
        ({"categories": "road"}, "categories"),
        ({"categories": [1, 2]}, "categories"),
        ({"categories": ["road"] * 11}, "categories"),
        ({"reporter": "สมชาย"}, "reporter"),
        ({"reporter": {"email": "a" * 300}}, "reporter.email"),
    ],
    ids=lambda v: json.dumps(v, ensure_ascii=False)[:40],
)
def test_wrong_types_are_422(api: Client, db: None, change: dict[str, Any], field: str) -> None:
    response = post_json(api, URL, {**VALID, **change})
    body = assert_readable_4xx(response, 422)
    assert body["detail"].startswith(field)
    assert body["code"] == "invalid_input"


@pytest.mark.parametrize("missing", ["description", "lat", "lon"])
def test_missing_fields_are_422(api: Client, db: None, missing: str) -> None:
    body = {k: v for k, v in VALID.items() if k != missing}
    out = assert_readable_4xx(post_json(api, URL, body), 422)
    assert out["detail"] == f"{missing}: Field required"


@pytest.mark.parametrize(
    ("point", "reason"),
    [
        ({"lat": 91, "lon": 100.5}, "lat 91 is out of range"),
        ({"lat": -90.5, "lon": 100.5}, "out of range"),
        ({"lat": 13.7, "lon": 181}, "lon 181 is out of range"),
        ({"lat": 13.7, "lon": -180.01}, "out of range"),
        ({"lat": 48.85, "lon": 2.35}, "outside Thailand"),
        ({"lat": 100.5018, "lon": 13.7563}, "out of range"),
        ({"lat": 0, "lon": 0}, "outside Thailand"),
        ({"lat": 1e400, "lon": 100.5}, "finite"),
    ],
)
def test_points_that_are_not_in_thailand(
    api: Client, db: None, point: dict[str, float], reason: str
) -> None:
    body = assert_readable_4xx(post_json(api, URL, {**VALID, **point}), 400)
    assert reason in body["detail"]


def test_swapped_coordinates_get_a_hint(api: Client, db: None) -> None:
    # Inside the ranges, but the point lands in the sea off Africa.
    body = assert_readable_4xx(post_json(api, URL, {**VALID, "lat": 1.5, "lon": 13.7}), 400)
    assert "swapped" in body["detail"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity(api: Client, db: None, literal: str) -> None:
    raw = f'{{"description": "x", "lat": {literal}, "lon": 100.5}}'
    response = api.post(URL, raw, content_type="application/json")
    body = assert_readable_4xx(response, 400)
    assert "finite" in body["detail"]


@pytest.mark.parametrize("description", ["", "   ", "\n\u200b\n"])
def test_empty_description(api: Client, db: None, description: str) -> None:
    body = assert_readable_4xx(post_json(api, URL, {**VALID, "description": description}), 400)
    assert body == {
        "detail": "description must not be empty",
        "code": "invalid_input",
        "field": "description",
    }


def test_description_over_the_limit(api: Client, db: None, pracha: Callable[..., None]) -> None:
    pracha(max_description_chars=50)
    assert post_json(api, URL, {**VALID, "description": "ก" * 50}).status_code == 201
    Case.objects.all().delete()

    body = assert_readable_4xx(post_json(api, URL, {**VALID, "description": "ก" * 51}), 400)
    assert body["detail"] == "description is 51 characters long; the limit is 50"


def test_description_over_the_default_limit(api: Client, db: None) -> None:
    body = assert_readable_4xx(post_json(api, URL, {**VALID, "description": "x" * 5001}), 400)
    assert "the limit is 5000" in body["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"description": "ถนน\x00พัง"},
        {"address": "ซอย\x001"},
        {"categories": ["road\x00"]},
        {"reporter": {"name": "ก\x00"}},
    ],
)
def test_nul_bytes_are_refused(api: Client, db: None, change: dict[str, Any]) -> None:
    body = assert_readable_4xx(post_json(api, URL, {**VALID, **change}), 400)
    assert "NUL" in body["detail"]


def test_lone_surrogates_are_refused(api: Client, db: None) -> None:
    raw = '{"description": "bad \\ud800 text", "lat": 13.7, "lon": 100.5}'
    response = api.post(URL, raw, content_type="application/json")
    body = assert_readable_4xx(response, 400)
    assert "Unicode" in body["detail"]


def test_unknown_categories(api: Client, db: None) -> None:
    response = post_json(api, URL, {**VALID, "categories": ["road", "ufo", "ผี"]})
    body = assert_readable_4xx(response, 400, field="categories")
    assert "ufo" in body["detail"] and "ผี" in body["detail"]
    assert "/api/v1/categories" in body["detail"]


@pytest.mark.parametrize(
    ("reporter", "field"),
    [
        ({"email": "not-an-email"}, "reporter.email"),
        ({"email": "a@b"}, "reporter.email"),
        ({"email": "<script>@x.org"}, "reporter.email"),
        ({"phone": "call me"}, "reporter.phone"),
    ],
)
def test_bad_reporter_contact(api: Client, db: None, reporter: dict[str, str], field: str) -> None:
    body = assert_readable_4xx(post_json(api, URL, {**VALID, "reporter": reporter}), 400)
    assert body["field"] == field


def test_a_body_too_large_for_the_server(api: Client, db: None, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_json(api, URL, {**VALID, "description": "x" * 2000})
    body = assert_readable_4xx(response, 413)
    assert body["code"] == "too_large"


def test_form_encoded_bodies_are_refused(api: Client, db: None) -> None:
    response = api.post(URL, VALID)  # multipart, not JSON
    assert response.status_code in {400, 415, 422}
    assert_readable_4xx(response, response.status_code)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
FIELDS = st.sampled_from(
    ["description", "lat", "lon", "categories", "address", "reporter", "language", "other"]
)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.dictionaries(FIELDS, JSON_VALUES, max_size=6) | JSON_VALUES)
def test_any_json_body_gets_a_json_answer_never_a_500(api: Client, db: None, body: Any) -> None:
    response = api.post(URL, json.dumps(body), content_type="application/json")

    assert response.status_code in {201, 400, 422}, response.content
    out = response.json()
    if response.status_code != 201:
        assert isinstance(out["detail"], str) and out["detail"]
