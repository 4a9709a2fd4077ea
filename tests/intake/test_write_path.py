"""What one report writes, and how often: the case is written once with its place and
categories, the indicators count it once (at the next fold), the reporter is noted in the
same transaction, and the queries per report stay bounded (issue 20: intake speed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pracha.cases.models import Case, MeToo
from pracha.cases.services.citizen import do_note_reporters, voter_key
from pracha.cases.signals import batch_case_changes, case_changes_done, defer_case_change
from pracha.insights.models import CaseFact
from pracha.insights.store.maintain import refresh_cases
from pracha.insights.store.pending import fold_pending
from tests.factories import file_case
from tests.triage.support import BANG_RAK, KeywordClassifier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("triage_on_intake")]

# A report with triage on intake: the case, its categories, contact, its two events (one
# INSERT) and their audit entries (one) and outbox rows, the triage record, the duplicate
# search, the note that the indicators have a case to count, the reporter's note, and the
# answer. Measured at 14 (17 before the events and audit entries were written together; 41
# before intake answered from what it wrote and the indicators counted new cases in folds);
# the margin is for small changes, not for counting the case in its own transaction again
# (about 6 queries) or reading it back (8).
MAX_QUERIES_PER_REPORT = 18


def file(api: Client, **fields: Any) -> dict[str, Any]:
    return file_case(api, **{**BANG_RAK, **fields})


def test_a_triaged_report_takes_a_bounded_number_of_queries(
    api: Client, model: KeywordClassifier
) -> None:
    file(api)  # the first report may load reference data
    with CaptureQueriesContext(connection) as queries:
        file(api, description="ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าบ้าน")
    assert len(queries) <= MAX_QUERIES_PER_REPORT, "\n".join(q["sql"] for q in queries)
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "cases_case" ')]
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "cases_case"')]
    assert len(inserts) == 1 and updates == []  # written once, with its place and categories


def test_the_indicators_follow_the_final_place_and_categories_once(
    api: Client, model: KeywordClassifier
) -> None:
    out = file(api)  # the model chooses "road"; the district comes from the point
    case = Case.objects.get(ticket_id=out["ticket_id"])
    assert not CaseFact.objects.filter(case_id=case.pk).exists()  # counted by the next fold
    assert fold_pending() == 1
    facts = CaseFact.objects.filter(case_id=case.pk)
    assert {f.category for f in facts} >= {"road"}
    assert {f.district for f in facts} == {"บางรัก"}
    assert refresh_cases([case.pk]) == 0  # nothing left to catch up


def test_the_reporter_is_noted_with_the_case(api: Client, model: KeywordClassifier) -> None:
    out = file(api, description="ไฟฟ้าส่องสว่างดับ", categories=["ไฟฟ้า"])
    case = Case.objects.get(ticket_id=out["ticket_id"])
    # The device issued with the report is kept as the reporter's, and counts no "me too".
    assert MeToo.objects.filter(case=case, by_reporter=True).count() == 1
    assert case.me_too_count == 0


def test_changes_in_a_batch_are_announced_once_per_case_at_its_end() -> None:
    seen: list[list[int]] = []

    def listener(sender: Any, case_ids: list[int], **_: Any) -> None:
        seen.append(case_ids)

    case_changes_done.connect(listener, dispatch_uid="test-batch")
    try:
        assert defer_case_change(1) is False  # no block: the receiver works at once
        with transaction.atomic(), batch_case_changes():
            assert defer_case_change(7) and defer_case_change(3) and defer_case_change(7)
            with batch_case_changes():  # nested blocks join the outer one
                assert defer_case_change(5)
            assert seen == []
        assert seen == [[7, 3, 5]]
        with pytest.raises(RuntimeError), transaction.atomic(), batch_case_changes():
            defer_case_change(9)
            raise RuntimeError("rolled back")
        assert seen == [[7, 3, 5]]  # a failed block announces nothing
        assert defer_case_change(1) is False  # and leaves no block open
    finally:
        case_changes_done.disconnect(dispatch_uid="test-batch")


def test_a_signed_in_reporter_is_noted_by_citizen_and_device_in_one_insert(
    api: Client, model: KeywordClassifier
) -> None:
    case = Case.objects.get(ticket_id=file(api)["ticket_id"])
    do_note_reporters(case, ["device:abc", "device:abc", "citizen:7", "address:10.0.0.1"])
    do_note_reporters(case, ["citizen:7"])  # already noted: left alone, no error
    voters = set(MeToo.objects.filter(case=case).values_list("voter", flat=True))
    assert voters >= {voter_key("device:abc"), voter_key("citizen:7")}
    assert voter_key("address:10.0.0.1") not in voters  # a shared address is never blocked
    assert MeToo.objects.filter(case=case).count() == 3  # the filing device, and these two
