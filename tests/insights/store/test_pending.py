"""Reports filed through intake are counted by the next fold, not in their own transaction:
pending until then, counted once whoever comes first (a fold, a reader of the indicators, an
officer's change), and never lost or doubled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services import workflow
from pracha.insights import tasks
from pracha.insights.models import CaseFact, PendingCase
from pracha.insights.store.pending import fold_pending
from pracha.insights.store.rebuild import rebuild
from tests.factories import file_case
from tests.insights.store.test_rollups_follow_workflow import table_contents

pytestmark = pytest.mark.django_db


def filed(api: Client, **fields: Any) -> Case:
    body = file_case(api, categories=["ถนน"], **fields)
    return Case.objects.get(ticket_id=body["ticket_id"])


def test_a_filed_case_waits_for_the_fold_which_counts_it_once(api: Client, bma: Agency) -> None:
    case = filed(api)
    assert PendingCase.objects.filter(case_id=case.pk).exists()
    assert not CaseFact.objects.filter(case_id=case.pk).exists()
    assert fold_pending() == 1
    assert not PendingCase.objects.exists()
    assert CaseFact.objects.filter(case_id=case.pk, category="road").exists()
    assert fold_pending() == 0
    counted = table_contents()
    rebuild()
    assert table_contents() == counted


def test_readers_of_the_indicators_count_pending_cases_first(api: Client, bma: Agency) -> None:
    filed(api)
    filed(api, description="ถนนทรุดเป็นหลุมลึก")
    body = api.get("/api/v1/indicators", {"by": "category"}).json()
    road = [row for row in body["rows"] if row["key"] == "road"]
    assert road and road[0]["reported"] == 2
    assert not PendingCase.objects.exists()


def test_the_worker_task_folds_in_chunks(api: Client, bma: Agency, monkeypatch: Any) -> None:
    from pracha.insights.store import pending

    monkeypatch.setattr(pending, "CHUNK", {"sqlite": 2, "postgresql": 2})
    for index in range(5):
        filed(api, description=f"ถนนเป็นหลุม จุดที่ {index}")
    assert tasks.count_new_cases.func() == 5
    assert CaseFact.objects.filter(category="*").count() == 5


def test_a_case_filed_while_a_fold_runs_waits_for_the_next_one(
    api: Client, bma: Agency, monkeypatch: Any
) -> None:
    from pracha.insights.store import pending

    monkeypatch.setattr(pending, "CHUNK", {"sqlite": 1, "postgresql": 1})
    first, second = filed(api), filed(api, description="ถนนทรุด")
    arrived: list[Case] = []
    recount = pending.recount_locked

    def filed_meanwhile(case_ids: list[int]) -> int:
        if not arrived:  # a report comes in while the fold counts its first chunk
            arrived.append(filed(api, description="ทางเท้าพัง"))
        return recount(case_ids)

    monkeypatch.setattr(pending, "recount_locked", filed_meanwhile)
    assert fold_pending() == 2  # the two pending when it began, one chunk each
    assert set(CaseFact.objects.values_list("case_id", flat=True)) == {first.pk, second.pk}
    assert list(PendingCase.objects.values_list("case_id", flat=True)) == [arrived[0].pk]
    assert fold_pending() == 1


def test_a_case_an_officer_changed_before_the_fold_is_counted_once(
    api: Client, bma: Agency, make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    case = filed(api)
    officer, _ = make_officer(case.agency)
    workflow.do_accept(case, officer)  # counts the case at once, with its new state
    assert PendingCase.objects.filter(case_id=case.pk).exists()
    assert fold_pending() == 1  # finds the facts stored: adds nothing
    counted = table_contents()
    rebuild()
    assert table_contents() == counted


def test_a_case_deleted_before_the_fold_leaves_nothing(api: Client, bma: Agency) -> None:
    case = filed(api)
    Case.objects.filter(pk=case.pk).delete()
    assert fold_pending() == 1
    assert not CaseFact.objects.exists() and not PendingCase.objects.exists()


def test_a_filing_that_rolls_back_leaves_nothing_pending(api: Client, bma: Agency) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        filed(api)
        raise RuntimeError("the filing transaction fails")
    assert not PendingCase.objects.exists() and not Case.objects.exists()
