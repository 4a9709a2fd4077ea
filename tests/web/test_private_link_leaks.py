"""The reporter's private link (`/t/<id>/?k=<token>`) reaches neither logs, caches nor other
sites: the access log has no query string or referrer, and the reporter's copy of the ticket
page is neither stored nor named in a Referer header."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger

from pracha.cases.models import Case
from pracha.management.commands.serve import gunicorn_argv
from pracha.tickets import citizen_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def access_log() -> Iterator[tuple[Logger, io.StringIO]]:
    """gunicorn's access logger, configured from the command line `pracha serve` runs."""
    cfg = GunicornConfig()
    for name, value in vars(
        cfg.parser().parse_args(gunicorn_argv("127.0.0.1:8000", 1)[4:])
    ).items():
        if value is not None and name in cfg.settings:
            cfg.set(name, value)
    logger = Logger(cfg)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.access_log.handlers = [handler]
    yield logger, out
    handler.close()


def log_request(logger: Logger, path: str, query: str, referer: str) -> str:
    environ = {
        "REMOTE_ADDR": "203.0.113.9",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    return logger.access_log.handlers[0].stream.getvalue()


def test_the_access_log_names_no_citizen_token(access_log: tuple[Logger, io.StringIO]) -> None:
    logger, _out = access_log
    token = citizen_token("2024-ABC123")
    line = log_request(
        logger, "/t/2024-ABC123/", f"k={token}", f"https://pracha.example/t/2024-ABC123/?k={token}"
    )
    assert token not in line
    assert '"GET /t/2024-ABC123/" 302 0 12ms' in line  # method, path, status, size, duration


def test_the_reporters_page_is_not_cached_nor_referred_elsewhere(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    client = Client()
    arrival = client.get(f"/t/{case.ticket_id}/?k={citizen_token(case.ticket_id)}")
    page = client.get(f"/t/{case.ticket_id}/")
    assert citizen_token(case.ticket_id) in page.content.decode()  # the private link is shown
    for response in (arrival, page):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"


def test_a_wrong_key_is_kept_out_of_other_sites_referers_too(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    response = Client().get(f"/t/{case.ticket_id}/?k=guess")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"


def test_the_reporters_page_after_a_refused_action_stays_private(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    client = Client()
    client.get(f"/t/{case.ticket_id}/?k={citizen_token(case.ticket_id)}")
    refused = client.post(f"/t/{case.ticket_id}/me-too/")
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]
    assert refused["Referrer-Policy"] == "same-origin"


def test_everyone_elses_page_stays_cacheable_with_the_site_policy(
    make_case: Callable[..., Case],
) -> None:
    response = Client().get(f"/t/{make_case().ticket_id}/")
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["Referrer-Policy"] == "same-origin"
