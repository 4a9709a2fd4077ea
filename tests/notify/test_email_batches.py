"""Reporter e-mails are batched: events of one case close together make one message.

The events wait in an outbox row written with the event, so a crash or a broken mail server
loses nothing; a message says what happened to which report and who acted (agency and role,
never a login), in the reporter's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services.workflow import do_accept, do_close, do_comment
from pracha.notify.email import CLAIM_LEASE, claim_batch, send_due_reporter_mail
from tests.notify.helpers import waiting_mail

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]
WINDOW = 120
DESCRIPTION = "ถนนเป็นหลุมลึกหน้าซอย 5 โทร 0812345678 ด่วน"


@pytest.fixture(autouse=True)
def batch_window(pracha: Callable[..., None]) -> None:
    pracha(notify_batch_seconds=WINDOW)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Capture) -> Callable[..., Any]:
    """Run a change and its after-commit receivers, as a request would."""

    def run(change: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def story(
    make_case: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
    committed: Callable[..., Any],
) -> Callable[..., tuple[Case, Officer]]:
    """A case filed, accepted and commented on within seconds (a burst of 3 events)."""

    def run(language: str = "th") -> tuple[Case, Officer]:
        case = committed(
            lambda: make_case(DESCRIPTION, email="somsri@example.org", language=language)
        )
        officer, _ = make_officer(case.agency, "somchai.k", role="supervisor")
        committed(lambda: do_accept(case, officer, "รับเรื่องแล้ว จะส่งทีมไปดู"))
        committed(lambda: do_comment(case, officer, "ทีมงานจะเข้าไปซ่อมพรุ่งนี้"))
        return case, officer

    return run


def later(seconds: float) -> Any:
    return timezone.now() + timedelta(seconds=seconds)


def test_a_burst_of_three_events_is_one_message_listing_each(
    story: Callable[..., tuple[Case, Officer]],
) -> None:
    case, _officer = story()
    assert mail.outbox == []  # nothing yet: the window is still open
    assert waiting_mail().filter(case=case).count() == 3
    assert send_due_reporter_mail(now=later(WINDOW / 2)) == 0

    assert send_due_reporter_mail(now=later(WINDOW + 1)) == 1
    [message] = mail.outbox
    body = message.body
    assert message.to == ["somsri@example.org"]
    for step in ("แจ้งเรื่อง", "หน่วยงานรับเรื่องแล้ว", "รับเรื่องแล้ว จะส่งทีมไปดู", "ทีมงานจะเข้าไปซ่อมพรุ่งนี้"):
        assert step in body, step
    assert body.index("แจ้งเรื่อง") < body.index("หน่วยงานรับเรื่องแล้ว")
    assert not waiting_mail().exists()
    assert send_due_reporter_mail(now=later(WINDOW * 10)) == 0  # sent once only


def test_subject_and_body_say_what_happened_to_which_report_without_a_login(
    story: Callable[..., tuple[Case, Officer]],
) -> None:
    case, officer = story()
    send_due_reporter_mail(now=later(WINDOW + 1))
    [message] = mail.outbox
    assert message.subject.startswith(f"[{case.ticket_id}] แจ้งเรื่อง, หน่วยงานรับเรื่องแล้ว")
    assert message.subject.endswith(": ถนนเป็นหลุมลึกหน้าซอย 5 โทร [เบอร์โทร]…")
    assert "0812345678" not in message.subject + message.body  # the description is masked
    assert "ถนนเป็นหลุมลึกหน้าซอย 5" in message.body
    assert f"โดย: หัวหน้างาน {officer.agency.name_th}" in message.body
    assert "somchai" not in message.subject + message.body
    assert f"/t/{case.ticket_id}/?k=" in message.body and "#feedback" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_an_english_reporter_reads_english(story: Callable[..., tuple[Case, Officer]]) -> None:
    case, officer = story(language="en")
    send_due_reporter_mail(now=later(WINDOW + 1))
    [message] = mail.outbox
    assert message.subject.startswith(f"[{case.ticket_id}] Reported, ")
    assert f"By: Supervisor, {officer.agency.name_en or officer.agency.name_th}" in message.body
    assert "Thank you for your report" in message.body


def test_events_further_apart_are_separate_messages(
    make_case: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
    committed: Callable[..., Any],
) -> None:
    case = committed(lambda: make_case(DESCRIPTION, email="somsri@example.org"))
    officer, _ = make_officer(case.agency)
    committed(lambda: do_accept(case, officer))
    committed(lambda: do_close(case, officer, "done", "ซ่อมเสร็จแล้ว"))
    # Filed, then accepted 5 minutes later, then closed a day later.
    start = timezone.now() - timedelta(days=2)
    rows = list(waiting_mail().order_by("occurred_at", "pk"))
    for row, offset in zip(rows, (0, 300, 86_400), strict=True):
        waiting_mail().filter(pk=row.pk).update(occurred_at=start + timedelta(seconds=offset))

    assert send_due_reporter_mail() == 3
    subjects = [m.subject for m in mail.outbox]
    assert [s.split("]")[1].split(":")[0].strip() for s in subjects] == [
        "แจ้งเรื่อง",
        "หน่วยงานรับเรื่องแล้ว",
        "ปิดเรื่อง",
    ], subjects
    assert "ให้คะแนนผลงาน" in mail.outbox[2].body  # closed: rate or reopen


def test_a_broken_mail_server_keeps_the_batch_for_a_retry(
    story: Callable[..., tuple[Case, Officer]], settings: Any
) -> None:
    story()
    locmem = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    assert send_due_reporter_mail(now=later(WINDOW + 1)) == 0
    assert waiting_mail().count() == 3
    assert set(waiting_mail().values_list("attempts", flat=True)) == {1}
    settings.EMAIL_BACKEND = locmem
    # Held for the lease (no hammering of the server), then sent in full.
    assert send_due_reporter_mail(now=later(WINDOW + 2)) == 0
    assert send_due_reporter_mail(now=later(WINDOW + CLAIM_LEASE.total_seconds() + 5)) == 1
    assert "ทีมงานจะเข้าไปซ่อมพรุ่งนี้" in mail.outbox[0].body
    assert not waiting_mail().exists()


def test_a_rolled_back_change_queues_nothing(
    make_case: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
    committed: Callable[..., Any],
) -> None:
    case = committed(lambda: make_case(email="somsri@example.org"))
    officer, _ = make_officer(case.agency)
    with pytest.raises(RuntimeError), transaction.atomic():
        do_accept(case, officer)
        raise RuntimeError("the request failed after the change")
    assert waiting_mail().count() == 1  # the filing only


def test_staff_notes_and_reports_without_an_address_send_nothing(
    make_case: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
    committed: Callable[..., Any],
) -> None:
    case = committed(lambda: make_case(phone="0812345678"))
    officer, _ = make_officer(case.agency)
    committed(lambda: do_comment(case, officer, "ภายในเท่านั้น", public=False))
    assert waiting_mail().count() == 0  # neither the staff note nor the addressless filing
    committed(lambda: do_comment(case, officer, "กำลังดำเนินการ", public=True))
    assert waiting_mail().count() == 1  # a later event is (a merged case may bring readers)
    assert send_due_reporter_mail(now=later(WINDOW + 1)) == 0
    assert mail.outbox == [] and not waiting_mail().exists()


def test_two_senders_never_take_the_same_events(
    story: Callable[..., tuple[Case, Officer]],
) -> None:
    case, _ = story()
    now, window = later(WINDOW + 1), timedelta(seconds=WINDOW)
    assert len(claim_batch(case.pk, now, window)) == 3
    assert claim_batch(case.pk, now, window) == []


def test_the_command_sends_due_batches(story: Callable[..., tuple[Case, Officer]]) -> None:
    story()
    waiting_mail().update(occurred_at=timezone.now() - timedelta(seconds=WINDOW + 1))
    out = StringIO()
    call_command("send_reporter_mail", stdout=out)
    assert "1 e-mail(s) sent; 0 event(s) waiting" in out.getvalue()
    assert len(mail.outbox) == 1


def test_without_a_window_each_commit_sends_at_once(
    make_case: Callable[..., Case],
    make_agency: Callable[..., Agency],
    committed: Callable[..., Any],
    pracha: Callable[..., None],
) -> None:
    pracha(notify_batch_seconds=0)
    committed(lambda: make_case(email="somsri@example.org"))
    assert len(mail.outbox) == 1 and not waiting_mail().exists()
