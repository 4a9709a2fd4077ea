"""E-mail pages: one-click unsubscribe, and officers choosing how they hear of new cases.
(The messages themselves are pracha.notify's: tests/notify/test_email.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services.workflow import do_accept
from pracha.notify.models import EmailOptOut
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


@pytest.fixture
def reported(
    make_case: Callable[..., Case], django_capture_on_commit_callbacks: Capture
) -> Callable[..., Case]:
    def file(**fields: Any) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            return make_case(**fields)

    return file


def unsubscribe_path(message: mail.EmailMessage) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/unsubscribe/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_one_click_unsubscribe_stops_the_messages(
    reported: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    case = reported(email="somsri@example.org")
    path = unsubscribe_path(mail.outbox[0])
    # Opening the link (as a mail scanner would) changes nothing; the button does.
    assert "ยกเลิกการรับอีเมล" in page_text(Client().get(path))
    assert not EmailOptOut.objects.exists()
    done = Client().post(path)
    assert "คุณจะไม่ได้รับอีเมลเกี่ยวกับเรื่อง" in page_text(done)
    officer, _ = make_officer(case.agency)
    with django_capture_on_commit_callbacks(execute=True):
        do_accept(case, officer)
    assert len(mail.outbox) == 1


def test_unsubscribing_from_everything_covers_later_reports(
    reported: Callable[..., Case],
) -> None:
    reported(email="somsri@example.org")
    Client().post(unsubscribe_path(mail.outbox[0]), {"scope": "all"})
    reported(email="SomSri@example.org")
    assert len(mail.outbox) == 1


def test_a_forged_unsubscribe_link_is_refused() -> None:
    response = Client().post("/unsubscribe/not-a-real-token/")
    assert response.status_code == 404
    assert "ลิงก์นี้ใช้ไม่ได้" in page_text(response)
    assert not EmailOptOut.objects.exists()


def test_an_officer_can_ask_for_immediate_messages(
    make_officer: Callable[..., tuple[Officer, str]],
    reported: Callable[..., Case],
    bma: Agency,
    make_case: Callable[..., Case],
) -> None:
    agency = make_case().agency  # the agency triage sends these reports to
    officer, _ = make_officer(agency)
    client = Client()
    client.force_login(officer.user)
    response = client.post(
        "/office/settings/", {"mode": "immediate", "language": "en", "email": "o@example.org"}
    )
    assert response.status_code == 302
    case = reported()
    assert [m.to for m in mail.outbox] == [["o@example.org"]]
    assert case.ticket_id in mail.outbox[0].subject
    assert f"/office/case/{case.ticket_id}/" in mail.outbox[0].body


def test_the_settings_page_needs_an_address_for_messages(
    make_officer: Callable[..., tuple[Officer, str]], bma: Agency
) -> None:
    officer, _ = make_officer(bma)
    client = Client()
    client.force_login(officer.user)
    response = client.post("/office/settings/", {"mode": "daily", "language": "th", "email": ""})
    assert response.status_code == 400
    assert "ต้องมีที่อยู่อีเมล" in page_text(response)
