"""GET service_request_id from a token: /open311/v2/tokens/{token}.{xml,json}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.open311.conftest import V2, assert_errors, children, json_of, xml_root


def test_token_from_the_post_gives_the_service_request_id(
    api: Client, post_request: Callable[..., Any]
) -> None:
    [posted] = post_request().json()
    body = json_of(api.get(f"{V2}/tokens/{posted['token']}.json"))
    assert body == [{"service_request_id": posted["service_request_id"], "token": posted["token"]}]


def test_xml(api: Client, post_request: Callable[..., Any]) -> None:
    [posted] = post_request().json()
    root = xml_root(api.get(f"{V2}/tokens/{posted['token']}.xml"), "service_requests")
    [request] = root.findall("request")
    assert children(request) == ["service_request_id", "token"]
    assert request.findtext("service_request_id") == posted["service_request_id"]
    assert request.findtext("token") == posted["token"]


def test_the_same_token_comes_back_for_an_idempotent_retry(
    api: Client, post_request: Callable[..., Any]
) -> None:
    [first] = post_request(HTTP_IDEMPOTENCY_KEY="again").json()
    [again] = post_request(HTTP_IDEMPOTENCY_KEY="again").json()
    assert again["token"] == first["token"]
    assert again["service_request_id"] == first["service_request_id"]
    body = json_of(api.get(f"{V2}/tokens/{again['token']}.json"))
    assert body[0]["service_request_id"] == first["service_request_id"]


def test_unknown_token_is_404(api: Client, db: None) -> None:
    for fmt in ("json", "xml"):
        [text] = assert_errors(api.get(f"{V2}/tokens/not-a-token.{fmt}"), 404, fmt)
        assert "not-a-token" in text


def test_unknown_jurisdiction_is_404(api: Client, post_request: Callable[..., Any]) -> None:
    [posted] = post_request().json()
    response = api.get(f"{V2}/tokens/{posted['token']}.json", {"jurisdiction_id": "x.org"})
    assert_errors(response, 404)
