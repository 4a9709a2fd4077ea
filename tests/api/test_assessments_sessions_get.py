"""GET /api/v1/assessments/sessions (history, an agency's results) and .../sessions/{id}."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from tests.api.assessments_helpers import (
    finish_all,
    forbidden_keys,
    shipped,  # noqa: F401 (a fixture)
    start,
)
from tests.helpers import auth


@pytest.mark.usefixtures("shipped")
def test_a_running_session_shows_the_waiting_item(
    api: Client, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    body = start(api, key, "quick").json()
    state = api.get(f"/api/v1/assessments/sessions/{body['session']}", **auth(key))
    assert state.status_code == 200
    assert state.json()["item"] == body["item"] and forbidden_keys(state.json()) == set()


@pytest.mark.usefixtures("shipped")
def test_an_officer_sees_their_history(api: Client, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    result, _seen = finish_all(api, key, start(api, key, "quick").json())
    rows = api.get("/api/v1/assessments/sessions", **auth(key)).json()["items"]
    assert [r["session"] for r in rows] == [result["session"]]
    assert rows[0]["status"] == "finished" and rows[0]["score"] == result["score"]
    assert "officer" not in rows[0]


@pytest.mark.usefixtures("shipped")
def test_supervisors_see_their_agency_only(
    api: Client,
    bma: Agency,
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    _mine, mine_key = make_officer(bma, "somchai")
    ours, _ = finish_all(api, mine_key, start(api, mine_key, "quick").json())
    other = make_agency("district-x")
    _them, their_key = make_officer(other, "outsider")
    theirs, _ = finish_all(api, their_key, start(api, their_key, "quick").json())
    running = start(api, mine_key, "quick").json()
    _boss, boss_key = make_officer(bma, "boss", role="supervisor")

    rows = api.get("/api/v1/assessments/sessions?scope=agency", **auth(boss_key)).json()["items"]
    assert [(r["session"], r["officer"]) for r in rows] == [(ours["session"], "somchai")]
    assert (
        api.get(f"/api/v1/assessments/sessions/{ours['session']}", **auth(boss_key)).json()["score"]
        == ours["score"]
    )
    other_agency = api.get(f"/api/v1/assessments/sessions/{theirs['session']}", **auth(boss_key))
    assert other_agency.status_code == 403
    # A running test is the officer's own business until it ends.
    in_progress = api.get(f"/api/v1/assessments/sessions/{running['session']}", **auth(boss_key))
    assert in_progress.status_code == 403

    officer_asks = api.get("/api/v1/assessments/sessions?scope=agency", **auth(mine_key))
    assert officer_asks.status_code == 403 and officer_asks.json()["code"] == "forbidden"
    colleague = api.get(f"/api/v1/assessments/sessions/{theirs['session']}", **auth(mine_key))
    assert colleague.status_code == 403
