"""GET Service Request: /open311/v2/requests/{service_request_id}.{xml,json}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.open311.conftest import V2, assert_errors, children, json_of, xml_root
from tests.open311.test_requests_get import FIELDS

File = Callable[..., str]


def test_json_is_a_list_of_the_one_request(api: Client, file_request: File) -> None:
    ticket = file_request(address_id="BKK-0042", address_string="ถนนสีลม เขตบางรัก 10500")
    body = json_of(api.get(f"{V2}/requests/{ticket}.json"))
    assert isinstance(body, list) and len(body) == 1
    [item] = body
    assert list(item) == FIELDS
    assert item["service_request_id"] == ticket
    assert (item["address_id"], item["zipcode"]) == ("BKK-0042", "10500")


def test_xml(api: Client, file_request: File) -> None:
    ticket = file_request()
    root = xml_root(api.get(f"{V2}/requests/{ticket}.xml"), "service_requests")
    [request] = root.findall("request")
    assert children(request) == FIELDS
    assert request.findtext("service_request_id") == ticket
    assert request.findtext("service_code") == "road"


def test_ids_are_case_insensitive(api: Client, file_request: File) -> None:
    ticket = file_request()
    assert (
        json_of(api.get(f"{V2}/requests/{ticket.lower()}.json"))[0]["service_request_id"] == ticket
    )


def test_unknown_request_is_404(api: Client, db: None) -> None:
    for fmt in ("json", "xml"):
        [text] = assert_errors(api.get(f"{V2}/requests/2024-NOPE00.{fmt}"), 404, fmt)
        assert "2024-NOPE00" in text
    assert_errors(api.get(f"{V2}/requests/{'X' * 300}.json"), 404)


def test_cases_filed_elsewhere_are_served_too(
    api: Client, file_case: Callable[..., dict[str, Any]]
) -> None:
    """Reports from the web form, the JSON API and imports are service requests as well."""
    ticket = file_case(categories=["แสงสว่าง"])["ticket_id"]
    [item] = json_of(api.get(f"{V2}/requests/{ticket}.json", {"extensions": "true"}))
    assert (item["service_code"], item["service_name"]) == ("lighting", "แสงสว่าง")
    assert item["extended_attributes"]["interface_used"] == "api"
    assert item["extended_attributes"]["answers"] == []


def test_extensions_on_one_request(api: Client, file_request: File) -> None:
    ticket = file_request(service_code="wires", **{"attribute[WIRE_DANGER]": "low"})
    [item] = json_of(api.get(f"{V2}/requests/{ticket}.json", {"extensions": "true"}))
    extended = item["extended_attributes"]
    assert extended["ticket_id"] == ticket
    assert extended["detailed_status"] == "waiting"
    assert extended["answers"][0]["values"][0]["key"] == "low"


def test_unknown_jurisdiction_is_404(api: Client, file_request: File) -> None:
    ticket = file_request()
    assert_errors(api.get(f"{V2}/requests/{ticket}.json", {"jurisdiction_id": "x.org"}), 404)
