"""The citizen's journeys in the privacy export and "My Pracha", gone with the account; the
facts shared with each agency, revocable through the API."""

from __future__ import annotations

from django.test import Client

from pracha.cases.models import Case
from pracha.lifeevents.models import FactConsent, Journey, JourneyFact
from tests.lifeevents.support import FACTS, new_citizen, start, step_of, submit


def _journey_with_a_request(api: Client, headers: dict[str, str]) -> tuple[int, str]:
    journey = start(api, headers).json()["id"]
    submit(api, headers, journey, "birth-certificate", birth_certificate_no="TR-3")
    body = submit(api, headers, journey, "birth-registration").json()
    return journey, step_of(body, "birth-registration")["ticket_id"]


def test_the_export_holds_the_journeys_facts_steps_and_consents(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    journey, ticket = _journey_with_a_request(api, headers)
    export = api.get("/api/v1/me/export", **headers).json()
    held = export["held_elsewhere"]["pracha.lifeevents.services.privacy"]
    (exported,) = held["journeys"]
    assert exported["id"] == journey and exported["life_event"] == "birth"
    facts = {f["key"]: f["value"] for f in exported["facts"]}
    assert facts["parent_national_id"] == FACTS["parent_national_id"]
    assert {s["code"]: s["ticket_id"] for s in exported["steps"]}["birth-registration"] == ticket
    assert {c["fact"] for c in held["fact_consents"]} >= {"parent_national_id"}


def test_my_pracha_lists_the_journeys_and_what_was_shared(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    journey, _ticket = _journey_with_a_request(api, headers)
    items = api.get("/api/v1/me", **headers).json()["items"]
    assert items["journeys"][0]["url"] == f"/me/journeys/{journey}/"
    assert any(s["fact"] == "parent_national_id" for s in items["shared"])


def test_deleting_the_account_erases_journeys_and_the_requests_personal_text(
    api: Client, life_events: None
) -> None:
    _citizen, headers = new_citizen()
    _journey, ticket = _journey_with_a_request(api, headers)
    assert api.delete("/api/v1/me", **headers).status_code in {200, 204}
    assert not Journey.objects.exists() and not JourneyFact.objects.exists()
    assert not FactConsent.objects.exists()
    request = Case.all_kinds.get(ticket_id=ticket)  # the agency's record of the work stays
    assert FACTS["parent_national_id"] not in request.description


def test_revoking_a_fact_hides_it_from_the_open_request(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    _journey, ticket = _journey_with_a_request(api, headers)
    consents = api.get("/api/v1/me/fact-consents", **headers).json()["items"]
    chosen = next(c for c in consents if c["fact"] == "parent_national_id")
    assert chosen["agency"]["code"] == "bma-registration" and chosen["revoked_at"] is None
    revoked = api.delete(f"/api/v1/me/fact-consents/{chosen['id']}", **headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    description = Case.all_kinds.get(ticket_id=ticket).description
    assert FACTS["parent_national_id"] not in description
    assert "house_registration_no" in description  # the other facts stay shared


def test_another_citizens_consent_is_404(api: Client, life_events: None) -> None:
    _citizen, headers = new_citizen()
    _other, stranger = new_citizen()
    _journey_with_a_request(api, headers)
    consent = FactConsent.objects.first()
    assert consent is not None
    assert api.delete(f"/api/v1/me/fact-consents/{consent.pk}", **stranger).status_code == 404
