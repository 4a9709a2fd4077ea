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
