"""POST /api/v1/assessments/sessions/{id}/finish: end a test early."""

from __future__ import annotations

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from tests.api.assessments_helpers import (
    answer,
    shipped,  # noqa: F401 (a fixture)
    start,
)
from tests.helpers import auth


@pytest.mark.usefixtures("shipped")
def test_ending_early_scores_what_was_answered(api: Client, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    body = start(api, key, "practice").json()
    answer(api, key, body["session"], body["item"]["id"], 0)
    url = f"/api/v1/assessments/sessions/{body['session']}/finish"
    result = api.post(url, **auth(key))
    assert result.status_code == 200
    assert result.json()["finished"] is True and result.json()["end_reason"] == "ended_early"
    assert result.json()["items_used"] == 1 and result.json()["passed"] is False
    again = api.post(url, **auth(key))
    assert again.status_code == 409 and again.json()["code"] == "session_finished"
    assert start(api, key, "quick").status_code == 201  # free to start another
