"""Helpers for the assessments API tests: start, answer, and a check that no response body
carries an item's key, scores or parameters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pracha.competency.bank.seed import seed
from tests.helpers import auth

FORBIDDEN = {"key", "option_scores", "scores", "a", "b", "thresholds", "option_order", "category"}


def forbidden_keys(body: Any) -> set[str]:
    """Field names anywhere in a JSON body that would tell the client an answer."""
    found: set[str] = set()
    if isinstance(body, dict):
        found |= FORBIDDEN & set(body)
        for value in body.values():
            found |= forbidden_keys(value)
    elif isinstance(body, list):
        for value in body:
            found |= forbidden_keys(value)
    return found


def start(api: Client, key: str, code: str = "quick", language: str = "th") -> Any:
    return api.post(
        f"/api/v1/assessments/{code}/sessions",
        {"language": language},
        content_type="application/json",
        **auth(key),
    )


def answer(api: Client, key: str, session: str, item: int, choice: int) -> Any:
    return api.post(
        f"/api/v1/assessments/sessions/{session}/answers",
        {"item": item, "choice": choice},
        content_type="application/json",
        **auth(key),
    )


def finish_all(
    api: Client, key: str, body: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Answer with the first option until the end: the result and every body seen."""
    seen = [body]
    while not body.get("finished"):
        response = answer(api, key, body["session"], body["item"]["id"], 0)
        assert response.status_code == 200, response.content
        body = response.json()
        seen.append(body)
    return body, seen


@pytest.fixture
def shipped(db: None) -> None:
    """The shipped bank and tests (`pracha cat seed`); import it into a test module."""
    seed()
