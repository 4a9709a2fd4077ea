"""Reporter fields sent over Open311 (email, first_name, last_name, phone, device_id,
account_id) are stored privately and appear in no output: checked on the raw bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.audit.privacy import (
    Query,
    erase_reporter_data,
    export_reporter_data,
    purge_expired_contacts,
)
from pracha.cases.models import Case
from pracha.cases.services.workflow import do_accept, do_close
from pracha.open311.models import Submission
from pracha.open311.webhooks.delivery import deliver_due
from tests.open311.conftest import REPORTER, V2
from tests.open311.receiver import Receiver

SECRETS = [*REPORTER.values(), "Kanyarat Srisawatdee", "089-123-4567"]


def leaks(raw: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in raw]


def test_no_output_carries_the_reporter(
    api: Client,
    post_request: Callable[..., Any],
    subscribe: Callable[..., Any],
    receiver: Receiver,
    officer: Any,
) -> None:
    subscribe()
    # The reporter also wrote their own phone number into the description.
    text = "ถนนพัง ติดต่อกลับ 089-123-4567 หรือ kanya.private@example.org"
    outputs = []
    for fmt in ("json", "xml"):
        response = post_request(fmt, description=text, **REPORTER)
        assert response.status_code == 200
        outputs.append(response.content)
    ticket = Case.objects.order_by("id").first().ticket_id  # type: ignore[union-attr]
    token = Submission.objects.order_by("id").first().token  # type: ignore[union-attr]
    do_accept(Case.objects.get(ticket_id=ticket), officer[0], "รับเรื่อง")
    do_close(Case.objects.get(ticket_id=ticket), officer[0], "done", "เสร็จ")
    for fmt in ("json", "xml"):
        for params in ({}, {"extensions": "true"}, {"locale": "en", "extensions": "1"}):
            outputs.append(api.get(f"{V2}/requests.{fmt}", params).content)
            outputs.append(api.get(f"{V2}/requests/{ticket}.{fmt}", params).content)
        outputs.append(api.get(f"{V2}/tokens/{token}.{fmt}").content)
        outputs.append(api.get(f"{V2}/services.{fmt}").content)
    outputs.append(api.get(f"/api/v1/cases/{ticket}").content)
    deliver_due()
    outputs += [got.body for got in receiver.received]
    assert len(receiver.received) == 4  # two created, accepted, closed
    for raw in outputs:
        assert leaks(raw) == [], raw[:500]


def test_device_and_account_ids_are_erased_with_the_contact(
    post_request: Callable[..., Any],
) -> None:
    post_request(**REPORTER)
    submission = Submission.objects.get()
    assert submission.device_id == REPORTER["device_id"]
    exported = export_reporter_data(Query(ticket=submission.case.ticket_id))
    [held] = [c["held_elsewhere"] for c in exported["cases"]]
    assert held == {
        "pracha.open311.receivers": {
            "device_id": REPORTER["device_id"],
            "account_id": REPORTER["account_id"],
        }
    }
    erase_reporter_data(Query(ticket=submission.case.ticket_id))
    submission.refresh_from_db()
    assert (submission.device_id, submission.account_id) == ("", "")
    assert submission.token  # the public link between token and ticket stays


def test_device_and_account_ids_go_when_the_contact_expires(
    post_request: Callable[..., Any], officer: Any, pracha: Callable[..., None]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    post_request(**REPORTER)
    case = Case.objects.get()
    do_accept(case, officer[0])
    do_close(case, officer[0], "done", "เสร็จ")
    pracha(contact_retention_days=30)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=31))
    purge_expired_contacts()
    submission = Submission.objects.get()
    assert (submission.device_id, submission.account_id) == ("", "")
