"""Two first answers of one person at the same moment (two tabs, a double tap) make one
response: one is created (201), the other changes it (200). PostgreSQL only: SQLite holds
one writer at a time, so the race cannot happen there."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from pracha.agencies.models import Agency
from pracha.consultations.models import Response
from pracha.consultations.services.respond import do_respond
from tests.consultations.support import full_answers, make_citizen, make_consultation
from tests.factories import make_officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_first_answers_at_once_make_one_response() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs concurrent writers (PostgreSQL)")
    officer, _key = make_officer(Agency.objects.get(code="bma"))
    consultation = make_consultation(officer)
    citizen = make_citizen()
    answers = full_answers(consultation)
    start = threading.Barrier(2)
    created: list[bool] = []
    errors: list[Any] = []

    def answer() -> None:
        try:
            start.wait()
            created.append(do_respond(citizen, consultation, answers, notify=False)[1])
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(created) == [False, True]
    assert Response.objects.filter(consultation=consultation).count() == 1
