"""Schemathesis against the API's OpenAPI schema: a bounded run of generated requests, valid
and invalid, on every operation; no answer may be a server error.

Requests go to the Django WSGI application in-process (the test database); path ids are
mostly a real ticket so workflow operations get past 404, and an officer's key and the
reporter's token are sent so authenticated code runs too.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from pracha.agencies.models import Officer
from pracha.wsgi import application
from tests.factories import set_state

MAX_EXAMPLES = 25

config = schemathesis.Config()
config.projects.override.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,  # the same requests every run: a failure can be reproduced
    database="none",
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
CALLS: Counter[str] = Counter()
SERVER_ERRORS: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def report_figures() -> Iterator[None]:
    yield
    if CALLS:
        print(
            f"\nschemathesis: {sum(CALLS.values())} requests on {len(CALLS)} operations "
            f"(max {MAX_EXAMPLES} examples per operation and mode); "
            f"5xx seen: {len(SERVER_ERRORS)}"
        )


@pytest.fixture
def target(
    db: None,
    file_case: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
    make_agency: Callable[..., Any],
    media: Any,
) -> Iterator[dict[str, Any]]:
    make_agency("district-x", "สำนักงานเขตเอ็กซ์")
    body = file_case(reporter={"name": "ก", "phone": "0812345678"})
    set_state(body["ticket_id"], "accepted")
    # Schemathesis calls the WSGI application directly, without Django's test client, which
    # is what keeps Django from closing the connection as each request starts and ends; on
    # PostgreSQL that would end the test's transaction. (Done after file_case: the test
    # client connects the receiver again after each of its requests.)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {
            "ticket": body["ticket_id"],
            "headers": {
                "Authorization": f"Bearer {officer[1]}",
                "X-Citizen-Token": body["citizen_token"],
            },
        }
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_operation_answers_with_a_server_error(case: Any, target: dict[str, Any]) -> None:
    """`target` is shared by an operation's examples on purpose: one case, many requests."""
    params = case.path_parameters or {}
    # Three times in four the real ticket (to reach the workflow), else the generated id.
    if "ticket_id" in params and zlib.crc32(repr(sorted(params.items())).encode()) % 4:
        params["ticket_id"] = target["ticket"]
    label = case.operation.label
    CALLS[label] += 1
    try:
        case.call_and_validate(headers=target["headers"], checks=[not_a_server_error])
    except Exception:
        SERVER_ERRORS.append(label)
        raise
