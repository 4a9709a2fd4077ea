"""Fixtures for the Open311 conformance tests: a partner's api_key, POST and parsing helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from pracha.agencies.services import create_api_key
from pracha.open311.models import WebhookSubscription
from pracha.open311.webhooks.subscriptions import do_add_subscription
from tests.factories import BANGKOK
from tests.open311.receiver import Receiver

V2 = "/open311/v2"
# A reporter whose every field is distinctive, so a leak anywhere is easy to find.
REPORTER = {
    "email": "kanya.private@example.org",
    "first_name": "Kanyarat",
    "last_name": "Srisawatdee",
    "phone": "0891234567",
    "device_id": "device-7f3a9c21-secret",
    "account_id": "acct-55501-secret",
}


@pytest.fixture
def api_key(db: None) -> str:
    """A partner system's raw api_key (as `pracha apikey create` makes it)."""
    _key, raw = create_api_key("partner app")
    return raw


@pytest.fixture
def post_request(api: Client, api_key: str) -> Callable[..., Any]:
    """POST /open311/v2/requests.{fmt} as a form, like every Open311 client does."""

    def post(fmt: str = "json", *, key: str | None = None, **fields: Any) -> Any:
        body = {
            "service_code": "road",
            "lat": str(BANGKOK["lat"]),
            "long": str(BANGKOK["lon"]),
            "description": "ถนนเป็นหลุมลึกหน้าซอย",
            **fields,
        }
        if key is None:
            body["api_key"] = api_key
        elif key:
            body["api_key"] = key
        headers = {k: v for k, v in body.items() if k.startswith("HTTP_")}
        body = {k: v for k, v in body.items() if v is not None and k not in headers}
        return api.post(f"{V2}/requests.{fmt}", body, **headers)

    return post


@pytest.fixture
def file_request(post_request: Callable[..., Any]) -> Callable[..., str]:
    """File a request through Open311 and return its service_request_id (the ticket id)."""

    def file(**fields: Any) -> str:
        response = post_request("json", **fields)
        assert response.status_code == 200, response.content
        return str(response.json()[0]["service_request_id"])

    return file


def xml_root(response: Any, root: str) -> ET.Element:
    """Parse an XML answer and check what the specification asks of every one."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    element = ET.fromstring(response.content)
    assert element.tag == root
    return element


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def assert_errors(response: Any, status: int, fmt: str = "json") -> list[str]:
    """The specification's error list, in JSON or XML; returns the descriptions."""
    assert response.status_code == status, response.content
    if fmt == "xml":
        root = xml_root(response, "errors")
        errors = root.findall("error")
        assert errors and all(children(e) == ["code", "description"] for e in errors)
        assert {e.findtext("code") for e in errors} == {str(status)}
        return [e.findtext("description") or "" for e in errors]
    body = json_of(response)
    assert isinstance(body, list) and body
    assert all(set(e) == {"code", "description"} and e["code"] == status for e in body)
    return [e["description"] for e in body]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver listening on a free port of 127.0.0.1."""
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def subscribe(db: None, receiver: Receiver) -> Callable[..., WebhookSubscription]:
    """Register a webhook (to the receiver unless a URL is given); the receiver learns the
    secret, as a partner would be told it."""

    def add(url: str | None = None, **options: Any) -> WebhookSubscription:
        subscription = do_add_subscription(url or receiver.url, **options)
        if url is None:
            receiver.secret = subscription.secret
        return subscription

    return add
