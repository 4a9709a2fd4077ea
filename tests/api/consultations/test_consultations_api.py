"""The consultations API: listing, one consultation, answering (201, then 200 on a change;
401 anonymous; 409 after the close; 400 with reasons), results only after the close, the
CSV without personal data and formula-safe, the officers' actions and 403 for others."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.consultations.models import Consultation, Response
from pracha.consultations.services import manage
from pracha.consultations.services.respond import do_respond
from tests.consultations.support import (
    agency_other,
    bearer,
    full_answers,
    make_citizen,
    make_consultation,
    token_for,
)
from tests.helpers import auth, post_json

URL = "/api/v1/consultations"


@pytest.fixture
def city(officer: tuple[Officer, str]) -> Officer:
    return officer[0]


def answer(api: Client, ref: str, answers: list[dict[str, Any]], token: str, **body: Any) -> Any:
    return post_json(api, f"{URL}/{ref}/response", {"answers": answers, **body}, **bearer(token))


def test_the_list_shows_published_consultations_by_state_never_drafts(
    api: Client, city: Officer
) -> None:
    make_consultation(city, "open-one")
    make_consultation(city, "soon", phase="upcoming")
    make_consultation(city, "ended", phase="past")
    make_consultation(city, "secret", phase="draft")
    body = api.get(URL).json()
    assert body["count"] == 3
    assert {i["ref"]: i["state"] for i in body["items"]} == {
        "open-one": "open",
        "soon": "upcoming",
        "ended": "closed",
    }
    assert [i["ref"] for i in api.get(URL, {"state": "closed"}).json()["items"]] == ["ended"]
    assert api.get(URL, {"agency": "nobody"}).json()["count"] == 0
    assert api.get(URL, {"state": "bogus"}).status_code == 422


def test_a_draft_is_hidden_except_from_its_agency(
    api: Client, city: Officer, officer: tuple[Officer, str], make_officer: Any
) -> None:
    make_consultation(city, "secret", phase="draft")
    assert api.get(f"{URL}/secret").status_code == 404
    assert api.get(f"{URL}/secret", **auth(officer[1])).status_code == 200
    _other, key = make_officer(agency_other())
    assert api.get(f"{URL}/secret", **auth(key)).status_code == 404


def test_first_answer_201_a_second_is_a_change_200(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    token = token_for(make_citizen())
    first = answer(api, consultation.ref, full_answers(consultation), token, notify=True)
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    changed = answer(api, consultation.ref, full_answers(consultation, scale_1_5=1), token)
    assert changed.status_code == 200
    assert changed.json()["created"] is False
    assert Response.objects.filter(consultation=consultation).count() == 1
    mine = api.get(f"{URL}/{consultation.ref}", **bearer(token)).json()["my_response"]
    scale = consultation.questions.get(kind="scale_1_5").pk
    assert {"question": scale, "value": 1} in mine["answers"]
    assert mine["notify"] is False


def test_anonymous_answers_are_refused_401(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    response = post_json(api, f"{URL}/{consultation.ref}/response", {"answers": []})
    assert response.status_code == 401
    assert Response.objects.count() == 0


def test_an_officer_key_is_not_a_citizen(
    api: Client, city: Officer, officer: tuple[Officer, str]
) -> None:
    consultation = make_consultation(city)
    response = post_json(
        api, f"{URL}/{consultation.ref}/response", {"answers": []}, **auth(officer[1])
    )
    assert response.status_code == 401


def test_an_answer_after_the_close_is_409(api: Client, city: Officer) -> None:
    consultation = make_consultation(city, phase="past")
    response = answer(api, consultation.ref, full_answers(consultation), token_for(make_citizen()))
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_not_open"


def test_invalid_answers_are_400_with_every_reason(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    qs = {q.kind: q.pk for q in consultation.questions.all()}
    bad = [{"question": qs["single"], "value": 9}, {"question": qs["scale_1_5"], "value": "x"}]
    response = answer(api, consultation.ref, bad, token_for(make_citizen()))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_answers"
    reasons = {r["question"] for r in body["reasons"]}
    assert {qs["single"], qs["scale_1_5"], qs["multiple"]} <= reasons  # multiple: required


def test_results_are_null_until_the_close_and_the_csv_409(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    do_respond(make_citizen(), consultation, full_answers(consultation), notify=False)
    body = api.get(f"{URL}/{consultation.ref}").json()
    assert body["results"] is None and body["results_csv"] is None
    assert body["changes"] is None and body["changes_due_at"]
    assert api.get(f"{URL}/{consultation.ref}/results.csv").status_code == 409


def test_after_the_close_results_and_due_changes_are_public(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    do_respond(make_citizen(), consultation, full_answers(consultation), notify=False)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    body = api.get(f"{URL}/{consultation.ref}").json()
    assert body["state"] == "closed"
    assert body["results"]["responses"] == 1
    assert body["changes"] is None and body["changes_overdue"] is False
    consultation.refresh_from_db()
    assert consultation.state == "closed"  # the read stored the close


def test_the_csv_names_nobody_and_runs_no_formula(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    email = "somchai.j@example.com"
    text = '=HYPERLINK("http://evil.example","click") โทร 081-234-5678 ' + email
    citizen = make_citizen(email)
    do_respond(citizen, consultation, full_answers(consultation, free_text=text), notify=True)
    manage.do_close_now(city, consultation)
    response = api.get(f"{URL}/{consultation.ref}/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    assert email not in raw and "081-234-5678" not in raw and str(citizen.pk) not in raw.split()
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    free = [r for r in rows if r["kind"] == "free_text"]
    assert len(free) == 1 and free[0]["answer_th"].startswith("'=")
    single = [r for r in rows if r["kind"] == "single"]
    assert [r["count"] for r in single] == ["0", "1"]
    assert set(rows[0]) == {
        "question", "kind", "text_th", "text_en", "answer_th", "answer_en", "count", "share",
        "responses",
    }  # fmt: skip


def test_officers_create_set_questions_publish_close_and_post_changes(
    api: Client, officer: tuple[Officer, str]
) -> None:
    key = officer[1]
    now = timezone.now()
    body = {
        "ref": "bike-lanes",
        "title_th": "ทางจักรยาน",
        "opens_at": (now + timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=20)).isoformat(),
        "questions": [{"kind": "scale_1_5", "text_th": "เห็นด้วยแค่ไหน"}],
    }
    created = post_json(api, URL, body, **auth(key))
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "draft"
    questions = {
        "questions": [
            {"kind": "single", "text_th": "เลนไหน", "options": [{"th": "ซ้าย"}, {"th": "ขวา"}]}
        ]
    }
    put = api.put(
        f"{URL}/bike-lanes/questions", questions, content_type="application/json", **auth(key)
    )
    assert put.status_code == 200 and put.json()["questions"][0]["kind"] == "single"
    patched = api.patch(
        f"{URL}/bike-lanes", {"title_en": "Bike lanes"}, content_type="application/json",
        **auth(key),
    )  # fmt: skip
    assert patched.json()["title_en"] == "Bike lanes"
    assert post_json(api, f"{URL}/bike-lanes/publish", {}, **auth(key)).json()["state"] == (
        "upcoming"
    )
    assert post_json(api, f"{URL}/bike-lanes/close", {}, **auth(key)).status_code == 409
    Consultation.objects.filter(ref="bike-lanes").update(opens_at=now - timedelta(days=1))
    assert post_json(api, f"{URL}/bike-lanes/close", {}, **auth(key)).json()["state"] == "closed"
    done = post_json(api, f"{URL}/bike-lanes/changes", {"changes_th": "ทำเลนซ้าย"}, **auth(key))
    assert done.status_code == 200
    assert done.json()["changes"]["th"] == "ทำเลนซ้าย"


def test_officers_of_another_agency_get_403(api: Client, city: Officer, make_officer: Any) -> None:
    make_consultation(city, "ours", phase="draft")
    _other, key = make_officer(agency_other())
    for path in ("publish", "close"):
        assert post_json(api, f"{URL}/ours/{path}", {}, **auth(key)).status_code == 403
    changes = post_json(api, f"{URL}/ours/changes", {"changes_th": "x"}, **auth(key))
    assert changes.status_code == 403
    patched = api.patch(
        f"{URL}/ours", {"title_th": "x"}, content_type="application/json", **auth(key)
    )
    assert patched.status_code == 403


def test_officer_actions_need_an_officer(api: Client, city: Officer) -> None:
    make_consultation(city, "ours", phase="draft")
    assert post_json(api, f"{URL}/ours/publish", {}).status_code == 401
    citizen = token_for(make_citizen())
    assert post_json(api, f"{URL}/ours/publish", {}, **bearer(citizen)).status_code == 403


def test_indicators_give_turnout(api: Client, city: Officer) -> None:
    consultation = make_consultation(city)
    do_respond(make_citizen(), consultation, full_answers(consultation), notify=False)
    body = api.get(f"{URL}/indicators").json()
    assert body["consultations"][0]["responses"] == 1
    assert body["agencies"][0]["responses"] == 1


def test_an_unknown_consultation_is_404(api: Client, db: None) -> None:
    assert api.get(f"{URL}/nothing-here").status_code == 404


def test_a_signed_in_back_office_session_acts_as_its_officer(
    api: Client, city: Officer, make_officer: Any
) -> None:
    make_consultation(city, "ours", phase="draft")
    api.force_login(city.user)
    assert post_json(api, f"{URL}/ours/publish", {}).json()["state"] == "upcoming"
    other = Client()
    stranger, _key = make_officer(agency_other())
    other.force_login(stranger.user)
    assert post_json(other, f"{URL}/ours/close", {}).status_code == 403


def test_a_session_needs_the_csrf_token(city: Officer) -> None:
    make_consultation(city, "ours", phase="draft")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.user)
    assert post_json(strict, f"{URL}/ours/publish", {}).status_code in (401, 403)
