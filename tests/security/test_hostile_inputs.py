"""Every endpoint against malformed JSON, wrong types, out-of-range coordinates, oversized
text, NUL bytes, invalid Unicode (in bodies, paths and query strings), unknown categories,
hostile paths, query parameters and headers: a 4xx with a readable reason, never a 5xx.

The API's operations are read from its OpenAPI schema and the pages from the URL
configuration, so endpoints added later are covered without touching this file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from pracha.api.site import api as ninja_api
from tests.factories import BANGKOK, set_state
from tests.helpers import auth, image_bytes
from tests.security import hostile
from tests.security.hostile import Tally, json_body, send

JSON = "application/json"
# Bodies that are not JSON at all, whatever the endpoint expects.
NOT_JSON = {0, 1, 2, 3, 9, 10, 11, 17}
VALUES_FOR = {
    "description": "ไฟดับทั้งซอย",
    "lat": BANGKOK["lat"],
    "lon": BANGKOK["lon"],
    "note": "ตรวจสอบแล้ว",
    "reason": "ต้องแก้ไข",
    "state": "in_progress",
    "agency": "district-x",
    "stars": 4,
    "outcome": "done",
}
LAX_BOOLEANS = {"0", "1", "true", "false", "yes", "no", "on", "off", "t", "f", "y", "n"}
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref")
    if ref:
        return resolve(schema, schema["components"]["schemas"][ref.rsplit("/", 1)[-1]])
    return spec


def allowed_types(schema: dict[str, Any], prop: dict[str, Any]) -> set[str]:
    prop = resolve(schema, prop)
    if "anyOf" in prop:
        return set().union(*(allowed_types(schema, p) for p in prop["anyOf"]))
    return {prop.get("type", "object")}


def mismatched(value: Any, types: set[str]) -> bool:
    """True when no JSON type of the field accepts `value` (bool counts only as boolean)."""
    if value is None:
        return "null" not in types
    if isinstance(value, bool):
        return not types & {"boolean", "integer"}  # lax integers may take true/false
    if "boolean" in types and str(value).lower() in LAX_BOOLEANS:
        return False  # pydantic reads "0", "off", 1 as booleans
    return not any(
        isinstance(value, JSON_TYPES[t]) for t in types if t in JSON_TYPES and t != "boolean"
    )


def base_body(schema: dict[str, Any], body_schema: dict[str, Any]) -> dict[str, Any]:
    props = body_schema.get("properties", {})
    return {name: VALUES_FOR.get(name, "x") for name in body_schema.get("required", [])} | {
        name: VALUES_FOR[name] for name in props if name in VALUES_FOR
    }


def fill(template: str, params: list[str], value: str) -> str:
    for name in params:
        template = template.replace(f"<str:{name}>", value).replace(f"<{name}>", value)
    return template


@pytest.fixture
def world(
    api: Client,
    file_case: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
    make_agency: Callable[..., Any],
    media: Path,
) -> dict[str, Any]:
    make_agency("district-x", "สำนักงานเขตเอ็กซ์")
    body = file_case(reporter={"name": "ก", "phone": "0812345678", "email": "a@example.org"})
    set_state(body["ticket_id"], "accepted")
    _me, key = officer
    return {
        "ticket": body["ticket_id"],
        "headers": {**auth(key), "HTTP_X_CITIZEN_TOKEN": body["citizen_token"]},
    }


@pytest.mark.slow
def test_the_api_never_answers_hostile_input_with_a_server_error(
    api: Client, world: dict[str, Any]
) -> None:
    schema = ninja_api.get_openapi_schema()
    tally = Tally()
    ticket, headers = world["ticket"], world["headers"]
    operations = [
        (method.upper(), path, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]
    for method, template, op in operations:
        path = template.replace("{ticket_id}", ticket)
        label = f"{method} {template}"
        content = op.get("requestBody", {}).get("content", {})
        body_schema = resolve(schema, content.get(JSON, {}).get("schema", {}))
        has_json_body = bool(body_schema)
        base = base_body(schema, body_schema) if has_json_body else {}
        payload = json_body(base) if has_json_body else b""

        # Hostile query strings, on every operation.
        for query in hostile.HOSTILE_QUERIES:
            response = send(api, method, f"{path}?{query}", payload, JSON, **headers)
            tally.record(f"{label} ?{query[:40]}", response, must_refuse=False, api=True)
        # Hostile path segments in place of the ticket id.
        if "{ticket_id}" in template:
            for segment in hostile.HOSTILE_SEGMENTS:
                bad = template.replace("{ticket_id}", segment)
                response = send(api, method, bad, payload, JSON, **headers)
                tally.record(f"{label} path {segment[:30]}", response, must_refuse=True, api=True)
        if method == "GET":
            continue
        # Bodies that are not what any endpoint takes.
        for index, (raw, content_type) in enumerate(hostile.RAW_BODIES):
            response = send(api, method, path, raw, content_type, **headers)
            refuse = has_json_body and index in NOT_JSON
            tally.record(f"{label} raw body #{index}", response, must_refuse=refuse, api=True)
        if not has_json_body:
            continue
        # Each field in turn given wrong types and nasty text.
        for name, prop in body_schema.get("properties", {}).items():
            types = allowed_types(schema, prop)
            for value in [*hostile.WRONG_TYPES, *hostile.NASTY_TEXT]:
                wrong = mismatched(value, types)
                nasty = isinstance(value, str) and (
                    "\x00" in value or "\ud800" in value or len(value) >= 100_000
                )
                response = send(
                    api, method, path, json_body({**base, name: value}), JSON, **headers
                )
                tally.record(
                    f"{label} {name}={str(value)[:20]!r}",
                    response,
                    must_refuse=wrong or nasty,
                    api=True,
                )
        if "lat" in body_schema.get("properties", {}):
            for coordinates in hostile.BAD_COORDINATES:
                response = send(api, method, path, json_body({**base, **coordinates}), JSON)
                tally.record(f"{label} {coordinates}", response, must_refuse=True, api=True)
        if "categories" in body_schema.get("properties", {}):
            for categories in (["nope"], ["../../etc"], ["ไม่มีหมวดนี้"], ["road"] * 11, [None]):
                body = json_body({**base, "categories": categories})
                response = send(api, method, path, body, JSON)
                tally.record(
                    f"{label} categories={categories}", response, must_refuse=True, api=True
                )

    # Headers: idempotency keys, tokens and keys that are not what they claim.
    for key in [
        "",
        " ",
        "\x00",
        "x" * 201,
        "ก\u0000",
        "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    ]:
        response = api.post(
            "/api/v1/cases",
            json_body({"description": "x", **BANGKOK}),
            JSON,
            HTTP_IDEMPOTENCY_KEY=key,
        )
        tally.record(f"Idempotency-Key {key[:10]!r}", response, must_refuse=True, api=True)
    for value in ["Bearer " + "\xff" * 10, "Bearer " + "x" * 10_000, "Bearer \x00", "Basic ???"]:
        response = api.post(f"/api/v1/cases/{ticket}/accept", b"{}", JSON, HTTP_AUTHORIZATION=value)
        tally.record(f"Authorization {value[:12]!r}", response, must_refuse=True, api=True)
    for token in ["\x00", "x" * 10_000, "\xff\xfe"]:
        response = api.post(
            f"/api/v1/cases/{ticket}/rate",
            json_body({"stars": 5}),
            JSON,
            HTTP_X_CITIZEN_TOKEN=token,
        )
        tally.record(f"X-Citizen-Token {token[:10]!r}", response, must_refuse=True, api=True)
    # Multipart photo uploads with the wrong parts.
    photo_path = f"/api/v1/cases/{ticket}/photos"
    for data in (
        {},
        {"file": "not a file"},
        {"kind": "\x00"},
        {"kind": "x" * 10_000, "file": "x"},
    ):
        response = api.post(photo_path, data, **headers)
        tally.record(f"photo form {list(data)}", response, must_refuse=True, api=True)
    from django.core.files.uploadedfile import SimpleUploadedFile

    for kind in ["\x00", "both", "x" * 1000]:
        file = SimpleUploadedFile("a.png", image_bytes(), content_type="image/png")
        response = api.post(photo_path, {"file": file, "kind": kind}, **headers)
        tally.record(f"photo kind {kind[:10]!r}", response, must_refuse=True, api=True)

    print(
        f"\nhostile inputs tried on {len(operations)} API operations: {tally.tried}; "
        f"5xx seen: {len(tally.server_errors)}"
    )
    print("\n".join(tally.server_errors + tally.not_refused + tally.unreadable))
    assert tally.server_errors == []
    assert tally.not_refused == []
    assert tally.unreadable == []
    assert tally.tried > 1000


@pytest.mark.slow
def test_pages_never_answer_hostile_input_with_a_server_error(
    world: dict[str, Any], officer: tuple[Officer, str]
) -> None:
    """Every page outside the API (citizen pages, back office, Open311): anonymous and as an
    officer, hostile query strings, path segments and form posts."""
    ticket = world["ticket"]
    staff = Client()
    staff.force_login(officer[0].user)
    tally = Tally()
    pages = list(hostile.django_pages())
    forms = [
        b"%FF%FE=%00&description=%00",
        b"description=" + b"x" * 100_000,
        b"lat=1e999&lon=NaN&description=%E0%B8",
        b"\xff\xfe\x00",
        json.dumps({"description": "x", **BANGKOK}).encode(),
    ]
    for template, params in pages:
        real = fill(template, params, ticket)
        for client in (Client(), staff):
            for query in hostile.HOSTILE_QUERIES:
                tally.record(
                    f"GET {real}?{query[:30]}",
                    client.get(f"{real}?{query}"),
                    must_refuse=False,
                    api=False,
                )
            if params:
                for segment in hostile.HOSTILE_SEGMENTS:
                    response = client.get(fill(template, params, segment))
                    tally.record(
                        f"GET {template} {segment[:20]}", response, must_refuse=False, api=False
                    )
            for form in forms:
                for content_type in ("application/x-www-form-urlencoded", JSON):
                    response = client.generic("POST", real, form, content_type=content_type)
                    tally.record(
                        f"POST {real} {form[:20]!r}", response, must_refuse=False, api=False
                    )
    print(f"\nhostile inputs tried on {len(pages)} pages: {tally.tried}; ", end="")
    print(f"5xx seen: {len(tally.server_errors)}")
    print("\n".join(tally.server_errors))
    assert tally.server_errors == []


def test_media_paths_that_cannot_be_files_are_404(api: Client, media: Path) -> None:
    """NUL bytes, names longer than the file system takes and escapes out of MEDIA_ROOT."""
    (media / "photos").mkdir(parents=True, exist_ok=True)
    (media / "photos" / "real.jpg").write_bytes(image_bytes())
    assert api.get("/media/photos/real.jpg").status_code == 200  # the view does serve files
    tally = Tally()
    for path in hostile.HOSTILE_MEDIA_PATHS:
        response = api.get(f"/media/{path}")
        tally.record(f"GET /media/{path[:30]}", response, must_refuse=True, api=False)
        assert response.status_code == 404, path[:60]
    assert tally.server_errors == [] and tally.not_refused == []


def test_open311_date_extremes_are_refused_in_open311_form(api: Client, db: None) -> None:
    tally = Tally()
    for query in hostile.HOSTILE_DATES:
        open311_dates = "start_date" in query or "end_date" in query
        for fmt in ("json", "xml"):
            response = api.get(f"/open311/v2/requests.{fmt}?{query}")
            tally.record(
                f"{fmt} ?{query}", response, must_refuse=open311_dates, api=False, open311=True
            )
            if open311_dates:
                assert any(
                    "1970-01-01 and 2100-12-31" in r for r in hostile.open311_reasons(response)
                )
    assert tally.server_errors == []
    assert tally.not_refused == []
    assert tally.unreadable == []


@pytest.mark.slow
def test_open311_posts_with_a_valid_key_never_crash(api: Client, db: None) -> None:
    """A partner's key gets past authentication, so its JSON body reaches the checks:
    malformed media_url values and bodies no parser takes are 4xx in GeoReport v2's form."""
    from pracha.agencies.services import create_api_key

    _key, raw_key = create_api_key("hostile partner")
    key = {"HTTP_X_API_KEY": raw_key}
    base = {"service_code": "road", "lat": BANGKOK["lat"], "long": BANGKOK["lon"]}
    base["description"] = "ถนนเป็นหลุม"
    tally = Tally()
    for fmt in ("json", "xml"):
        path = f"/open311/v2/requests.{fmt}"
        for url in hostile.HOSTILE_MEDIA_URLS:
            body = json_body({**base, "api_key": raw_key, "media_url": url})
            response = send(api, "POST", path, body, JSON)
            tally.record(
                f"{fmt} media_url={url[:30]!r}", response, must_refuse=True, api=False, open311=True
            )
            if response.status_code == 400:
                assert any("media_url" in r for r in hostile.open311_reasons(response)), url
        for index, (raw, content_type) in enumerate(hostile.RAW_BODIES):
            response = send(api, "POST", path, raw, content_type, **key)
            tally.record(
                f"{fmt} raw body #{index}", response, must_refuse=True, api=False, open311=True
            )
        for name in [*base, "media_url", "attribute"]:
            for value in [*hostile.WRONG_TYPES, *hostile.NASTY_TEXT]:
                body = json_body({**base, name: value})
                response = send(api, "POST", path, body, JSON, **key)
                tally.record(
                    f"{fmt} {name}={str(value)[:20]!r}",
                    response,
                    must_refuse=False,
                    api=False,
                    open311=True,
                )
    print("\n".join(tally.server_errors + tally.not_refused + tally.unreadable))
    assert tally.server_errors == []
    assert tally.not_refused == []
    assert tally.unreadable == []
