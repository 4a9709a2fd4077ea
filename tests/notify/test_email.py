"""E-mail: the reporter hears of public changes (in their language); officers of new cases,
at once or in a daily digest. (Unsubscribing and the officers' settings page are web pages:
tests/web/test_notifications.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.contact import holds_reporter_email
from pracha.cases.models import Case
from pracha.cases.services.workflow import do_accept, do_comment, do_forward
from pracha.notify.models import Delivery, MailType, OfficerNotification
from tests.notify.helpers import waiting_mail

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


def test_the_reporter_gets_a_thai_receipt_with_the_ticket_link(
    reported: Callable[..., Case],
) -> None:
    case = reported(email="somsri@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somsri@example.org"]
    # What happened to which report: "[ticket] event: the start of the description".
    assert message.subject == f"[{case.ticket_id}] แจ้งเรื่อง: ไฟถนนดับทั้งซอย มืดมาก"
    assert f"http://127.0.0.1:8000/t/{case.ticket_id}/" in message.body
    assert "ขอบคุณที่แจ้งปัญหา" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_english_reporter_gets_english(reported: Callable[..., Case]) -> None:
    case = reported(email="alex@example.org", language="en")
    assert "Thank you for your report" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith(f"[{case.ticket_id}] Reported: ")


def test_no_address_no_message(reported: Callable[..., Case]) -> None:
    reported(name="ไม่ให้อีเมล", phone="0812345678")
    assert mail.outbox == []


def test_every_public_change_is_sent_but_staff_notes_are_not(
    reported: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
    make_agency: Callable[..., Agency],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    case = reported(email="somsri@example.org")
    officer, _ = make_officer(case.agency)
    with django_capture_on_commit_callbacks(execute=True):
        do_accept(case, officer, "รับเรื่องแล้ว")
    with django_capture_on_commit_callbacks(execute=True):
        do_comment(case, officer, "ภายในเท่านั้น", public=False)
    with django_capture_on_commit_callbacks(execute=True):
        do_forward(case, officer, make_agency("works", "สำนักการโยธา"), "ถนนสายหลัก")
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3, subjects
    assert "หน่วยงานรับเรื่องแล้ว" in subjects[1]
    assert "ส่งต่อให้หน่วยงานอื่น" in subjects[2]
    assert "สำนักการโยธา" in mail.outbox[2].body
    assert all("ภายในเท่านั้น" not in m.body for m in mail.outbox)


def test_the_daily_digest_lists_new_cases_once(
    make_officer: Callable[..., tuple[Officer, str]], make_case: Callable[..., Case]
) -> None:
    first = make_case("ท่อระบายน้ำอุดตัน")
    officer, _ = make_officer(first.agency)
    officer.user.email = "digest@example.org"
    officer.user.save()
    OfficerNotification.objects.create(officer=officer, mode="daily", language="th")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "1 digest(s) sent" in out.getvalue()
    assert len(mail.outbox) == 1
    assert first.ticket_id in mail.outbox[0].body
    assert "ท่อระบายน้ำอุดตัน" in mail.outbox[0].body
    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == 1  # nothing new since the last digest


def test_the_digest_dry_run_sends_nothing(
    make_officer: Callable[..., tuple[Officer, str]], make_case: Callable[..., Case]
) -> None:
    case = make_case()
    officer, _ = make_officer(case.agency)
    officer.user.email = "digest@example.org"
    officer.user.save()
    pref = OfficerNotification.objects.create(
        officer=officer, mode="daily", last_digest_at=timezone.now() - timedelta(hours=2)
    )
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert "would be sent" in out.getvalue()
    assert mail.outbox == []
    pref.refresh_from_db()
    assert pref.last_digest_at < timezone.now() - timedelta(hours=1)


def test_a_broken_mail_server_does_not_break_the_change(
    reported: Callable[..., Case], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    case = reported(email="somsri@example.org")
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_report_without_an_address_queues_no_reporter_row(
    reported: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    """Nobody follows a new case but its reporter: without their address there is no row for
    the worker to find no one for. Later events are queued (a merged case's reporter may
    follow), and a report with an address gets its row."""
    anonymous = reported(name="ไม่ให้อีเมล", phone="0812345678")
    assert not waiting_mail().filter(case=anonymous).exists()
    with_address = reported(email="somsri@example.org")
    assert Delivery.objects.filter(case=with_address, event_type=MailType.REPORTER).count() == 1
    officer, _ = make_officer(anonymous.agency)
    do_accept(Case.objects.get(pk=anonymous.pk), officer, "รับเรื่องแล้ว")  # read back: no cache
    assert waiting_mail().filter(case=anonymous).count() == 1


def test_whether_an_address_is_held_is_known_without_a_read_on_intake(
    make_case: Callable[..., Case], django_assert_num_queries: Any
) -> None:
    case = make_case(phone="0812345678")
    with django_assert_num_queries(0):
        assert holds_reporter_email(case) is False
    read_back = Case.objects.get(pk=case.pk)
    with django_assert_num_queries(1):
        assert holds_reporter_email(read_back) is False
