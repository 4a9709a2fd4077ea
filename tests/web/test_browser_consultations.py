"""A consultation in a real headless Chromium against a live server: an officer creates a
draft with questions and publishes it, a signed-in citizen answers and finds the answer
prefilled, changes it, the officer closes it, and anyone sees the results drawn as charts
(Chart.js from our own static files) with "what changed" still due; no page breaks the
Content-Security-Policy."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from pracha.agencies.models import Agency
from pracha.citizens import sessions
from pracha.consultations.models import Consultation, Response
from pracha.web.browser import LAPTOP, block_outside, chromium_available
from tests.consultations.support import make_citizen
from tests.factories import make_officer

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(), reason="chromium is not installed"),
]
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def site(live_server: Any, pracha: Callable[..., None]) -> str:
    pracha(base_url=live_server.url)
    cache.clear()
    return str(live_server.url)


def session_cookie(client: Client, site: str) -> dict[str, Any]:
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}


def officer_cookie(agency: Agency, site: str) -> dict[str, Any]:
    officer, _key = make_officer(agency, "planner")
    client = Client()
    client.force_login(officer.user)
    return session_cookie(client, site)


def citizen_cookie(site: str) -> dict[str, Any]:
    client = Client()
    request = client.get("/").wsgi_request
    sessions.sign_in(request, make_citizen())
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key or ""
    return session_cookie(client, site)


def page_for(browser: Any, site: str, cookie: dict[str, Any] | None) -> Any:
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    block_outside(context, site)
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    page.goto(site + "/")
    page.click("button[data-lang=en]")  # English pages, so the assertions read in English
    return page


def violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__violations || []"))


@pytest.mark.django_db(transaction=True)
def test_draft_publish_answer_change_close_and_see_charts(browser: Any, site: str) -> None:
    bma = Agency.objects.get(code="bma")
    office = page_for(browser, site, officer_cookie(bma, site))
    office.goto(site + "/office/consultations/")
    office.fill("#ref", "night-market")
    office.fill("#title_th", "ตลาดกลางคืน")
    office.fill("#title_en", "Night market")
    office.fill("#draft_th", "เปิดตลาดกลางคืนริมคลองทุกวันศุกร์")
    office.fill("#opens_at", "2020-01-01T08:00")
    office.fill("#closes_at", "2099-01-01T08:00")
    office.click("[data-testid=create-consultation]")
    office.wait_for_url(site + "/office/consultations/night-market/")
    office.select_option("#kind", "single")
    office.fill("#q_text_th", "ควรเปิดวันไหน")
    office.fill("#q_text_en", "Which day?")
    office.fill("#options", "ศุกร์ | Friday\nเสาร์ | Saturday")
    office.click("[data-testid=add-question]")
    office.select_option("#kind", "scale_1_5")
    office.fill("#q_text_th", "อยากให้มีแค่ไหน")
    office.fill("#q_text_en", "How much do you want it?")
    office.click("[data-testid=add-question]")
    office.click("[data-testid=publish]")
    assert "open" in office.text_content("[data-testid=office-phase]")
    assert violations(office) == []

    citizen = page_for(browser, site, citizen_cookie(site))
    citizen.goto(site + "/consultations/")
    citizen.click("text=Night market")
    citizen.wait_for_url(site + "/consultations/night-market/")
    citizen.check("[data-testid=question-1] input[value='1']")
    citizen.check("[data-testid=question-2] input[value='4']")
    citizen.check("[data-testid=notify]")
    citizen.click("[data-testid=send-answer]")
    assert "your answer is recorded" in citizen.text_content(".flash--success")
    assert citizen.is_checked("[data-testid=question-1] input[value='1']")  # prefilled
    citizen.check("[data-testid=question-1] input[value='0']")
    citizen.click("[data-testid=send-answer]")
    assert "Your answer is changed." in citizen.text_content(".flash--success")
    assert violations(citizen) == []
    [response] = Response.objects.filter(consultation__ref="night-market")
    assert response.answers.get(question__order=1).choices == [0]

    office.goto(site + "/office/consultations/night-market/")
    office.click("[data-testid=close]")
    assert Consultation.objects.get(ref="night-market").state == "closed"

    reader = page_for(browser, site, None)
    reader.goto(site + "/consultations/night-market/")
    reader.wait_for_selector("canvas[data-drawn='1']")  # Chart.js drew the results
    assert "1 person answered." in reader.text_content("[data-testid=results]")
    due = reader.text_content("[data-testid=changes-due]")
    assert "has not yet published what it changed; due" in due
    assert reader.locator("[data-testid=answer-form]").count() == 0
    csv = reader.request.get(site + "/api/v1/consultations/night-market/results.csv")
    assert csv.status == 200 and "Friday" in csv.text()
    assert violations(reader) == []
