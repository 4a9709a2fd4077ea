"""POST /api/v1/journeys, GET /journeys/{id}, POST .../steps/{code}/submit: a birth journey
from the citizen's side, and the officers' workflow completing its steps."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pracha.cases.models import Case, CaseKind
from pracha.citizens.models import Channel, ChannelKind
from pracha.lifeevents.models import FactConsent, JourneyFact, JourneyStep
from pracha.notify.email import send_due_mail
from tests.factories import make_officer
from tests.helpers import auth, post_json
from tests.lifeevents.support import FACTS, days_ago, new_citizen, start, step_of, submit


def test_a_new_journey_answers_201_with_each_step_state_and_due_date(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    response = start(api, headers, anchor_date=days_ago(3).isoformat())
    assert response.status_code == 201, response.content
    body = response.json()
    assert isinstance(body["id"], int)
    certificate = step_of(body, "birth-certificate")
    assert certificate["state"] == "available" and certificate["due_at"] == days_ago(3).isoformat()
    assert certificate["overdue"] is True  # due on the day of the birth, three days ago
    register = step_of(body, "birth-registration")
    assert register["state"] == "locked" and "birth-certificate" in register["reason"]
    assert register["due_at"] == days_ago(3 - 15).isoformat() and register["overdue"] is False
    assert register["agency"]["code"] == "bma-registration" and register["ticket_id"] is None


def test_a_failing_rule_makes_a_step_not_eligible_with_the_reason(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    facts = {**FACTS, "household_income_per_person_year": 250000}
    body = start(api, headers, facts=facts).json()
    grant = step_of(body, "child-support-grant")
    assert grant["state"] == "not_eligible"
    assert "household_income_per_person_year is 250000" in grant["reason"]


@pytest.mark.parametrize(
    "anchor, detail",
    [("2099-01-01", "future"), ("2024-02-30", "not a date"), ("yesterday", "not a date"),
     ("1990-01-01", "years ago")],
)  # fmt: skip
def test_future_impossible_or_ancient_dates_are_400(
    api: Client, life_events: None, anchor: str, detail: str
) -> None:
    _citizen, headers = new_citizen()
    response = start(api, headers, anchor_date=anchor)
    assert response.status_code == 400
    assert detail in response.json()["detail"] and response.json()["field"] == "anchor_date"


def test_an_unknown_life_event_is_404(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    assert start(api, headers, life_event="wedding").status_code == 404


@pytest.mark.parametrize(
    "facts", [{"Bad Key": 1}, {"x": {"nested": 1}}, {"x": "y" * 501}, {"x": [1, 2]}]
)
def test_malformed_facts_are_400(api: Client, life_events: None, facts: dict[str, Any]) -> None:
    _citizen, headers = new_citizen()
    assert start(api, headers, facts=facts).status_code == 400


def test_journeys_need_a_citizen_token(api: Client, life_events: None) -> None:
    assert start(api, {}).status_code == 401


def test_only_the_owner_reads_a_journey(api: Client, life_events: None) -> None:
    _citizen, owner = new_citizen()
    _other, stranger = new_citizen()
    journey = start(api, owner).json()["id"]
    assert api.get(f"/api/v1/journeys/{journey}", **owner).status_code == 200
    response = api.get(f"/api/v1/journeys/{journey}", **stranger)
    assert response.status_code == 404
    assert submit(api, stranger, journey, "birth-certificate").status_code == 404


def test_submitting_before_the_prerequisites_is_409_with_the_reason(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    response = submit(api, headers, journey, "birth-registration")
    assert response.status_code == 409
    assert "birth-certificate" in response.json()["detail"]
    assert submit(api, headers, journey, "no-such-step").status_code == 404


def test_a_step_becomes_a_service_request_in_the_agency_inbox_and_closing_completes_it(
    api: Client, life_events: None, registrar: str
) -> None:
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    after_certificate = submit(
        api, headers, journey, "birth-certificate", birth_certificate_no="TR-99"
    )
    assert step_of(after_certificate.json(), "birth-certificate")["state"] == "done"
    assert step_of(after_certificate.json(), "birth-registration")["state"] == "available"

    body = submit(api, headers, journey, "birth-registration").json()
    register = step_of(body, "birth-registration")
    assert register["state"] == "submitted" and register["ticket_id"]
    case = Case.all_kinds.get(ticket_id=register["ticket_id"])
    assert case.kind == CaseKind.SERVICE_REQUEST and case.agency.code == "bma-registration"
    # Only the facts this step uses reach the agency: not the income, not the bank.
    assert "parent_national_id: 1103700012345" in case.description
    assert "TR-99" in case.description
    assert "household_income" not in case.description and "promptpay" not in case.description
    assert set(FactConsent.objects.values_list("fact", flat=True)) == {
        "parent_national_id", "house_registration_no", "birth_certificate_no"
    }  # fmt: skip

    ticket = register["ticket_id"]
    accepted = post_json(api, f"/api/v1/cases/{ticket}/accept", {}, **auth(registrar))
    assert accepted.status_code == 200, accepted.content
    assert (
        step_of(api.get(f"/api/v1/journeys/{journey}", **headers).json(), "birth-registration")[
            "state"
        ]
        == "in_progress"
    )
    closed = post_json(
        api, f"/api/v1/cases/{ticket}/close",
        {"outcome": "done", "note": "child_national_id: 1103700099999"}, **auth(registrar),
    )  # fmt: skip
    assert closed.status_code == 200, closed.content
    body = api.get(f"/api/v1/journeys/{journey}", **headers).json()
    assert step_of(body, "birth-registration")["state"] == "done"
    fact = JourneyFact.objects.get(journey_id=journey, key="child_national_id")
    assert fact.value == 1103700099999 and fact.source == "birth-registration"
    for code in ("child-support-grant", "sso-childbirth-benefit", "sso-child-allowance"):
        assert step_of(body, code)["state"] == "available", code


def test_closed_as_not_relevant_the_step_can_be_submitted_again(
    api: Client, life_events: None, registrar: str
) -> None:
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    submit(api, headers, journey, "birth-certificate", birth_certificate_no="TR-1")
    ticket = step_of(
        submit(api, headers, journey, "birth-registration").json(), "birth-registration"
    )["ticket_id"]
    post_json(
        api,
        f"/api/v1/cases/{ticket}/close",
        {"outcome": "irrelevant", "note": "wrong district"},
        **auth(registrar),
    )
    step = step_of(api.get(f"/api/v1/journeys/{journey}", **headers).json(), "birth-registration")
    assert step["state"] == "available" and "wrong district" in step["reason"]


def test_a_second_submit_is_409(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    submit(api, headers, journey, "birth-certificate")
    submit(api, headers, journey, "birth-registration")
    response = submit(api, headers, journey, "birth-registration")
    assert response.status_code == 409 and "already submitted" in response.json()["detail"]


def test_a_new_fact_at_submit_makes_a_waiting_step_available(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    facts = {k: v for k, v in FACTS.items() if k != "household_income_per_person_year"}
    journey = start(api, headers, life_event="birth", facts=facts).json()["id"]
    response = submit(
        api, headers, journey, "birth-certificate", household_income_per_person_year=50000
    )
    assert response.status_code == 200
    assert (
        JourneyFact.objects.get(journey_id=journey, key="household_income_per_person_year").value
        == 50000
    )


def test_optional_steps_can_be_skipped_mandatory_ones_cannot(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    skipped = post_json(
        api, f"/api/v1/journeys/{journey}/steps/child-health-coverage/skip", {}, **headers
    )
    assert skipped.status_code == 200
    assert step_of(skipped.json(), "child-health-coverage")["state"] == "skipped"
    refused = post_json(
        api, f"/api/v1/journeys/{journey}/steps/birth-registration/skip", {}, **headers
    )
    assert refused.status_code == 409


def test_an_officer_of_another_agency_cannot_touch_the_request(
    api: Client, life_events: None, registrar: str, bma: Any
) -> None:
    _officer, other = make_officer(bma)
    _citizen, headers = new_citizen()
    journey = start(api, headers).json()["id"]
    submit(api, headers, journey, "birth-certificate")
    ticket = step_of(
        submit(api, headers, journey, "birth-registration").json(), "birth-registration"
    )["ticket_id"]
    assert post_json(api, f"/api/v1/cases/{ticket}/accept", {}, **auth(other)).status_code == 404


def test_a_fact_told_later_opens_a_step_and_the_citizen_is_told(
    api: Client, life_events: None, django_capture_on_commit_callbacks: Any
) -> None:
    citizen, headers = new_citizen("en")
    Channel.objects.create(citizen=citizen, kind=ChannelKind.EMAIL, address="n@example.org")
    facts = {k: v for k, v in FACTS.items() if k != "household_income_per_person_year"}
    journey = start(api, headers, facts=facts).json()["id"]
    submit(api, headers, journey, "birth-certificate")
    JourneyFact.objects.create(journey_id=journey, key="child_national_id", value=1, source="x")
    JourneyStep.objects.filter(journey_id=journey, code="birth-registration").update(state="done")
    body = post_json(api, f"/api/v1/journeys/{journey}/facts", {"facts": {}}, **headers).json()
    grant = step_of(body, "child-support-grant")
    assert grant["state"] == "locked" and "household_income_per_person_year" in grant["reason"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            api, f"/api/v1/journeys/{journey}/facts",
            {"facts": {"household_income_per_person_year": 80000}}, **headers,
        )  # fmt: skip
    assert step_of(response.json(), "child-support-grant")["state"] == "available"
    send_due_mail()
    assert any("newborn child support grant" in m.subject for m in mail.outbox)
