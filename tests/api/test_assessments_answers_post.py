"""POST /api/v1/assessments/sessions/{id}/answers: the next item, or the result."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.competency.models import Item, Response, Session
from tests.api.assessments_helpers import (
    answer,
    finish_all,
    forbidden_keys,
    shipped,  # noqa: F401 (a fixture)
    start,
)
from tests.helpers import auth


@pytest.mark.usefixtures("shipped")
def test_an_answer_gets_the_next_item(api: Client, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    body = start(api, key, "practice").json()
    response = answer(api, key, body["session"], body["item"]["id"], 2)
    assert response.status_code == 200
    following = response.json()
    assert following["finished"] is False and following["answered"] == 1
    assert following["item"]["id"] != body["item"]["id"] and following["item"]["position"] == 2
    first = Response.objects.get(session_id=body["session"], position=1)
    assert first.choice == first.option_order[2]  # the option shown third, as written


@pytest.mark.usefixtures("shipped")
def test_a_fixed_form_to_the_end_gives_the_result_per_subtest(
    api: Client, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    result, seen = finish_all(api, key, start(api, key, "practice").json())
    assert len(seen) == 41
    assert result["finished"] is True and result["items_used"] == 40
    assert {"theta", "se", "score", "passed", "items_used", "domains"} <= set(result)
    assert result["theta"] is None and result["se"] is None  # provisional parameters
    assert result["parameters"] == "provisional"
    parts = {p["code"]: p for p in result["subtests"]}
    assert [
        parts[c]["items"] for c in ("workflow", "service", "pdpa", "disaster", "character")
    ] == [8, 6, 8, 8, 10]
    assert all(p["passed"] == (p["score"] >= p["passing"]) for p in parts.values())
    assert result["passed"] == all(p["passed"] for p in parts.values())
    assert result["score"] == sum(p["score"] for p in parts.values())
    assert set(result["domains"]) == {"workflow", "service", "pdpa", "disaster", "character"}
    assert all(forbidden_keys(body) == set() for body in seen)


@pytest.mark.usefixtures("shipped")
def test_the_adaptive_test_runs_to_its_stop(api: Client, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    result, seen = finish_all(api, key, start(api, key, "adaptive", "en").json())
    assert 10 <= result["items_used"] <= 30 and len(seen) == result["items_used"] + 1
    assert result["theta"] is not None and result["se"] is not None
    assert result["end_reason"] in {"se_reached", "max_items"}
    if result["end_reason"] == "se_reached":
        assert result["se"] <= 0.30
    assert result["passed"] == (result["theta"] >= result["passing_theta"])
    assert sum(d["items"] for d in result["domains"].values()) == result["items_used"]
    assert all(forbidden_keys(body) == set() for body in seen)


@pytest.mark.usefixtures("shipped")
def test_an_answer_to_an_item_not_asked_is_409(api: Client, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    body = start(api, key, "quick").json()
    other = Item.objects.exclude(pk=body["item"]["id"]).first()
    response = answer(api, key, body["session"], other.pk, 0)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "that item is not the one waiting for an answer",
        "code": "item_not_asked",
        "field": "item",
    }
    # Answering the same item twice: the second is to an item no longer waiting.
    answer(api, key, body["session"], body["item"]["id"], 0)
    assert answer(api, key, body["session"], body["item"]["id"], 1).status_code == 409


@pytest.mark.usefixtures("shipped")
def test_an_answer_after_the_end_is_409(api: Client, officer: tuple[Officer, str]) -> None:
    _me, key = officer
    first = start(api, key, "quick").json()
    _result, seen = finish_all(api, key, first)
    last_item = seen[-2]["item"]["id"]
    response = answer(api, key, first["session"], last_item, 0)
    assert response.status_code == 409 and response.json()["code"] == "session_finished"


@pytest.mark.usefixtures("shipped")
def test_an_answer_after_the_deadline_is_409_and_the_session_is_scored(
    api: Client, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    body = start(api, key, "quick").json()
    body = answer(api, key, body["session"], body["item"]["id"], 0).json()
    Session.objects.filter(pk=body["session"]).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    late = answer(api, key, body["session"], body["item"]["id"], 0)
    assert late.status_code == 409 and late.json()["code"] == "time_up"
    state = api.get(f"/api/v1/assessments/sessions/{body['session']}", **auth(key)).json()
    assert state["finished"] is True and state["end_reason"] == "time_up"
    assert state["items_used"] == 1


@pytest.mark.usefixtures("shipped")
def test_a_choice_out_of_range_is_400_and_a_bad_body_422(
    api: Client, officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    body = start(api, key, "quick").json()
    out = answer(api, key, body["session"], body["item"]["id"], 4)
    assert out.status_code == 400 and out.json()["field"] == "choice"
    assert answer(api, key, body["session"], body["item"]["id"], -1).status_code == 400
    missing = api.post(
        f"/api/v1/assessments/sessions/{body['session']}/answers",
        {"item": body["item"]["id"]},
        content_type="application/json",
        **auth(key),
    )
    assert missing.status_code == 422 and missing.json()["field"] == "choice"
    text = api.post(
        f"/api/v1/assessments/sessions/{body['session']}/answers",
        {"item": str(body["item"]["id"]), "choice": "1"},
        content_type="application/json",
        **auth(key),
    )
    assert text.status_code == 422


@pytest.mark.usefixtures("shipped")
def test_only_the_officer_answers_their_test(
    api: Client,
    bma: Agency,
    officer: tuple[Officer, str],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    body = start(api, officer[1], "quick").json()
    _other, other_key = make_officer(bma)
    stolen = answer(api, other_key, body["session"], body["item"]["id"], 0)
    assert stolen.status_code == 403
    assert answer(api, officer[1], "not-a-session", 1, 0).status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert answer(api, officer[1], unknown, 1, 0).status_code == 404
    assert api.post(f"/api/v1/assessments/sessions/{unknown}/answers").status_code == 401
