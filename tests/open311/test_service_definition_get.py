"""GET Service Definition: /open311/v2/services/{service_code}.{xml,json}."""

from __future__ import annotations

from django.test import Client

from pracha.open311.definitions import DATATYPES, definitions
from tests.open311.conftest import V2, assert_errors, children, json_of, xml_root

ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def test_json_definition_of_flooding(api: Client, db: None) -> None:
    body = json_of(api.get(f"{V2}/services/flooding.json"))
    assert list(body) == ["service_code", "attributes"]
    assert body["service_code"] == "flooding"
    attributes = body["attributes"]
    assert [a["order"] for a in attributes] == list(range(1, len(attributes) + 1))
    for attribute in attributes:
        assert list(attribute) == ATTRIBUTE_FIELDS
        assert attribute["datatype"] in DATATYPES
    depth = attributes[0]
    assert depth["code"] == "WATER_DEPTH"
    assert depth["variable"] is True and depth["required"] is True
    assert depth["datatype"] == "singlevaluelist"
    assert depth["description"] == "น้ำสูงประมาณเท่าไร"
    assert [v["key"] for v in depth["values"]] == ["ankle", "shin", "knee", "above_knee"]
    assert all(set(v) == {"key", "name"} for v in depth["values"])
    started = next(a for a in attributes if a["code"] == "STARTED_AT")
    assert started["datatype"] == "datetime" and started["values"] == []
    # An attribute that only informs the user (variable=false) is never required.
    safety = next(a for a in attributes if a["code"] == "SAFETY")
    assert safety["variable"] is False and safety["required"] is False
    assert "199" in safety["description"]


def test_xml_definition_nests_attributes_and_values(api: Client, db: None) -> None:
    root = xml_root(api.get(f"{V2}/services/noise.xml"), "service_definition")
    assert children(root) == ["service_code", "attributes"]
    assert root.findtext("service_code") == "noise"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["NOISE_SOURCE", "NOISE_TIMES"]
    assert all(children(a) == ATTRIBUTE_FIELDS for a in attributes)
    times = attributes[1]
    assert times.findtext("datatype") == "multivaluelist"
    assert times.findtext("required") == "false"
    values = times.findall("values/value")
    assert [children(v) for v in values] == [["key", "name"]] * 4
    assert values[3].findtext("key") == "night"
    assert attributes[0].findtext("datatype_description") == ""  # null in XML: empty element


def test_english_definition(api: Client, db: None) -> None:
    body = json_of(api.get(f"{V2}/services/trees.json", {"locale": "en"}))
    problem = body["attributes"][0]
    assert problem["description"] == "What is the problem with the tree?"
    assert {"key": "fallen", "name": "Fallen"} in problem["values"]


def test_service_without_questions_has_no_attributes(api: Client, db: None) -> None:
    body = json_of(api.get(f"{V2}/services/inquiry.json"))
    assert body == {"service_code": "inquiry", "attributes": []}
    root = xml_root(api.get(f"{V2}/services/inquiry.xml"), "service_definition")
    assert root.find("attributes") is not None and not list(root.find("attributes") or [])


def test_every_defined_service_is_a_category_and_marked_metadata(api: Client, db: None) -> None:
    services = {s["service_code"]: s for s in api.get(f"{V2}/services.json").json()}
    for code in definitions():
        assert services[code]["metadata"] is True
        assert api.get(f"{V2}/services/{code}.json").status_code == 200


def test_unknown_service_code_is_404(api: Client, db: None) -> None:
    for fmt in ("json", "xml"):
        [description] = assert_errors(api.get(f"{V2}/services/potholes-on-mars.{fmt}"), 404, fmt)
        assert "potholes-on-mars" in description


def test_unknown_jurisdiction_is_404(api: Client, db: None) -> None:
    response = api.get(f"{V2}/services/flooding.xml", {"jurisdiction_id": "city.gov"})
    assert_errors(response, 404, "xml")
