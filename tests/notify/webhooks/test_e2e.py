"""End to end: cases filed over Open311 and worked by officers, a real receiver on localhost
that answers 500 for a while, then is down (port closed), then comes back. No event may be
lost; an event may arrive twice only under the same event id, with the same signed bytes."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Event
from pracha.cases.services.workflow import do_accept, do_change_state, do_close, do_comment
from pracha.notify.models import EVENT_TYPES, WebhookDelivery, WebhookSubscription
from pracha.notify.webhooks.delivery import deliver_due
from tests.cli import SERVER_START_SECONDS, pracha_env, run_pracha, start_server, wait_for
from tests.notify.receiver import Receiver
from tests.open311.conftest import REPORTER, V2, api_key

__all__ = ["api_key"]  # a partner's Open311 key (the fixture), for filing over Open311

Subscribe = Callable[..., WebhookSubscription]


def sendable_events() -> list[Event]:
    """Every event a subscriber to everything must receive, from the timeline itself."""
    events = Event.objects.filter(kind__in=list(EVENT_TYPES)).exclude(
        kind=Event.Kind.COMMENTED, is_public=False
    )
    return list(events)


def drain(passes: int = 20) -> None:
    """Run worker passes until nothing is due (retries are made due at once)."""
    for _ in range(passes):
        WebhookDelivery.objects.pending().update(next_attempt_at=timezone.now())
        if deliver_due().attempted == 0:
            return


def check_received(receiver: Receiver) -> dict[str, list[Any]]:
    """Every request verified; per event id, one body; per timeline event, one id."""
    by_id: dict[str, list[Any]] = defaultdict(list)
    for got in receiver.received:
        assert got.signature_ok, got.headers
        by_id[got.event_id].append(got)
    ids_per_event: dict[tuple[str, int], set[str]] = defaultdict(set)
    for event_id, copies in by_id.items():
        assert len({c.body for c in copies}) == 1, "a retry changed the bytes"
        body = copies[0].json
        assert body["id"] == event_id
        ids_per_event[(body["ticket_id"], body["sequence"])].add(event_id)
    assert all(len(ids) == 1 for ids in ids_per_event.values()), "one event, several ids"
    return by_id


def test_receiver_down_for_a_while_then_back_loses_nothing(
    api: Client,
    api_key: str,
    subscribe: Subscribe,
    receiver: Receiver,
    make_officer: Callable[..., tuple[Officer, str]],
    bma: Agency,
    pracha: Callable[..., None],
) -> None:
    pracha(webhook_retry_seconds=1, webhook_max_attempts=50)
    officer, _ = make_officer(bma)
    subscribe()

    def file(description: str) -> Case:
        body = {
            "api_key": api_key,
            "service_code": "road",
            "lat": "13.7563",
            "long": "100.5018",
            "description": description,
            **REPORTER,
        }
        response = api.post(f"{V2}/requests.json", body)
        assert response.status_code == 200, response.content
        return Case.objects.get(ticket_id=response.json()[0]["service_request_id"])

    # 1. Up: the first report arrives.
    first = file("ถนนเป็นหลุมลึกหน้าโรงเรียน")
    drain()
    assert len(receiver.accepted()) == 1

    # 2. Broken: it takes each request but answers 500 (the ack is lost).
    receiver.status = 500
    do_accept(first, officer, "รับเรื่องแล้ว")
    second = file("ผิวถนนทรุด")
    for _ in range(3):
        drain(passes=1)
    assert len(receiver.accepted()) == 1
    assert len(receiver.received) > 1

    # 3. Down: the port is closed; events keep happening.
    receiver.stop()
    do_change_state(first, officer, "in_progress", "กำลังซ่อม")
    do_comment(second, officer, "นัดช่างแล้ว", public=True)
    do_comment(second, officer, "ภายใน: ผู้รับเหมาเดิม", public=False)
    do_close(first, officer, "done", "ซ่อมเสร็จ")
    third = file("ฝาท่อหาย")
    for _ in range(3):
        drain(passes=1)
    pending = WebhookDelivery.objects.pending()
    assert pending.count() == len(sendable_events()) - 1
    assert any("ConnectionRefused" in d.last_error for d in pending)

    # 4. Back, on the same port.
    receiver.status = 200
    receiver.start()
    drain()

    assert not WebhookDelivery.objects.pending().exists()
    assert not WebhookDelivery.objects.filter(failed_at__isnull=False).exists()
    by_id = check_received(receiver)
    accepted = {got.event_id for got in receiver.accepted()}
    expected = {str(d.event_id) for d in WebhookDelivery.objects.all()}
    assert accepted == expected == set(by_id)  # nothing lost, nothing invented
    assert (
        len(expected) == len(sendable_events()) == 7
    )  # 3 created, accepted, in progress, comment, closed
    sequences = sorted(got.json["sequence"] for got in receiver.accepted())
    assert len(set(sequences)) == len(expected)
    assert {got.json["ticket_id"] for got in receiver.accepted()} == {
        first.ticket_id,
        second.ticket_id,
        third.ticket_id,
    }
    # Nothing about the reporter ever left Pracha.
    for got in receiver.received:
        for value in REPORTER.values():
            assert value.encode() not in got.body
    assert b"".join(g.body for g in receiver.received).count("ผู้รับเหมาเดิม".encode()) == 0


# --- the real thing: `pracha serve` delivers while a receiver goes down and comes back --------


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    return run_pracha(*args, env=env, cwd=cwd, timeout=180, check=True).stdout


def _post(port: int, key: str, description: str) -> str:
    data = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "lighting",
            "lat": "13.7563",
            "long": "100.5018",
            "description": description,
            "email": REPORTER["email"],
        }
    ).encode()
    url = f"http://127.0.0.1:{port}/open311/v2/requests.json"
    with urllib.request.urlopen(url, data=data, timeout=30) as response:
        return str(json.load(response)[0]["service_request_id"])


@pytest.mark.slow
def test_serve_delivers_webhooks_through_an_outage(tmp_path: Path) -> None:
    env = pracha_env(tmp_path, PRACHA_WEBHOOK_RETRY_SECONDS="1", PRACHA_TRIAGE_ON_INTAKE="0")
    receiver = Receiver().start()
    _run(["migrate", "-v", "0"], env, tmp_path)
    key = _run(["apikey", "create", "e2e partner"], env, tmp_path).strip().splitlines()[-1]
    added = _run(["webhook", "add", receiver.url, "--events", "case.created"], env, tmp_path)
    receiver.secret = added.strip().splitlines()[-1]
    server, port = start_server(env, tmp_path)
    try:
        assert wait_for(lambda: _is_up(port), SERVER_START_SECONDS), "the server did not start"
        tickets = [_post(port, key, "ไฟดับ ซอย 1")]
        assert wait_for(lambda: len(receiver.accepted()) == 1, 30)
        receiver.stop()  # down
        tickets += [_post(port, key, f"ไฟดับ ซอย {n}") for n in (2, 3)]
        time.sleep(2.5)  # the worker tries, fails, backs off
        receiver.start()  # back on the same port
        assert wait_for(lambda: len({g.event_id for g in receiver.accepted()}) == 3, 60)
        check_received(receiver)
        assert sorted(g.json["ticket_id"] for g in receiver.accepted()) == sorted(tickets)
        assert all(REPORTER["email"].encode() not in g.body for g in receiver.received)
    finally:
        server.terminate()
        # The worker holds the same stdout: this returns only once it has exited too.
        output, _ = server.communicate(timeout=60)
        receiver.stop()
    assert "The background worker is running" in output


def _is_up(port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/open311/v2/services.json", timeout=2
        ) as response:
            return bool(response.status == 200)
    except OSError:
        return False
