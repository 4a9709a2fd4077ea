"""POST Service Request: /open311/v2/requests.{xml,json} with an api_key (form-encoded)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from pracha.agencies.services import revoke_api_key
from pracha.cases.models import Case, Event, Photo, ReporterContact
from pracha.config import Rate
from pracha.open311.models import Submission
from tests.open311.conftest import REPORTER, V2, assert_errors, children, json_of, xml_root

Post = Callable[..., Any]


def test_json_answer_is_a_list_with_the_new_service_request_id(post_request: Post) -> None:
    response = post_request("json", **REPORTER)
    assert response.status_code == 200
    [item] = json_of(response)
    assert list(item) == ["service_request_id", "token", "service_notice", "account_id"]
    case = Case.objects.get(ticket_id=item["service_request_id"])
    assert case.source == Case.Source.OPEN311
    assert [c.code for c in case.categories.all()] == ["road"]
    assert (case.lat, case.lon) == (13.7563, 100.5018)
    assert case.events.filter(kind=Event.Kind.CREATED).count() == 1
    assert "168 ชั่วโมง" in item["service_notice"]  # roads: one week (the SLA target)
    assert item["account_id"] is None  # Pracha keeps no citizen accounts of its own
    submission = Submission.objects.get(case=case)
    assert submission.token == item["token"]


def test_xml_answer(post_request: Post) -> None:
    root = xml_root(post_request("xml"), "service_requests")
    [request] = root.findall("request")
    assert children(request) == ["service_request_id", "token", "service_notice", "account_id"]
    assert Case.objects.filter(ticket_id=request.findtext("service_request_id")).exists()
    assert request.findtext("account_id") == ""


def test_reporter_fields_are_stored_privately(post_request: Post) -> None:
    ticket = post_request("json", **REPORTER).json()[0]["service_request_id"]
    contact = ReporterContact.objects.get(case__ticket_id=ticket)
    assert contact.name == "Kanyarat Srisawatdee"
    assert (contact.email, contact.phone) == (REPORTER["email"], REPORTER["phone"])
    submission = Submission.objects.get(case__ticket_id=ticket)
    assert (submission.device_id, submission.account_id) == (
        REPORTER["device_id"],
        REPORTER["account_id"],
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_api_key_is_400_and_bad_key_403(post_request: Post, fmt: str) -> None:
    [text] = assert_errors(post_request(fmt, key=""), 400, fmt)
    assert "api_key" in text
    [text] = assert_errors(post_request(fmt, key="pk_not-a-real-key"), 403, fmt)
    assert "api_key" in text
    assert not Case.objects.exists()


def test_revoked_key_is_refused(post_request: Post, api_key: str) -> None:
    assert post_request().status_code == 200
    assert revoke_api_key("partner app") == 1
    assert_errors(post_request(), 403)
    assert Case.objects.count() == 1


def test_api_key_may_come_as_a_header(api: Client, api_key: str) -> None:
    body = {"service_code": "road", "lat": "13.75", "long": "100.5", "description": "หลุม"}
    response = api.post(f"{V2}/requests.json", body, HTTP_X_API_KEY=api_key)
    assert response.status_code == 200


def test_works_without_csrf_token(api_key: str) -> None:
    client = Client(enforce_csrf_checks=True)
    body = {"api_key": api_key, "service_code": "road", "lat": "13.75", "long": "100.5"}
    assert client.post(f"{V2}/requests.json", body).status_code == 200


def test_service_code_is_required_and_must_exist(post_request: Post) -> None:
    [text] = assert_errors(post_request(service_code=""), 400)
    assert "service_code" in text
    for fmt in ("json", "xml"):
        [text] = assert_errors(post_request(fmt, service_code="unicorns"), 404, fmt)
        assert "unicorns" in text


def test_unknown_jurisdiction_is_404(post_request: Post) -> None:
    assert_errors(post_request(jurisdiction_id="sfgov.org"), 404)
    assert post_request(jurisdiction_id="bangkok.go.th").status_code == 200


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"lat": None, "long": None}, "location is required"),
        ({"long": None}, "lat and long must both be sent"),
        ({"lat": "north"}, "lat must be a number"),
        ({"long": "nan"}, "long must be a number"),
        ({"lat": "48.85", "long": "2.35"}, "lat"),  # Paris
        ({"lat": None, "long": None, "address_id": "545483"}, "address_id alone"),
        ({"lat": None, "long": None, "address_string": "somewhere nice"}, "no district"),
    ],
)
def test_bad_locations_are_400(post_request: Post, fields: dict[str, Any], word: str) -> None:
    [text] = assert_errors(post_request(**fields), 400)
    assert word in text
    assert not Case.objects.exists()


def test_address_string_alone_places_the_case_in_that_district(post_request: Post) -> None:
    address = "ซอยจุฬา 42 แขวงวังใหม่ เขตปทุมวัน กรุงเทพมหานคร 10330"
    response = post_request(lat=None, long=None, address_string=address, address_id="BMA-77")
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.address == address
    # Pathum Wan lies between 13.72-13.76 N and 100.51-100.55 E.
    assert 13.70 < case.lat < 13.77 and 100.50 < case.lon < 100.56
    submission = Submission.objects.get(case=case)
    assert (submission.located_by, submission.address_id) == ("address", "BMA-77")


def test_english_address_is_placed_too(post_request: Post) -> None:
    response = post_request(lat=None, long=None, address_string="Silom Rd, Bang Rak, Bangkok")
    assert response.status_code == 200, response.content


def test_required_attribute_of_the_service_definition(post_request: Post) -> None:
    [text] = assert_errors(post_request(service_code="flooding"), 400)
    assert "attribute[WATER_DEPTH]" in text
    [text] = assert_errors(
        post_request(service_code="flooding", **{"attribute[WATER_DEPTH]": "ocean"}), 400
    )
    assert "ankle, shin, knee, above_knee" in text
    response = post_request(
        service_code="flooding",
        description="น้ำท่วมขังหน้าตลาด",
        **{"attribute[WATER_DEPTH]": "knee", "attribute[STARTED_AT]": "2024-06-01T18:30:00+07:00"},
    )
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.description.startswith("น้ำท่วมขังหน้าตลาด\n\n")
    assert "น้ำสูงประมาณเท่าไร / How deep is the water?: หัวเข่า (30-50 ซม.)" in case.description
    assert Submission.objects.get(case=case).attributes == {
        "WATER_DEPTH": ["knee"],
        "STARTED_AT": ["2024-06-01T18:30:00+07:00"],
    }


def test_multivaluelist_takes_several_values(post_request: Post, api: Client, api_key: str) -> None:
    body = [
        ("api_key", api_key),
        ("service_code", "noise"),
        ("lat", "13.75"),
        ("long", "100.5"),
        ("attribute[NOISE_SOURCE]", "venue"),
        ("attribute[NOISE_TIMES][]", "evening"),
        ("attribute[NOISE_TIMES][]", "night"),
    ]
    response = api.post(
        f"{V2}/requests.json", urlencode(body), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200, response.content
    assert Submission.objects.get().attributes == {
        "NOISE_SOURCE": ["venue"],
        "NOISE_TIMES": ["evening", "night"],
    }
    body[-1] = ("attribute[NOISE_SOURCE]", "cars")
    assert_errors(
        api.post(
            f"{V2}/requests.json", urlencode(body), content_type="application/x-www-form-urlencoded"
        ),
        400,
    )


@pytest.mark.parametrize(
    ("attribute", "value", "word"),
    [
        ("LAMPS_OUT", "several", "must be a number"),
        ("POLE_NUMBER", "A12\nB7", "one-line"),
    ],
)
def test_attribute_datatypes_are_checked(
    post_request: Post, attribute: str, value: str, word: str
) -> None:
    [text] = assert_errors(
        post_request(service_code="lighting", **{f"attribute[{attribute}]": value}), 400
    )
    assert word in text


def test_bad_datetime_attribute(post_request: Post) -> None:
    fields = {"attribute[WATER_DEPTH]": "ankle", "attribute[STARTED_AT]": "yesterday"}
    [text] = assert_errors(post_request(service_code="flooding", **fields), 400)
    assert "ISO 8601" in text


def test_attributes_a_service_does_not_define_are_ignored(post_request: Post) -> None:
    # FixMyStreet sends its own attributes with every request; they must not be refused.
    fields = {"attribute[title]": "Pothole", "attribute[report_url]": "https://fms.example/r/1"}
    assert post_request(**fields).status_code == 200
    assert Submission.objects.get().attributes == {}


def test_media_url_becomes_a_photo(post_request: Post) -> None:
    url = "https://storage.example.org/photos/pothole.jpg"
    assert post_request(media_url=url).status_code == 200
    photo = Photo.objects.get()
    assert (photo.url, photo.kind) == (url, Photo.Kind.BEFORE)
    [text] = assert_errors(post_request(media_url="javascript:alert(1)"), 400)
    assert "media_url" in text
    for malformed in ("http://[::1", "http://example.org:99999999/a.jpg", "http://:80/a.jpg"):
        for fmt in ("json", "xml"):
            [text] = assert_errors(post_request(fmt, media_url=malformed), 400, fmt)
            assert "media_url" in text
    assert Photo.objects.count() == 1


def test_json_nested_deeper_than_the_parser_is_400(api: Client, api_key: str) -> None:
    for fmt in ("json", "xml"):
        response = api.generic(
            "POST",
            f"{V2}/requests.{fmt}",
            b"[" * 100_000,
            content_type="application/json",
            HTTP_X_API_KEY=api_key,
        )
        [text] = assert_errors(response, 400, fmt)
        assert "nested too deeply" in text
    lone = b'{"service_code": "road", "lat": 13.75, "long": 100.5, "description": "\\ud800"}'
    response = api.post(f"{V2}/requests.json", lone, "application/json", HTTP_X_API_KEY=api_key)
    [text] = assert_errors(response, 400)
    assert "description" in text and "Unicode" in text
    assert not Case.objects.exists()


def test_description_limits(post_request: Post) -> None:
    [text] = assert_errors(post_request(description="ก" * 4001), 400)
    assert "4,000" in text
    assert post_request(description="").status_code == 200
    assert Case.objects.get().description == "ถนน (Road)"  # the service says what is wrong


def test_bad_reporter_fields_are_400(post_request: Post) -> None:
    [text] = assert_errors(post_request(email="not-an-email"), 400)
    assert "e-mail" in text
    assert_errors(post_request(phone="call me maybe"), 400)
    assert_errors(post_request(device_id="x" * 201), 400)
    assert_errors(post_request(first_name="Somchai\x00"), 400)
    assert not Case.objects.exists()


def test_json_body_is_accepted_too(api: Client, api_key: str) -> None:
    body = {
        "api_key": api_key,
        "service_code": "trees",
        "lat": 13.75,
        "long": 100.5,
        "attribute": {"TREE_PROBLEM": "fallen", "BLOCKING": ["road", "wires"]},
    }
    response = api.post(f"{V2}/requests.json", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Submission.objects.get().attributes == {
        "TREE_PROBLEM": ["fallen"],
        "BLOCKING": ["road", "wires"],
    }
    bad = api.post(f"{V2}/requests.json", "{not json", content_type="application/json")
    assert_errors(bad, 400)


def test_a_retried_post_with_idempotency_key_files_one_case(api: Client, api_key: str) -> None:
    body = {"api_key": api_key, "service_code": "road", "lat": "13.75", "long": "100.5"}
    first = api.post(f"{V2}/requests.json", body, HTTP_IDEMPOTENCY_KEY="retry-1").json()[0]
    again = api.post(f"{V2}/requests.json", body, HTTP_IDEMPOTENCY_KEY="retry-1").json()[0]
    assert again == first
    assert Case.objects.count() == 1
    other = api.post(f"{V2}/requests.json", body, HTTP_IDEMPOTENCY_KEY="retry-2").json()[0]
    assert other["service_request_id"] != first["service_request_id"]


def test_an_overlong_idempotency_key_is_400(api: Client, api_key: str) -> None:
    body = {"api_key": api_key, "service_code": "road", "lat": "13.75", "long": "100.5"}
    response = api.post(f"{V2}/requests.json", body, HTTP_IDEMPOTENCY_KEY="x" * 151)
    [text] = assert_errors(response, 400)
    assert "Idempotency-Key" in text
    assert Case.objects.count() == 0


def test_rate_limit_per_api_key_answers_429(post_request: Post, settings: Any) -> None:
    settings.PRACHA = dataclasses.replace(settings.PRACHA, rate_reports_per_key=Rate(1, 600))
    assert post_request().status_code == 200
    response = post_request("xml")
    assert_errors(response, 429, "xml")
    assert int(response["Retry-After"]) > 0


def test_triage_runs_on_open311_requests(
    post_request: Post, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pracha.intake import triage as triage_intake

    monkeypatch.setattr(triage_intake, "get_classifier", lambda: None)
    settings.PRACHA = dataclasses.replace(settings.PRACHA, triage_on_intake=True)
    ticket = post_request(lat="13.7291", long="100.5340").json()[0]["service_request_id"]
    case = Case.objects.get(ticket_id=ticket)
    assert case.district == "บางรัก"
    assert case.events.filter(kind=Event.Kind.TRIAGED).exists()
    # A point outside Thailand is refused by triage with a reason.
    [text] = assert_errors(post_request(lat="17.9757", long="102.6331"), 400)
    assert "not in Thailand" in text
