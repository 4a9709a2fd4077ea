"""GET /api/v1/life-events and /life-events/{code}: the public guides."""

from __future__ import annotations

from django.test import Client


def test_the_list_names_each_event_with_its_steps(api: Client, life_events: None) -> None:
    response = api.get("/api/v1/life-events")
    assert response.status_code == 200
    items = {i["code"]: i for i in response.json()["items"]}
    assert set(items) == {"birth", "moving-house"}
    assert items["birth"]["name_en"] == "Having a baby (Bangkok)"
    assert "birth-registration" in [s["code"] for s in items["birth"]["steps"]]


def test_one_event_gives_each_step_agency_deadline_documents(
    api: Client, life_events: None
) -> None:
    body = api.get("/api/v1/life-events/birth").json()
    steps = {s["code"]: s for s in body["steps"]}
    register = steps["birth-registration"]
    assert register["agency"] == {
        "code": "bma-registration",
        "name_th": "งานทะเบียนราษฎร สำนักงานเขต กทม.",
        "name_en": "District office civil registration (Bangkok)",
    }
    assert register["due_days"] == 15 and register["mandatory"] is True
    assert register["prerequisites"] == ["birth-certificate"]
    assert {"th", "en"} == set(register["documents"][0])
    assert steps["child-support-grant"]["agency"]["name_en"] == "Department of Children and Youth"
    assert steps["sso-child-allowance"]["agency"]["code"] == "sso"
    assert steps["child-health-coverage"]["unverified"]


def test_an_unknown_event_is_404(api: Client, life_events: None) -> None:
    response = api.get("/api/v1/life-events/wedding")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
