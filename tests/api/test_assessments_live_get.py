"""GET /api/v1/assessments/live: the public board, anonymous."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from tests.api.assessments_helpers import (
    finish_all,
    shipped,  # noqa: F401 (a fixture)
    start,
)


@pytest.mark.usefixtures("shipped")
def test_running_and_finished_sessions_without_who(
    api: Client, bma: Agency, make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    _me, key = make_officer(bma, "somsri.k")
    done, _ = finish_all(api, key, start(api, key, "quick").json())
    _other, other_key = make_officer(bma, "prasert.w")
    running = start(api, other_key, "practice").json()
    response = Client().get("/api/v1/assessments/live")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [r["status"] for r in rows] == ["running", "finished"]
    assert set(rows[0]) == {
        "agency",
        "assessment",
        "mode",
        "started_at",
        "status",
        "answered",
        "of",
        "score",
        "passed",
    }
    assert rows[0]["agency"] == {"name_th": bma.name_th, "name_en": bma.name_en or bma.name_th}
    assert rows[1]["score"] == done["score"] and rows[1]["passed"] == done["passed"]
    text = response.content.decode()
    for secret in ("somsri.k", "prasert.w", done["session"], running["session"]):
        assert secret not in text
    assert all("officer" not in row and "session" not in row for row in rows)
