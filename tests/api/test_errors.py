"""The API's one error format, and the HTTP status of every domain error."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from pracha.api import site as api_module
from pracha.api.auth import CitizenTokenRefused
from pracha.cases import errors
from pracha.cases.errors import DomainError
from pracha.cases.lookup import AmbiguousTicketId
from pracha.cases.services.citizen import OwnReport, TooManyMeToos
from pracha.cases.services.claims import AlreadyClaimed
from pracha.competency import errors as test_errors
from pracha.consultations.services.respond import InvalidAnswers, NotOpen
from pracha.consultations.services.results import ResultsNotYet
from pracha.lifeevents.errors import StepNotOpen

# The statuses documented in src/pracha/api/site.py's docstring.
DOCUMENTED = {
    errors.InvalidInput: (400, "invalid_input"),
    errors.NotFound: (404, "not_found"),
    errors.NotAllowed: (403, "forbidden"),
    errors.IllegalTransition: (409, "illegal_transition"),
    errors.ForwardingLoop: (409, "forwarding_loop"),
    errors.Conflict: (409, "conflict"),
    errors.PhotoTooLarge: (413, "too_large"),
    errors.NotAnImage: (415, "unsupported_media"),
    errors.IdempotencyKeyReused: (422, "idempotency_key_reused"),
    OwnReport: (403, "own_report"),
    test_errors.SessionOpen: (409, "session_open"),
    test_errors.SessionFinished: (409, "session_finished"),
    test_errors.TimeUp: (409, "time_up"),
    test_errors.ItemNotAsked: (409, "item_not_asked"),
    CitizenTokenRefused: (403, "officer_key_required"),
    AlreadyClaimed: (409, "already_claimed"),
    NotOpen: (409, "consultation_not_open"),
    ResultsNotYet: (409, "results_not_public"),
    StepNotOpen: (409, "step_not_open"),
}
# Errors whose reason the error builds itself, with their status and code.
SELF_WORDED = {AmbiguousTicketId: (404, "ambiguous_ticket_id")}
# Errors the endpoint answers itself, since they carry more than a reason (a Retry-After, the
# reasons per question); tested with the endpoint.
ANSWERED_BY_THE_ENDPOINT = {
    TooManyMeToos: (429, "rate_limited"),
    InvalidAnswers: (400, "invalid_answers"),
}


def all_domain_errors() -> set[type[DomainError]]:
    found: set[type[DomainError]] = set()
    todo = [DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def test_every_domain_error_has_a_documented_status() -> None:
    documented = set(DOCUMENTED) | set(SELF_WORDED) | set(ANSWERED_BY_THE_ENDPOINT)
    assert all_domain_errors() == documented
    for status, code in ANSWERED_BY_THE_ENDPOINT.values():
        assert f"| {status} | {code} |" in (api_module.__doc__ or "")


def test_an_ambiguous_short_id_is_a_404_naming_the_candidates() -> None:
    status, code = SELF_WORDED[AmbiguousTicketId]
    request = RequestFactory().get("/api/v1/cases/GHA47R")
    error = AmbiguousTicketId("GHA47R", ["2022-GHA47R", "2023-GHA47R"])
    response = api_module.on_domain_error(request, error)
    body = json.loads(response.content)
    assert (response.status_code, body["code"]) == (status, code)
    assert "2022-GHA47R" in body["detail"] and "2023-GHA47R" in body["detail"]
    assert code in (api_module.__doc__ or "")


@pytest.mark.parametrize("error", DOCUMENTED, ids=lambda cls: cls.__name__)
def test_each_domain_error_maps_to_its_status(error: type[DomainError]) -> None:
    status, code = DOCUMENTED[error]
    request = RequestFactory().post("/api/v1/cases")

    response = api_module.on_domain_error(request, error("a readable reason", field="lat"))

    assert response.status_code == status
    assert json.loads(response.content) == {
        "detail": "a readable reason",
        "code": code,
        "field": "lat",
    }
    assert f"| {status} |" in (api_module.__doc__ or "")
    assert code in (api_module.__doc__ or "")


def test_an_error_without_a_field_leaves_it_out() -> None:
    request = RequestFactory().get("/api/v1/cases/x")
    response = api_module.on_domain_error(request, errors.NotFound("no case 'X'"))
    assert json.loads(response.content) == {"detail": "no case 'X'", "code": "not_found"}


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_api_paths_are_json_404s(client: Client, db: None, method: str) -> None:
    response = getattr(client, method)("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "no such API endpoint; see /api/v1/docs",
        "code": "not_found",
    }


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "reporter", "email"), "reporter.email"),
        (("body", "payload"), "body"),
        (("query", "limit"), "limit"),
        (("file", "file"), "file"),
        (("form", "kind"), "kind"),
        (("header", "Idempotency-Key"), "Idempotency-Key"),
        ((), ""),
    ],
)
def test_validation_error_locations_read_as_field_names(loc: tuple[str, ...], field: str) -> None:
    assert api_module.field_name(loc) == field
