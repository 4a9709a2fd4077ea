"""Rate limits on intake: per address and per API key, 429 with Retry-After, configurable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from pracha.agencies.models import Officer
from pracha.agencies.services import create_api_key
from pracha.config import Rate
from pracha.limits import counters
from pracha.limits.counters import hit
from pracha.limits.device import address_ident
from pracha.limits.ratelimit import rate_limited
from tests.factories import BANGKOK
from tests.helpers import auth, image_bytes, upload

URL = "/api/v1/cases"
BODY = {"description": "ไฟดับ", **BANGKOK}


def post(client: Client, **extra: Any) -> Any:
    return client.post(URL, BODY, content_type="application/json", **extra)


def test_reports_per_address_are_limited_with_retry_after(
    api: Client, db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(3, 600))
    assert [post(api).status_code for _ in range(3)] == [201, 201, 201]

    refused = post(api)

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert "at most 3 reports per 10 minutes" in body["detail"]
    # Another address is not affected; nor are reads.
    assert post(api, REMOTE_ADDR="198.51.100.20").status_code == 201
    assert api.get(URL).status_code == 200


def test_a_retry_of_a_stored_report_is_answered_over_the_limit(
    api: Client, db: None, limits: Callable[..., None]
) -> None:
    """A client that crashed and retries must get its ticket, not a 429."""
    limits(reports_per_ip=(2, 600))
    first = post(api, HTTP_IDEMPOTENCY_KEY="retry-me")
    assert post(api).status_code == 201
    assert post(api).status_code == 429
    again = post(api, HTTP_IDEMPOTENCY_KEY="retry-me")
    assert again.status_code == 201 and again.json()["ticket_id"] == first.json()["ticket_id"]
    assert post(api, HTTP_IDEMPOTENCY_KEY="a-new-key").status_code == 429  # new work counts


def test_invalid_requests_count_too(api: Client, db: None, limits: Callable[..., None]) -> None:
    limits(reports_per_ip=(2, 60))
    for _ in range(2):
        assert api.post(URL, "{bad json", content_type="application/json").status_code == 400
    assert post(api).status_code == 429


def test_an_api_key_has_its_own_budget(
    api: Client, db: None, limits: Callable[..., None], officer: tuple[Officer, str]
) -> None:
    limits(reports_per_ip=(1, 600), reports_per_key=(3, 600))
    _key, partner = create_api_key("LINE bot")
    assert post(api).status_code == 201
    assert post(api).status_code == 429
    # The partner's reports come from the same address, but count against its key.
    assert [post(api, **auth(partner)).status_code for _ in range(3)] == [201, 201, 201]
    assert post(api, **auth(partner)).status_code == 429
    # An officer's key has a budget of its own; X-API-Key counts as the same key.
    _me, key = officer
    assert post(api, HTTP_X_API_KEY=key).status_code == 201


def test_an_invalid_or_revoked_key_counts_as_the_address(
    api: Client, db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(1, 600), reports_per_key=(100, 600))
    assert post(api, **auth("pk_not-a-key")).status_code == 201
    assert post(api, **auth("pk_another-fake")).status_code == 429


def test_photos_have_their_own_limit(
    api: Client, db: None, limits: Callable[..., None], media: Path
) -> None:
    limits(photos_per_ip=(2, 600), reports_per_ip=(1, 600))
    ticket = post(api).json()["ticket_id"]
    statuses = [upload(api, ticket, image_bytes()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_limits_can_be_switched_off(api: Client, db: None, limits: Callable[..., None]) -> None:
    limits(reports_per_ip=None)
    assert {post(api).status_code for _ in range(5)} == {201}


def test_windows_reset(db: None) -> None:
    rate = Rate(2, 60)
    assert [hit("t", "a", rate, now=1000.0).allowed for _ in range(3)] == [True, True, False]
    later = hit("t", "a", rate, now=1000.0 + 60)
    assert later.allowed and later.count == 1
    assert hit("t", "a", rate, now=1019.5).retry_after == 1  # window ends at 1020


def test_a_cache_outage_lets_reports_through(
    api: Client, db: None, limits: Callable[..., None]
) -> None:
    limits(reports_per_ip=(1, 600))
    with mock.patch.object(counters.cache, "add", side_effect=RuntimeError("cache down")):
        assert [post(api).status_code for _ in range(3)] == [201, 201, 201]


@pytest.mark.parametrize(
    ("meta", "proxies", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.5"}, 0, "203.0.113.5"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, 0, "10.0.0.2"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, 1, "1.2.3.4"),
        # A client cannot pick its address by sending its own X-Forwarded-For.
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, 1, "1.2.3.4"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "garbage"}, 1, "10.0.0.2"),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, 0, "2001:db8:1:2::/64"),
    ],
)
def test_the_client_address(
    settings: Any, meta: dict[str, str], proxies: int, expected: str
) -> None:
    settings.PRACHA = dataclasses.replace(settings.PRACHA, proxy_count=proxies)
    request = RequestFactory().post("/", **meta)
    assert address_ident(request) == expected


def test_the_decorator_works_on_plain_django_views(db: None, limits: Callable[..., None]) -> None:
    limits(reports_per_ip=(1, 600))

    @rate_limited("reports")
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", status=201)

    factory = RequestFactory()
    assert view(factory.post("/open311/v2/requests.json")).status_code == 201
    refused = view(factory.post("/open311/v2/requests.json"))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert view(factory.get("/open311/v2/requests.json")).status_code == 201  # reads pass


def test_unknown_scopes_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown rate limit scope"):
        rate_limited("everything")
