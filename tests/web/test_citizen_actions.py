"""POST /t/<id>/me-too/, /rate/, /reopen/: what a citizen can do from the ticket page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pracha.cases.models import Case
from pracha.limits.device import COOKIE
from pracha.tickets import citizen_token
from pracha.web.session import TOKENS_KEY
from tests.factories import set_state
from tests.helpers import english, page_text

pytestmark = pytest.mark.django_db


def reporter_client(case: Case) -> Client:
    """A browser that filed `case` (its session holds the reporter's token)."""
    client = Client()
    session = client.session
    session[TOKENS_KEY] = {case.ticket_id: citizen_token(case.ticket_id)}
    session.save()
    return client


def browser(case: Case) -> Client:
    """A browser that has opened the ticket page (and so holds a device cookie)."""
    client = Client()
    assert client.get(f"/t/{case.ticket_id}/").cookies[COOKIE].value
    return client


def test_me_too_counts_once_per_browser(make_case: Callable[..., Case]) -> None:
    case = make_case()
    client = browser(case)
    response = client.post(f"/t/{case.ticket_id}/me-too/", follow=True)
    assert "หน่วยงานจะเห็นว่าคุณเจอปัญหานี้ด้วย" in page_text(response)
    client.post(f"/t/{case.ticket_id}/me-too/")
    case.refresh_from_db()
    assert case.me_too_count == 1
    browser(case).post(f"/t/{case.ticket_id}/me-too/")
    case.refresh_from_db()
    assert case.me_too_count == 2


def test_clearing_the_session_does_not_count_a_device_again(make_case: Callable[..., Case]) -> None:
    case = make_case()
    client = english(browser(case))
    for _ in range(5):
        client.post(f"/t/{case.ticket_id}/me-too/")
        client.cookies.pop("sessionid", None)  # forget the session, keep the device
    page = client.get(f"/t/{case.ticket_id}/")
    case.refresh_from_db()
    assert case.me_too_count == 1
    assert "You said this affects you too." in page_text(page)
    assert 'data-testid="me-too"' not in page.content.decode()


def test_the_reporter_is_not_offered_me_too_and_is_refused(make_case: Callable[..., Case]) -> None:
    case = make_case()
    reporter = english(reporter_client(case))
    page = reporter.get(f"/t/{case.ticket_id}/")
    assert 'data-testid="me-too"' not in page.content.decode()

    refused = reporter.post(f"/t/{case.ticket_id}/me-too/")

    assert refused.status_code == 403
    assert "You filed this report yourself" in page_text(refused)
    case.refresh_from_db()
    assert case.me_too_count == 0


def test_the_browser_that_filed_the_report_is_refused_without_its_session(db: None) -> None:
    from tests.web.test_report_post import form

    filer = english(Client())
    filer.get("/report/")
    filed = filer.post("/report/", form(form_token="mine"))
    ticket_id = filed["Location"].strip("/").split("/")[-1]
    filer.cookies.pop("sessionid", None)  # the device cookie stays

    page = filer.get(f"/t/{ticket_id}/")
    refused = filer.post(f"/t/{ticket_id}/me-too/")

    assert 'data-testid="me-too"' not in page.content.decode()
    assert refused.status_code == 403
    assert Case.objects.get(ticket_id=ticket_id).me_too_count == 0


def test_nobody_else_yet_reads_naturally(make_case: Callable[..., Case]) -> None:
    case = make_case()
    thai = page_text(Client().get(f"/t/{case.ticket_id}/"))
    assert "ผู้ที่เจอปัญหานี้ด้วย" in thai and "ยังไม่มีคนอื่นแจ้ง" in thai
    assert "อีก 0 คน" not in thai
    text = page_text(english(Client()).get(f"/t/{case.ticket_id}/"))
    assert "No one else yet" in text and "0 other people" not in text
    browser(case).post(f"/t/{case.ticket_id}/me-too/")
    assert "1 other person" in page_text(english(Client()).get(f"/t/{case.ticket_id}/"))


def test_me_too_on_a_closed_case_is_refused_with_a_reason(make_case: Callable[..., Case]) -> None:
    case = make_case()
    set_state(case.ticket_id, "done")
    response = english(Client()).post(f"/t/{case.ticket_id}/me-too/")
    assert response.status_code == 409
    assert "not possible in the report's current state" in page_text(response)


def test_me_too_needs_post(make_case: Callable[..., Case]) -> None:
    case = make_case()
    assert Client().get(f"/t/{case.ticket_id}/me-too/").status_code == 405


def test_the_reporter_rates_a_closed_case_once(make_case: Callable[..., Case]) -> None:
    case = make_case()
    set_state(case.ticket_id, "done")
    client = reporter_client(case)
    page = page_text(client.get(f"/t/{case.ticket_id}/"))
    assert "แก้ไขได้ดีแค่ไหน" in page  # the rating form is offered
    response = client.post(
        f"/t/{case.ticket_id}/rate/", {"stars": "4", "comment": "เร็วมาก"}, follow=True
    )
    assert "ขอบคุณที่ให้คะแนน" in page_text(response)
    case.refresh_from_db()
    assert case.stars == 4
    again = english(client).post(f"/t/{case.ticket_id}/rate/", {"stars": "5"})
    assert again.status_code == 409
    assert "already rated" in page_text(again)


def test_only_the_reporter_may_rate(make_case: Callable[..., Case]) -> None:
    case = make_case()
    set_state(case.ticket_id, "done")
    response = english(Client()).post(f"/t/{case.ticket_id}/rate/", {"stars": "1"})
    assert response.status_code == 403
    assert "Only the person who filed this report" in page_text(response)
    case.refresh_from_db()
    assert case.stars is None


def test_stars_out_of_range_are_explained(make_case: Callable[..., Case]) -> None:
    case = make_case()
    set_state(case.ticket_id, "done")
    response = english(reporter_client(case)).post(f"/t/{case.ticket_id}/rate/", {"stars": "9"})
    assert response.status_code == 400
    assert "Choose from 1 to 5 stars" in page_text(response)


def test_the_reporter_reopens_with_a_reason(make_case: Callable[..., Case]) -> None:
    case = make_case()
    set_state(case.ticket_id, "done")
    client = reporter_client(case)
    empty = client.post(f"/t/{case.ticket_id}/reopen/", {"reason": "  "})
    assert empty.status_code == 400
    assert "กรุณาบอกเหตุผลที่เปิดเรื่องอีกครั้ง" in page_text(empty)
    client.post(f"/t/{case.ticket_id}/reopen/", {"reason": "ยังมืดเหมือนเดิม"})
    case.refresh_from_db()
    assert case.state == "waiting"
    assert case.reopen_count == 1


def test_a_case_closed_too_long_ago_offers_no_reopening(make_case: Callable[..., Case]) -> None:
    case = make_case()
    set_state(case.ticket_id, "done", closed_at=timezone.now() - timedelta(days=90))
    client = english(reporter_client(case))
    assert "Reopen the report" not in page_text(client.get(f"/t/{case.ticket_id}/"))
    response = client.post(f"/t/{case.ticket_id}/reopen/", {"reason": "still broken"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.state == "done"


def test_actions_on_an_unknown_ticket_are_404() -> None:
    assert Client().post("/t/2025-NOPE99/me-too/").status_code == 404


def test_the_rate_and_reopen_box_comes_first_for_the_reporter_of_a_closed_case(
    make_case: Callable[..., Case],
) -> None:
    case = make_case()
    set_state(case.ticket_id, "done")
    html = reporter_client(case).get(f"/t/{case.ticket_id}/").content.decode()
    # E-mail links end in #feedback; the box is above the description and the timeline.
    box = html.index('id="feedback"')
    assert box < html.index('id="desc-title"') < html.index('id="timeline-title"')
    assert box < html.index('data-testid="rate-form"') < html.index('id="desc-title"')
    assert f'action="/t/{case.ticket_id}/reopen/"' in html[box : html.index('id="desc-title"')]


def test_no_feedback_box_for_others_or_for_open_cases(make_case: Callable[..., Case]) -> None:
    case = make_case()
    assert (
        'id="feedback"' not in reporter_client(case).get(f"/t/{case.ticket_id}/").content.decode()
    )
    set_state(case.ticket_id, "done")
    assert 'id="feedback"' not in Client().get(f"/t/{case.ticket_id}/").content.decode()
