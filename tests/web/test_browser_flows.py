"""The whole story in a real headless Chromium against a live server.

A citizen files a report with a pin and a photo; an officer forwards it; the receiving
officer closes it with an after-photo; another citizen says "me too"; the reporter rates it,
reads the e-mails and unsubscribes; the page switches between Thai and English; mistakes
and an expired form are explained with what was typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Photo
from pracha.web.browser import LAPTOP, PHONE, block_outside, chromium_available
from tests.factories import PASSWORD
from tests.helpers import image_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (make test installs it)"
    ),
]
TICKET_URL = re.compile(r"/t/\d{4}-[A-Z0-9]+/$")


@pytest.fixture
def site(live_server: Any, pracha: Callable[..., None]) -> str:
    pracha(base_url=live_server.url)
    cache.clear()
    return str(live_server.url)


@pytest.fixture
def new_page(browser: Any, site: str) -> Iterator[Callable[..., Any]]:
    """A fresh browser (its own cookies) whose owner reads `language` (a Thai or an English
    phone), offline but for `site`."""
    contexts: list[Any] = []

    def make(language: str = "th", viewport: dict[str, int] = PHONE) -> Any:
        locale = "th-TH" if language == "th" else "en-GB"
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(15_000)
        block_outside(context, site)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def png(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": image_bytes(size=(320, 240))}


def file_report(page: Any, site: str, description: str, email: str = "") -> str:
    """Fill the report form like a person: text, a tap on the map, a photo. The ticket id."""
    page.goto(site + "/report/")
    page.fill("#id_description", description)
    page.click("#report-map", position={"x": 120, "y": 120})
    assert page.input_value("#id_lat") and page.input_value("#id_lon")
    page.set_input_files("#id_photos", files=[png("pothole.png")])
    page.wait_for_selector("[data-photo-preview] img")
    if email:
        page.fill("#id_email", email)
    page.click("[data-testid=send-report]")
    page.wait_for_url(TICKET_URL)
    return str(page.text_content("[data-testid=ticket-id]")).strip()


def sign_in(page: Any, site: str, username: str) -> None:
    page.goto(site + "/office/")
    assert "/office/login/" in page.url  # the back office asks who you are
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(site + "/office/")


def test_a_citizen_files_a_report_with_a_pin_and_a_photo(
    new_page: Callable[..., Any], site: str
) -> None:
    page = new_page("th")
    ticket = file_report(page, site, "หลุมลึกกลางถนนหน้าปากซอย 5", "somsri@example.org")
    assert "หลุมลึกกลางถนนหน้าปากซอย 5" in page.text_content("[data-testid=description]")
    assert page.text_content("[data-testid=state]").strip() == "รอรับเรื่อง"
    assert f"เลขที่เรื่องของคุณคือ {ticket}" in page.text_content(".flash--success")
    assert page.locator("[data-testid=photos-before] img").count() == 1
    assert page.get_attribute("#ticket-map", "data-pin-count") == "1"
    assert "somsri@example.org" not in page.content()
    case = Case.objects.get(ticket_id=ticket)
    assert case.source == Case.Source.WEB and case.lat is not None
    assert case.photos.filter(kind=Photo.Kind.BEFORE).count() == 1
    assert [m.to for m in mail.outbox] == [["somsri@example.org"]]


def test_forward_close_with_after_photo_me_too_rate_and_the_reporters_e_mails(
    new_page: Callable[..., Any],
    site: str,
    make_officer: Callable[..., tuple[Officer, str]],
    make_agency: Callable[..., Agency],
) -> None:
    citizen = new_page("th")
    ticket = file_report(citizen, site, "ไฟถนนดับทั้งซอย มืดมาก", "somsri@example.org")
    case = Case.objects.get(ticket_id=ticket)
    make_officer(case.agency, "desk")
    works = make_agency("bma-works-test", "สำนักการโยธา (ทดสอบ)")
    make_officer(works, "works")

    # The first officer forwards it to the agency that is really responsible.
    desk = new_page("th", LAPTOP)
    sign_in(desk, site, "desk")
    desk.click(f"text={ticket}")
    desk.click("summary:has-text('ส่งต่อให้หน่วยงานอื่น')")
    desk.select_option("#forward-agency", works.code)
    desk.fill("#forward-reason", "ไฟถนนสายหลักเป็นงานของสำนักการโยธา")
    desk.click("[data-testid=forward]")
    assert "ส่งต่อให้ สำนักการโยธา (ทดสอบ) แล้ว" in desk.text_content(".flash--success")
    assert desk.text_content("[data-testid=office-state]").strip() == "ส่งต่อ"

    # Another citizen has the same problem.
    neighbour = new_page("th")
    neighbour.goto(f"{site}/t/{ticket}/")
    neighbour.click("[data-testid=me-too]")
    assert "อีก 1 คน" in neighbour.text_content("[data-testid=me-too-count]")

    # The receiving officer accepts and closes it with an after-photo.
    officer = new_page("en", LAPTOP)
    sign_in(officer, site, "works")
    assert ticket in officer.text_content("[data-testid=inbox]")
    officer.click(f"text={ticket}")
    officer.click("[data-testid=accept]")
    officer.click("summary:has-text('Close')")
    officer.check("input[name=outcome][value=done]")
    officer.set_input_files("#close-photo", files=[png("fixed.png")])
    officer.fill("#close-note", "Replaced the lamps")
    officer.click("[data-testid=close]")
    assert officer.text_content("[data-testid=office-state]").strip() == "Done"
    assert officer.locator("[data-testid=photos-after] img").count() == 1

    # The reporter sees the result and rates it.
    citizen.goto(f"{site}/t/{ticket}/")
    assert citizen.text_content("[data-testid=state]").strip() == "เสร็จสิ้น"
    assert citizen.locator("[data-testid=photos-after] img").count() == 1
    assert "Replaced the lamps" in citizen.text_content("[data-testid=timeline]")
    citizen.click("label[for=star-4]")
    citizen.fill("#rate-comment", "เร็วมาก ขอบคุณครับ")
    citizen.click("[data-testid=rate-form] button[type=submit]")
    assert "ขอบคุณที่ให้คะแนน" in citizen.text_content(".flash--success")
    assert citizen.text_content("[data-testid=stars]").strip() == "★★★★☆"

    # The reporter's e-mails: the receipt, then each public change, in Thai.
    to_reporter = [m for m in mail.outbox if m.to == ["somsri@example.org"]]
    subjects = [m.subject for m in to_reporter]
    assert len(to_reporter) == 4, subjects
    assert "ส่งต่อให้หน่วยงานอื่น" in subjects[1]
    assert "หน่วยงานรับเรื่องแล้ว" in subjects[2]
    assert "ปิดเรื่อง" in subjects[3]
    closed = to_reporter[-1].body
    assert f"{site}/t/{ticket}/" in closed
    assert "ให้คะแนนผลงาน" in closed

    # One click from the e-mail stops them.
    link = re.search(r"(http://\S+/unsubscribe/\S+/)", closed)
    assert link
    citizen.goto(link.group(1))
    citizen.click("[data-testid=unsubscribe]")
    assert ticket in citizen.text_content("[data-testid=unsubscribed]")


def test_the_thai_english_switch(new_page: Callable[..., Any], site: str) -> None:
    page = new_page("th", LAPTOP)
    ticket = file_report(page, site, "ต้นไม้ล้มขวางทางเท้า")
    page.goto(f"{site}/t/{ticket}/")
    assert page.get_attribute("html", "lang") == "th"
    assert "แจ้งปัญหา" in page.text_content("header")
    thai_year = str(Case.objects.get(ticket_id=ticket).created_at.year + 543)
    assert thai_year in page.text_content(".facts")
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.url.endswith(f"/t/{ticket}/")  # the same page, now in English
    assert "Report a problem" in page.text_content("header")
    assert page.text_content("[data-testid=state]").strip() == "Waiting"
    assert thai_year not in page.text_content(".facts")
    page.click("button[data-lang=th]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "th"


def test_mistakes_are_explained_and_the_text_kept(new_page: Callable[..., Any], site: str) -> None:
    page = new_page("en")
    page.goto(site + "/report/")
    page.set_input_files(
        "#id_photos",
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo"}],
    )
    assert "notes.txt is not a photo" in page.text_content("[data-photo-error]")
    page.set_input_files("#id_photos", files=[])
    page.fill("#id_description", "Flooded soi after every rain")
    page.click("[data-testid=send-report]")  # no pin yet
    page.wait_for_load_state()
    assert "Please put a pin on the map." in page.text_content("#error-summary")
    assert page.input_value("#id_description") == "Flooded soi after every rain"
    assert Case.objects.count() == 0


def test_an_expired_form_can_be_sent_again(new_page: Callable[..., Any], site: str) -> None:
    page = new_page("th")
    page.goto(site + "/report/")
    page.fill("#id_description", "ฝาท่อหายหน้าตลาด")
    page.click("[data-pin-centre]")
    page.context.clear_cookies()  # the session and its form token are gone
    page.click("[data-testid=send-report]")
    page.wait_for_load_state()
    assert "หน้านี้เปิดไว้นานเกินไป" in page.text_content("#error-summary")
    assert page.input_value("#id_description") == "ฝาท่อหายหน้าตลาด"
    page.click("[data-testid=send-report]")  # the pin was kept too
    page.wait_for_url(TICKET_URL)
    assert Case.objects.filter(description="ฝาท่อหายหน้าตลาด").count() == 1
