"""GET Service List: /open311/v2/services.{xml,json} (GeoReport v2, "GET Service List")."""

from __future__ import annotations

from django.test import Client

from pracha.cases.models import Category
from tests.open311.conftest import V2, assert_errors, children, json_of, xml_root

FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def test_json_lists_every_category_with_the_spec_fields(api: Client, db: None) -> None:
    services = json_of(api.get(f"{V2}/services.json"))
    assert isinstance(services, list)
    assert [s["service_code"] for s in services] == list(
        Category.objects.values_list("code", flat=True)
    )
    for service in services:
        assert list(service) == FIELDS
        assert service["type"] == "realtime"
        assert isinstance(service["metadata"], bool)
    flooding = next(s for s in services if s["service_code"] == "flooding")
    assert flooding["service_name"] == "น้ำท่วม"  # Thai, the city's language, by default
    assert flooding["group"] == "water"
    assert "Flooding" in flooding["description"] and "น้ำท่วม" in flooding["description"]
    assert "Flooding" in flooding["keywords"] and "น้ำขัง" in flooding["keywords"]
    assert flooding["metadata"] is True  # it asks how deep the water is
    inquiry = next(s for s in services if s["service_code"] == "inquiry")
    assert inquiry["metadata"] is False


def test_xml_has_services_root_and_one_service_element_each(api: Client, db: None) -> None:
    root = xml_root(api.get(f"{V2}/services.xml"), "services")
    services = root.findall("service")
    assert len(services) == Category.objects.count()
    assert all(children(s) == FIELDS for s in services)
    road = next(s for s in services if s.findtext("service_code") == "road")
    assert road.findtext("metadata") == "true"
    assert road.findtext("type") == "realtime"
    assert road.findtext("group") == "infrastructure"
    complaint = next(s for s in services if s.findtext("service_code") == "complaint")
    assert complaint.findtext("metadata") == "false"


def test_english_names_on_request(api: Client, db: None) -> None:
    by_locale = json_of(api.get(f"{V2}/services.json", {"locale": "en"}))
    by_header = json_of(api.get(f"{V2}/services.json", HTTP_ACCEPT_LANGUAGE="en"))
    for services in (by_locale, by_header):
        lighting = next(s for s in services if s["service_code"] == "lighting")
        assert lighting["service_name"] == "Street lighting"
        assert "แสงสว่าง" in lighting["description"]


def test_jurisdiction_id_is_optional_and_checked(api: Client, db: None) -> None:
    for jurisdiction in ("bangkok.go.th", "www.bangkok.go.th", ""):
        assert api.get(f"{V2}/services.json", {"jurisdiction_id": jurisdiction}).status_code == 200
    for fmt in ("json", "xml"):
        response = api.get(f"{V2}/services.{fmt}", {"jurisdiction_id": "sfgov.org"})
        [description] = assert_errors(response, 404, fmt)
        assert "sfgov.org" in description and "bangkok.go.th" in description


def test_configured_jurisdiction(api: Client, db: None, pracha) -> None:  # type: ignore[no-untyped-def]
    pracha(open311_jurisdiction="nonthaburi.go.th")
    assert (
        api.get(f"{V2}/services.json", {"jurisdiction_id": "nonthaburi.go.th"}).status_code == 200
    )
    assert api.get(f"{V2}/services.json", {"jurisdiction_id": "bangkok.go.th"}).status_code == 404


def test_unknown_format_and_method_are_refused(api: Client, db: None) -> None:
    [description] = assert_errors(api.get(f"{V2}/services.html"), 400)
    assert ".xml or .json" in description
    response = api.post(f"{V2}/services.json", {})
    assert_errors(response, 405)
    assert response["Allow"] == "GET, HEAD"
    assert api.head(f"{V2}/services.xml").status_code == 200


def test_unknown_paths_answer_an_open311_404(api: Client, db: None) -> None:
    for path in ("/open311/v2/nothing.json", "/open311/v3/services.json", "/open311/"):
        [description] = assert_errors(api.get(path), 404)
        assert "discovery" in description


def test_a_post_to_a_mistyped_path_is_an_open311_404(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    assert_errors(client.post(f"{V2}/request.json", {"api_key": "x"}), 404)
