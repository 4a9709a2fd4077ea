"""POST /t/<id>/me-too/, /rate/, /reopen/: what a citizen can do from the ticket page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pracha.cases.models import Case
from pracha.cases.services.tickets import citizen_token
from pracha.web.session import TOKENS_KEY
from tests.helpers import set_state
from tests.web.conftest import english
from tests.web.helpers import page_text

pytestmark = pytest.mark.django_db


def reporter_client(case: Case) -> Client:
    """A browser that filed `case` (its session holds the reporter's token)."""
    client = Client()
    session = client.session
    session[TOKENS_KEY] = {case.ticket_id: citizen_token(case.ticket_id)}
    session.save()
    return client


def test_me_too_counts_once_per_browser(make_case: Callable[..., Case]) -> None:
    case = make_case()
    client = Client()
    response = client.post(f"/t/{case.ticket_id}/me-too/", follow=True)
    assert "หน่วยงานจะเห็นว่าคุณเจอปัญหานี้ด้วย" in page_text(response)
    client.post(f"/t/{case.ticket_id}/me-too/")
    case.refresh_from_db()
    assert case.me_too_count == 1
    Client().post(f"/t/{case.ticket_id}/me-too/")
    case.refresh_from_db()
    assert case.me_too_count == 2


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
