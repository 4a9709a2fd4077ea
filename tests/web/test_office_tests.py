"""The officers' test pages (/office/tests/) and the public live board (/tests/live/), in
Thai and English, through Django's test client."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.competency.bank.seed import seed
from pracha.competency.models import Session
from tests.helpers import english


@pytest.fixture
def shipped(db: None) -> None:
    seed()


def answer_all(client: Client, url: str) -> str:
    """Answer every question with the first option; the result page's HTML."""
    page = client.get(url).content.decode()
    for _ in range(60):
        found = re.search(r'name="item" value="(\d+)"', page)
        if not found:
            return page
        response = client.post(url, {"item": found.group(1), "choice": "0"})
        assert response.status_code == 302 and response["Location"] == url
        page = client.get(url).content.decode()
    raise AssertionError("the test did not end")


def test_an_officer_takes_the_quick_test_in_thai(
    shipped: None, bma: Agency, officer_client: Callable[..., tuple[Client, Officer]]
) -> None:
    client, officer = officer_client(bma)
    home = client.get("/office/tests/").content.decode()
    assert "แบบฝึกหัดสั้น 5 ข้อ" in home and "เริ่มทำแบบทดสอบนี้" in home
    started = client.post("/office/tests/quick/start/")
    assert started.status_code == 302
    url = started["Location"]
    page = client.get(url).content.decode()
    assert "ข้อ 1 จาก 5" in page and "เวลาที่เหลือ" in page
    result = answer_all(client, url)
    assert 'data-testid="result"' in result and "คะแนน" in result
    session = Session.objects.get(officer=officer)
    assert session.finished_at is not None and session.language == "th"
    assert session.answered == 5
    assert "ผลของคุณ" in client.get("/office/tests/").content.decode()


def test_the_pages_in_english_and_the_test_in_english(
    shipped: None, bma: Agency, officer_client: Callable[..., tuple[Client, Officer]]
) -> None:
    client, officer = officer_client(bma)
    english(client)
    assert "Quick practice, 5 items" in client.get("/office/tests/").content.decode()
    url = client.post("/office/tests/quick/start/")["Location"]
    assert "Question 1 of 5" in client.get(url).content.decode()
    assert Session.objects.get(officer=officer).language == "en"
    result = answer_all(client, url)
    assert "Score" in result and ("Passed" in result or "Not passed" in result)


def test_a_second_start_goes_back_to_the_running_test(
    shipped: None, bma: Agency, officer_client: Callable[..., tuple[Client, Officer]]
) -> None:
    client, officer = officer_client(bma)
    english(client)
    client.post("/office/tests/quick/start/")
    again = client.post("/office/tests/practice/start/", follow=True)
    assert "You already have a test running" in again.content.decode()
    assert Session.objects.filter(officer=officer).count() == 1
    assert 'data-testid="running"' in client.get("/office/tests/").content.decode()


def test_ending_early_and_a_stale_answer(
    shipped: None, bma: Agency, officer_client: Callable[..., tuple[Client, Officer]]
) -> None:
    client, _officer = officer_client(bma)
    english(client)
    url = client.post("/office/tests/quick/start/")["Location"]
    item = re.search(r'name="item" value="(\d+)"', client.get(url).content.decode()).group(1)
    client.post(url, {"item": item, "choice": "0"})
    stale = client.post(url, {"item": item, "choice": "1"}, follow=True).content.decode()
    assert "That question had already been answered." in stale
    client.post(url + "finish/")
    result = client.get(url).content.decode()
    assert 'data-testid="result"' in result and "1 question answered" in result


def test_another_officers_test_is_not_found(
    shipped: None, bma: Agency, officer_client: Callable[..., tuple[Client, Officer]]
) -> None:
    mine, _ = officer_client(bma)
    url = mine.post("/office/tests/quick/start/")["Location"]
    stranger, _ = officer_client(bma)
    assert stranger.get(url).status_code == 404
    assert stranger.get("/office/tests/session/not-a-uuid/").status_code == 404


def test_the_back_office_asks_who_you_are(db: None) -> None:
    response = Client().get("/office/tests/")
    assert response.status_code == 302 and "/office/login/" in response["Location"]


def test_supervisors_see_their_agency_and_officers_do_not(
    shipped: None,
    bma: Agency,
    make_agency: Callable[..., Agency],
    officer_client: Callable[..., tuple[Client, Officer]],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    taker, _officer = officer_client(bma, "somchai")
    answer_all(taker, taker.post("/office/tests/quick/start/")["Location"])
    other = make_agency("elsewhere")
    outsider, _ = officer_client(other, "outsider")
    answer_all(outsider, outsider.post("/office/tests/quick/start/")["Location"])
    boss, _key = make_officer(bma, "boss", role="supervisor")
    client = Client()
    client.force_login(boss.user)
    english(client)
    page = client.get("/office/tests/agency/").content.decode()
    assert "somchai" in page and "outsider" not in page
    assert taker.get("/office/tests/agency/").status_code == 403


def test_the_live_board_is_public_and_anonymous(
    shipped: None, bma: Agency, officer_client: Callable[..., tuple[Client, Officer]]
) -> None:
    client, _officer = officer_client(bma, "somsak.t")
    url = client.post("/office/tests/quick/start/")["Location"]
    board = Client().get("/tests/live/").content.decode()
    assert "กำลังสอบ" in board and bma.name_th in board
    assert "somsak.t" not in board and url.split("/")[-2] not in board
    answer_all(client, url)
    rows = Client().get("/tests/live/?part=rows", HTTP_HX_REQUEST="true")
    assert "<html" not in rows.content.decode()
    assert ("ผ่าน" in rows.content.decode()) and "somsak.t" not in rows.content.decode()
