"""A wrong HTTP method gets a 405 that says which methods the address takes."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/api/v1/cases", "GET, POST"),
        ("delete", "/api/v1/indicators", "GET"),
        ("post", "/api/v1/open-data/cases.csv", "GET"),
    ],
)
def test_the_api_answers_json_with_the_allowed_methods(
    api: Client, method: str, path: str, allowed: str
) -> None:
    response = getattr(api, method)(path)
    assert response.status_code == 405
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert method.upper() in body["detail"] and path in body["detail"]
    assert set(response["Allow"].split(", ")) == set(allowed.split(", "))


@pytest.mark.parametrize(
    ("method", "path"),
    [("put", "/report/"), ("delete", "/"), ("post", "/dashboard/"), ("get", "/report/suggest/")],
)
def test_pages_name_the_methods_they_take(method: str, path: str) -> None:
    response = getattr(Client(), method)(path)
    assert response.status_code == 405
    assert response["Allow"] and response["Allow"] in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/proposals/P-2026-%00",
        "/api/v1/journeys/1/steps/%00/submit",
        "/api/v1/cases/2026-ABC%00",
        "/proposals/%00/",
        "/t/%00/",
    ],
)
def test_a_nul_in_the_path_is_a_404_not_a_database_error(path: str) -> None:
    """PostgreSQL refuses NUL in text, so a lookup with one would be a 500: no address holds
    one, so it is a 404 before any lookup."""
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        assert response.status_code == 404, (method, path)


@pytest.mark.django_db
def test_a_nul_in_a_query_parameter_names_the_parameter() -> None:
    response = Client().get("/api/v1/proposals", {"district": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "district contains a NUL character",
        "code": "invalid_input",
        "field": "district",
    }
    page = Client().get("/proposals/", {"state": "\x00"}, HTTP_ACCEPT="text/html")
    assert page.status_code == 400 and "state contains a NUL character" in page.content.decode()
