"""Service discovery: /open311/discovery.{xml,json} (required alongside GeoReport v2)."""

from __future__ import annotations

from django.test import Client

from tests.open311.conftest import json_of, xml_root


def test_discovery_points_at_the_v2_endpoint(api: Client, db: None) -> None:
    body = json_of(api.get("/open311/discovery.json"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_root(api.get("/open311/discovery.xml"), "discovery")
    formats = root.find("endpoints/endpoint/formats")
    assert formats is not None
    assert [f.text for f in formats.findall("format")] == ["text/xml", "application/json"]


def test_discovery_is_also_under_v2(api: Client, db: None) -> None:
    assert json_of(api.get("/open311/v2/discovery.json"))["endpoints"]
