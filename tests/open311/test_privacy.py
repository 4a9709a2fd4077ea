"""Reporter fields sent over Open311 (email, first_name, last_name, phone, device_id,
account_id) are stored privately and appear in no output: checked on the raw bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.cases.models import Case
from pracha.cases.services.workflow import do_accept, do_close
from pracha.notify.models import WebhookDelivery
from pracha.notify.webhooks.delivery import deliver_due
from pracha.open311.models import Submission
from pracha.privacy.services import (
    Query,
    erase_reporter_data,
    export_reporter_data,
    purge_expired_contacts,
)
from tests.notify.receiver import Receiver
from tests.open311.conftest import REPORTER, V2

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


# An answer to a free-form question, written as people do: contact details included.
ANSWER = "โทร 0812345678 somchai@example.com"
ANSWER_SECRETS = ["0812345678", "somchai@example.com"]


def test_free_form_answers_are_masked_wherever_they_are_published(
    api: Client,
    post_request: Callable[..., Any],
    subscribe: Callable[..., Any],
    receiver: Receiver,
) -> None:
    subscribe()
    # POLE_NUMBER is a free string; a number answer passes a phone number too.
    answers = {
        "attribute[POLE_NUMBER]": ANSWER,
        "attribute[LAMPS_OUT]": "0812345678",
        "attribute[PATTERN]": "flicker",
    }
    assert post_request(service_code="lighting", **answers).status_code == 200
    ticket = Case.objects.get().ticket_id
    # Stored as given: officers read the answers with the report.
    assert Submission.objects.get().attributes["POLE_NUMBER"] == [ANSWER]
    outputs = []
    for fmt in ("json", "xml"):
        for params in ({"extensions": "true"}, {"extensions": "1", "locale": "en"}):
            outputs.append(api.get(f"{V2}/requests.{fmt}", params).content)
            outputs.append(api.get(f"{V2}/requests/{ticket}.{fmt}", params).content)
    deliver_due()
    [sent] = receiver.received
    outputs.append(sent.body)
    for raw in outputs:
        assert [s for s in ANSWER_SECRETS if s.encode() in raw] == [], raw[:300]
    # The answers are still shown, masked like the description; list keys are unchanged.
    masked = "โทร [เบอร์โทร] [อีเมล]"
    for shown in (
        api.get(f"{V2}/requests/{ticket}.json", {"extensions": "true"}).json()[0],
        sent.json["case"],
    ):
        values = {a["code"]: a["values"] for a in shown["extended_attributes"]["answers"]}
        assert values["POLE_NUMBER"] == [{"key": masked, "name": masked}]
        assert values["LAMPS_OUT"] == [{"key": "[เบอร์โทร]", "name": "[เบอร์โทร]"}]
        assert [v["key"] for v in values["PATTERN"]] == ["flicker"]
    xml = api.get(f"{V2}/requests/{ticket}.xml", {"extensions": "true"}).content.decode()
    assert masked in xml


def test_erasure_scrubs_answers_and_stored_webhook_bodies(
    post_request: Callable[..., Any],
    subscribe: Callable[..., Any],
    receiver: Receiver,
    officer: Any,
    pracha: Callable[..., None],
) -> None:
    pracha(webhook_retry_seconds=0)
    subscribe()
    # The reporter wrote their own name into the description and an answer; masking alone
    # does not recognise a name, erasure does (it knows the contact).
    own = "แจ้งโดย Kanyarat Srisawatdee " + ANSWER
    fields = {"attribute[POLE_NUMBER]": own, "attribute[PATTERN]": "flicker"}
    response = post_request(service_code="lighting", description=own, **fields, **REPORTER)
    assert response.status_code == 200
    case = Case.objects.get()
    deliver_due()  # case.created: delivered
    receiver.status = 500
    do_accept(case, officer[0], "รับเรื่อง")
    deliver_due()  # case.state_changed: its body is stored, the attempt failed
    delivered = WebhookDelivery.objects.get(delivered_at__isnull=False)
    retrying = WebhookDelivery.objects.get(delivered_at__isnull=True)
    assert retrying.attempts == 1 and retrying.body
    for stored in (delivered.body, retrying.body):
        assert "Kanyarat" in stored  # the name went out in the description

    erase_reporter_data(Query(ticket=case.ticket_id))

    secrets = ["Kanyarat", "Srisawatdee", *ANSWER_SECRETS]
    submission = Submission.objects.get()
    assert submission.attributes["PATTERN"] == ["flicker"]
    [pole] = submission.attributes["POLE_NUMBER"]
    assert [s for s in secrets if s in pole] == [] and pole.startswith("แจ้งโดย")
    # The delivered row keeps its record of the event, without the reporter's data.
    delivered.refresh_from_db()
    record = json.loads(delivered.body)
    assert [s for s in secrets if s in delivered.body] == []
    assert (record["id"], record["type"], record["ticket_id"]) == (
        str(delivered.event_id),
        "case.created",
        case.ticket_id,
    )
    assert "[ชื่อผู้แจ้ง]" in record["case"]["description"]
    # The undelivered row is rebuilt from the erased case when it is sent.
    retrying.refresh_from_db()
    assert retrying.body == ""
    receiver.status = 200
    assert deliver_due().delivered == 1
    retrying.refresh_from_db()
    assert retrying.body and [s for s in secrets if s in retrying.body] == []
    last = receiver.received[-1]
    assert last.event_id == str(retrying.event_id) and last.signature_ok
    assert [s for s in secrets if s.encode() in last.body] == []
