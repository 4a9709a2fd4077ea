"""A fold's locks on the cases it counts (PostgreSQL): they keep officers' changes to those
cases waiting, and nothing else. A new report that links one of them as a possible
duplicate only needs it to exist (its foreign key check), so it never waits for the fold."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from pracha.cases.models import Case
from pracha.insights.store.pending import recount_locked, serialise_folds
from pracha.triage.models import DuplicateLink

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer and no row locks")


def new_case(ticket_id: str) -> Case:
    return Case.objects.create(
        ticket_id=ticket_id, description="ถนนเป็นหลุม", lat=13.73, lon=100.52,
        created_at=timezone.now(),
    )  # fmt: skip


def in_another_connection(work: Callable[[], Any]) -> BaseException | None:
    """Run `work` in a transaction of its own connection that waits at most 2 s for a lock;
    the error it raised, if any."""
    outcome: list[BaseException | None] = [None]

    def run() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                work()
        except BaseException as error:  # handed to the test
            outcome[0] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome[0]


def test_a_report_linking_a_case_being_counted_does_not_wait_for_the_fold() -> None:
    counted, report = new_case("2026-FL0001"), new_case("2026-FL0002")
    with transaction.atomic():
        serialise_folds()
        recount_locked([counted.pk])
        error = in_another_connection(
            lambda: DuplicateLink.objects.create(
                case=report, candidate=counted, distance_m=20, similarity=0.5
            )
        )
    assert error is None
    assert DuplicateLink.objects.filter(case=report, candidate=counted).exists()


def test_an_officer_s_change_to_a_case_being_counted_waits_for_the_fold() -> None:
    counted = new_case("2026-FL0003")
    with transaction.atomic():
        serialise_folds()
        recount_locked([counted.pk])
        error = in_another_connection(
            lambda: Case.objects.select_for_update().get(pk=counted.pk)  # as workflow locks
        )
    assert isinstance(error, OperationalError) and "lock timeout" in str(error)
