"""The consultation pages: the public list and page (draft hidden; form only for signed-in
citizens with their answer prefilled; results and CSV link after the close; "not yet
published what it changed; due ..."), answering through the form, and the officers' pages
(only their own agency's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.citizens import sessions
from pracha.consultations.models import Consultation, Response
from pracha.consultations.services import manage
from pracha.consultations.services.respond import do_respond
from tests.consultations.support import agency_other, full_answers, make_citizen, make_consultation
from tests.helpers import english, page_text


@pytest.fixture
def city(officer: tuple[Officer, str]) -> Officer:
    return officer[0]


def signed_in(citizen: Any) -> Client:
    """A browser signed in as the citizen (a web token in its session, as /signin/ leaves)."""
    client = Client()
    request = client.get("/").wsgi_request
    token = sessions.sign_in(request, citizen)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key or ""
    assert token
    return client


def test_the_list_shows_open_and_closed_not_drafts(client: Client, city: Officer) -> None:
    make_consultation(city, "open-one")
    make_consultation(city, "ended", phase="past")
    make_consultation(city, "secret", phase="draft")
    response = client.get("/consultations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/consultations/open-one/" in html and "/consultations/ended/" in html
    assert "/consultations/secret/" not in html
    assert client.get("/consultations/secret/").status_code == 404


def test_an_open_consultation_asks_anonymous_readers_to_sign_in(
    client: Client, city: Officer
) -> None:
    make_consultation(city)
    html = english(client).get("/consultations/park-hours/").content.decode()
    assert "Park opening hours" in html
    assert (
        'data-testid="signin-to-answer"' in html
        and '<form method="post" action="/consultations' not in html
    )
    assert 'data-testid="results"' not in html


def test_a_citizen_answers_and_finds_the_answer_prefilled(city: Officer) -> None:
    consultation = make_consultation(city)
    citizen = make_citizen()
    browser = signed_in(citizen)
    qs = {q.kind: q.pk for q in consultation.questions.all()}
    form = {
        f"q{qs['single']}": "1",
        f"q{qs['multiple']}": ["0", "2"],
        f"q{qs['scale_1_5']}": "4",
        f"q{qs['free_text']}": "ขอไฟเพิ่ม",
        "notify": "on",
    }
    assert browser.post("/consultations/park-hours/", form).status_code == 302
    response = Response.objects.get(consultation=consultation, citizen=citizen)
    assert response.notify
    html = browser.get("/consultations/park-hours/").content.decode()
    assert f'name="q{qs["single"]}" value="1" checked' in html
    assert "ขอไฟเพิ่ม" in html
    form[f"q{qs['single']}"] = "0"
    assert browser.post("/consultations/park-hours/", form).status_code == 302
    assert Response.objects.filter(consultation=consultation).count() == 1


def test_a_bad_form_comes_back_400_with_the_reasons(city: Officer) -> None:
    consultation = make_consultation(city)
    browser = signed_in(make_citizen())
    qs = {q.kind: q.pk for q in consultation.questions.all()}
    response = browser.post("/consultations/park-hours/", {f"q{qs['single']}": "1"})
    assert response.status_code == 400
    assert 'data-testid="answer-problems"' in response.content.decode()
    assert Response.objects.count() == 0


def test_after_the_close_results_csv_and_the_changes_due(client: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    do_respond(make_citizen(), consultation, full_answers(consultation), notify=False)
    manage.do_close_now(city, consultation)
    html = english(client).get("/consultations/park-hours/").content.decode()
    assert 'data-testid="results"' in html and "results.csv" in html
    assert 'id="consultation-results"' in html  # the chart data
    assert "has not yet published what it changed; due" in html
    assert 'data-testid="answer-form"' not in html
    manage.do_publish_changes(city, consultation, "ขยายเวลา", "We open until 10 pm")
    html = english(client).get("/consultations/park-hours/").content.decode()
    assert "We open until 10 pm" in html and "not yet published" not in html


def test_the_thai_page_is_in_thai(client: Client, city: Officer) -> None:
    make_consultation(city, phase="past")
    text = page_text(client.get("/consultations/park-hours/"))
    assert "เวลาเปิดสวนสาธารณะ" in text


def test_officers_create_add_questions_publish_and_close(
    officer_client: Callable[[Agency], tuple[Client, Officer]], bma: Agency
) -> None:
    browser, _officer = officer_client(bma)
    created = browser.post(
        "/office/consultations/",
        {
            "ref": "canal-walk",
            "title_th": "ทางเดินริมคลอง",
            "opens_at": "2020-01-01T08:00",
            "closes_at": "2099-01-01T08:00",
        },
    )
    assert created.status_code == 302 and created["Location"] == "/office/consultations/canal-walk/"
    add = {
        "kind": "single",
        "text_th": "ทางไหน",
        "options": "ซ้าย | Left\nขวา | Right",
        "required": "on",
    }
    browser.post("/office/consultations/canal-walk/add-question/", add)
    consultation = Consultation.objects.get(ref="canal-walk")
    assert consultation.questions.get().options[1] == {"th": "ขวา", "en": "Right"}
    browser.post("/office/consultations/canal-walk/publish/")
    consultation.refresh_from_db()
    assert consultation.phase() == "open"
    page = browser.get("/office/consultations/canal-walk/").content.decode()
    assert 'data-testid="add-question"' not in page  # opened: questions are fixed
    browser.post("/office/consultations/canal-walk/close/")
    consultation.refresh_from_db()
    assert consultation.state == "closed"
    browser.post("/office/consultations/canal-walk/changes/", {"changes_th": "ทำทางซ้าย"})
    consultation.refresh_from_db()
    assert consultation.changes_th == "ทำทางซ้าย"


def test_a_bad_new_draft_comes_back_with_the_reason(
    officer_client: Callable[[Agency], tuple[Client, Officer]], bma: Agency
) -> None:
    browser, _officer = officer_client(bma)
    response = browser.post(
        "/office/consultations/",
        {
            "ref": "x",
            "title_th": "t",
            "opens_at": "2020-01-01T08:00",
            "closes_at": "2099-01-01T08:00",
        },
    )
    assert response.status_code == 400
    assert 'data-testid="create-error"' in response.content.decode()


def test_officers_of_another_agency_get_404_on_the_office_pages(
    officer_client: Callable[[Agency], tuple[Client, Officer]], city: Officer
) -> None:
    make_consultation(city, "ours", phase="draft")
    browser, _other = officer_client(agency_other())
    assert browser.get("/office/consultations/ours/").status_code == 404
    assert browser.post("/office/consultations/ours/publish/").status_code == 404
    assert Consultation.objects.get(ref="ours").state == "draft"
    assert browser.get("/consultations/ours/").status_code == 404  # a draft of another agency


def test_a_form_sent_after_the_close_is_refused_with_the_reason(city: Officer) -> None:
    consultation = make_consultation(city, phase="past")
    browser = signed_in(make_citizen())
    qs = {q.kind: q.pk for q in consultation.questions.all()}
    response = browser.post("/consultations/park-hours/", {f"q{qs['single']}": "1"}, follow=True)
    assert "has closed" in response.content.decode()
    assert Response.objects.count() == 0
