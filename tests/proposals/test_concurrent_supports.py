"""Supports counted exactly under concurrency (PostgreSQL: real row locks between threads).

Twenty people support at once, each also trying twice: exactly twenty supports, the counter
equal to the rows, the threshold crossed once (one event, one routing)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from pracha.cases.errors import Conflict
from pracha.citizens.models import Citizen
from pracha.proposals.models import Proposal, ProposalEvent, Support
from pracha.proposals.services.supports import do_support
from tests.proposals.support import file_proposal, make_citizen

PEOPLE = 20


def support_at_once(proposal: Proposal, people: list[Citizen]) -> Counter[str]:
    barrier = threading.Barrier(len(people) * 2)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def one(person: Citizen) -> None:
        try:
            barrier.wait()
            do_support(person, proposal)
            outcome = "ok"
        except Conflict:
            outcome = "conflict"
        except Exception as exc:  # anything else is a failure of the test
            outcome = f"error {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=one, args=(p,)) for p in people for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.slow
def test_concurrent_supports_count_exactly(transactional_db: None, pracha: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL (SQLite runs one writer)")
    pracha(proposal_threshold=10)  # type: ignore[operator]
    proposal = file_proposal()
    people = [make_citizen()[0] for _ in range(PEOPLE)]
    outcomes = support_at_once(proposal, people)
    assert outcomes == Counter({"ok": PEOPLE, "conflict": PEOPLE}), outcomes
    proposal.refresh_from_db()
    assert proposal.supports == PEOPLE == Support.objects.filter(proposal=proposal).count()
    assert proposal.state == "threshold_reached"
    reached = ProposalEvent.objects.filter(proposal=proposal, kind="threshold_reached")
    assert reached.count() == 1
