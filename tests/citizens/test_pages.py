"""The account pages through Django's test client: /signin/ (address, then code), /me/ and
its forms, signing out; Thai by default and English, CSRF on every form."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.citizens.models import Citizen, CitizenToken, Consent, SignInCode
from pracha.citizens.services.consents import do_give_consent
from pracha.citizens.sessions import SESSION_KEY
from pracha.states import State
from tests.citizens.support import EMAIL, last_code, wrong
from tests.factories import BANGKOK, set_state
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> Callable[..., Client]:
    """A browser (its own cookies) whose owner reads `language`."""

    def make(language: str = "th") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Post the address form; the e-mail is sent on commit, as a real request would."""

    def post(client: Client, email: str = EMAIL, **extra: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/signin/", {"email": email, **extra})

    return post


@pytest.fixture
def signed_in(browser: Callable[..., Client], ask: Callable[..., Any]) -> Callable[..., Client]:
    def make(email: str = EMAIL, language: str = "th", client: Client | None = None) -> Client:
        client = client or browser(language)
        assert ask(client, email).status_code == 302
        response = client.post("/signin/code/", {"code": last_code(email)})
        assert response.status_code == 302, page_text(response)
        return client

    return make


def report(client: Client, description: str = "ไฟถนนดับหน้าบ้าน") -> Case:
    response = client.post(
        "/report/",
        {
            "description": description,
            "lat": str(BANGKOK["lat"]),
            "lon": str(BANGKOK["lon"]),
            "form_token": f"t-{description}",
        },
    )
    assert response.status_code == 302, page_text(response)
    return Case.objects.get(description=description)


def test_signing_in_with_a_code_in_thai(
    browser: Callable[..., Client], ask: Callable[..., Any]
) -> None:
    client = browser("th")
    page = client.get("/signin/")
    assert page.status_code == 200
    assert "เข้าสู่ระบบประชาของฉัน" in page_text(page)
    assert "no-cache" in page["Cache-Control"]

    sent = ask(client)

    assert sent.status_code == 302 and sent["Location"] == "/signin/code/"
    [message] = mail.outbox
    assert message.to == [EMAIL] and "รหัสสำหรับเข้าสู่ระบบประชาของคุณ" in message.body
    code_page = client.get("/signin/code/")
    assert "s***@example.org" in page_text(code_page)
    assert 'autocomplete="one-time-code"' in code_page.content.decode()
    before = client.session.session_key

    done = client.post("/signin/code/", {"code": last_code()})

    assert done.status_code == 302 and done["Location"] == "/me/"
    assert client.session.session_key != before  # a new session key at sign-in
    # The cookie lives as long as an idle sign-in does (30 days), not Django's two weeks.
    assert 30 * 86400 - 5 < int(done.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) <= 30 * 86400
    me = client.get("/me/")
    text = page_text(me)
    assert "ประชาของฉัน" in text and EMAIL in text
    assert "ยินดีต้อนรับสู่ประชา" in text
    assert Citizen.objects.get().language == "th"
    assert CitizenToken.objects.get().kind == "web"


def test_signing_in_in_english(
    browser: Callable[..., Client], ask: Callable[..., Any], signed_in: Callable[..., Client]
) -> None:
    client = browser("en")
    assert "Sign in to My Pracha" in page_text(client.get("/signin/"))
    signed_in(language="en", client=client)
    assert "My Pracha" in page_text(client.get("/me/"))
    assert 'lang="en"' in client.get("/me/").content.decode()
    assert Citizen.objects.get().language == "en"
    assert "Your code to sign in to Pracha" in mail.outbox[-1].body


def test_a_malformed_address_is_explained(browser: Callable[..., Client]) -> None:
    client = browser("en")
    response = client.post("/signin/", {"email": "not-an-address"})
    assert response.status_code == 400
    assert "This is not an e-mail address" in page_text(response)
    assert 'value="not-an-address"' in response.content.decode()  # what was typed is kept
    assert mail.outbox == []


def test_wrong_expired_and_locked_codes_are_explained(
    browser: Callable[..., Client], ask: Callable[..., Any]
) -> None:
    client = browser("en")
    ask(client)
    code = last_code()
    wrong_answer = client.post("/signin/code/", {"code": wrong(code)})
    assert wrong_answer.status_code == 400
    assert "This is not the code we sent" in page_text(wrong_answer)
    malformed = client.post("/signin/code/", {"code": "12"})
    assert "The code is the 6 digits from the e-mail" in page_text(malformed)
    for _ in range(4):
        client.post("/signin/code/", {"code": wrong(code)})
    locked = client.post("/signin/code/", {"code": code})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "Too many tries" in page_text(locked)
    assert SESSION_KEY not in client.session


def test_an_expired_code_says_so(browser: Callable[..., Client], ask: Callable[..., Any]) -> None:
    client = browser("th")
    ask(client)
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/signin/code/", {"code": last_code()})
    assert response.status_code == 400 and "รหัสนี้หมดอายุแล้ว" in page_text(response)


def test_too_many_codes_for_an_address_is_429(
    browser: Callable[..., Client], ask: Callable[..., Any]
) -> None:
    client = browser("en")
    statuses = [ask(client).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]


def test_the_code_page_needs_an_address_first(browser: Callable[..., Client]) -> None:
    response = browser().get("/signin/code/")
    assert response.status_code == 302 and response["Location"] == "/signin/"


@pytest.mark.parametrize(
    ("next_path", "lands"),
    [
        ("/report/", "/report/"),
        ("https://evil.example/", "/me/"),
        ("//evil.example/", "/me/"),
        ("/\\evil.example", "/me/"),
        ("/signin/", "/me/"),
    ],
)
def test_after_signing_in_only_a_path_on_this_site(
    browser: Callable[..., Client], ask: Callable[..., Any], next_path: str, lands: str
) -> None:
    client = browser()
    ask(client, next=next_path)
    response = client.post("/signin/code/", {"code": last_code()})
    assert response["Location"] == lands


def test_my_pracha_needs_a_signed_in_citizen(browser: Callable[..., Client]) -> None:
    response = browser().get("/me/")
    assert response.status_code == 302 and response["Location"] == "/signin/?next=/me/"
    for path in ("/me/export/",):
        assert browser().get(path).status_code == 302


def test_a_report_filed_signed_in_is_in_my_pracha(signed_in: Callable[..., Client]) -> None:
    client = signed_in()
    case = report(client)
    assert case.citizen is not None
    text = page_text(client.get("/me/"))
    assert case.ticket_id in text and "รอรับเรื่อง" in text
    assert f'href="/t/{case.ticket_id}/"' in client.get("/me/").content.decode()


def test_reports_of_this_browser_are_added_to_the_account(
    browser: Callable[..., Client], signed_in: Callable[..., Client]
) -> None:
    client = browser()
    case = report(client)  # filed before signing in
    assert case.citizen is None
    signed_in(client=client)
    page = client.get("/me/")
    assert f"claim-{case.ticket_id}" in page.content.decode()
    response = client.post("/me/cases/", {"ticket": case.ticket_id})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.citizen is not None
    assert f"claim-{case.ticket_id}" not in client.get("/me/").content.decode()


def test_a_report_of_another_browser_cannot_be_added(
    browser: Callable[..., Client], signed_in: Callable[..., Client]
) -> None:
    case = report(browser())
    client = signed_in(language="en", client=browser("en"))
    assert f"claim-{case.ticket_id}" not in client.get("/me/").content.decode()
    client.post("/me/cases/", {"ticket": case.ticket_id})
    case.refresh_from_db()
    assert case.citizen is None
    assert "Only reports filed from this browser" in page_text(client.get("/me/"))


def test_the_signed_in_reporter_rates_on_the_ticket_page(signed_in: Callable[..., Client]) -> None:
    case = report(signed_in())
    other_phone = signed_in(client=Client())  # no remembered report token there
    set_state(case.ticket_id, State.DONE)
    page = other_phone.get(f"/t/{case.ticket_id}/")
    assert 'data-testid="rate-form"' in page.content.decode()
    response = other_phone.post(f"/t/{case.ticket_id}/rate/", {"stars": "4", "comment": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stars == 4


def test_language_is_saved_and_the_pages_follow(signed_in: Callable[..., Client]) -> None:
    client = signed_in()
    response = client.post("/me/language/", {"language": "en"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Citizen.objects.get().language == "en"
    assert "Your language is saved." in page_text(client.get("/me/"))
    assert client.post("/me/language/", {"language": "fr"}).status_code == 302
    assert Citizen.objects.get().language == "en"


def test_e_mail_notifications_are_switched_off_and_on(signed_in: Callable[..., Client]) -> None:
    client = signed_in()
    assert "checked" in _email_box(client)  # on by default
    client.post("/me/notifications/", {})
    assert Citizen.objects.get().notification_settings.get(channel="email").enabled is False
    assert "checked" not in _email_box(client)
    client.post("/me/notifications/", {"email": "on"})
    assert Citizen.objects.get().notification_settings.get(channel="email").enabled is True
    assert "checked" in _email_box(client)


def _email_box(client: Client) -> str:
    html = client.get("/me/").content.decode()
    start = html.index('id="notify-email"')
    return html[start : html.index(">", start)]


def test_a_consent_is_listed_and_revoked(signed_in: Callable[..., Client], bma: Agency) -> None:
    client = signed_in(language="en", client=None)
    consent = do_give_consent(Citizen.objects.get(), "bma", ["address"], "Register the baby")
    page = page_text(client.get("/me/"))
    assert "Register the baby" in page and "Your home address" in page
    response = client.post(f"/me/consents/{consent.pk}/revoke/")
    assert response.status_code == 302
    assert Consent.objects.get().revoked_at is not None
    assert "may no longer use this data" in page_text(client.get("/me/"))
    assert client.post("/me/consents/999/revoke/").status_code == 302  # not theirs: a message


def test_the_export_downloads_as_json(signed_in: Callable[..., Client]) -> None:
    client = signed_in()
    case = report(client)
    response = client.get("/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pracha-my-data.json"'
    assert "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [c["ticket_id"] for c in data["cases"]] == [case.ticket_id]
    assert data["channels"][0]["address"] == EMAIL


def test_deleting_needs_the_box_ticked_then_the_account_is_gone(
    signed_in: Callable[..., Client],
) -> None:
    client = signed_in()
    case = report(client)
    refused = client.post("/me/delete/", {})
    assert refused.status_code == 302 and Citizen.objects.count() == 1
    done = client.post("/me/delete/", {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert Citizen.objects.count() == 0
    case.refresh_from_db()
    assert case.citizen is None  # the report stays
    assert client.get("/me/").status_code == 302  # nobody signed in any more


def test_signing_out(signed_in: Callable[..., Client]) -> None:
    client = signed_in()
    case = report(client)
    assert client.get("/signout/").status_code == 405
    response = client.post("/signout/")
    assert response.status_code == 302
    assert CitizenToken.objects.count() == 0
    assert client.get("/me/").status_code == 302
    # The browser still remembers the report it filed.
    assert case.ticket_id in page_text(client.get("/"))


def test_an_idle_web_sign_in_expires(signed_in: Callable[..., Client]) -> None:
    client = signed_in()
    CitizenToken.objects.update(last_used_at=timezone.now() - timedelta(days=31))
    assert client.get("/me/").status_code == 302
    assert SESSION_KEY not in client.session


def test_the_header_links_to_my_pracha(
    browser: Callable[..., Client], signed_in: Callable[..., Client]
) -> None:
    assert "เข้าสู่ระบบ" in page_text(browser().get("/report/"))
    client = signed_in()
    html = client.get("/report/").content.decode()
    assert 'data-testid="nav-me"' in html and "ประชาของฉัน" in page_text(client.get("/report/"))


@pytest.mark.parametrize(
    "path",
    ["/signin/", "/signin/code/", "/signout/", "/me/cases/", "/me/language/", "/me/delete/"],
)
def test_every_form_needs_its_csrf_token(signed_in: Callable[..., Client], path: str) -> None:
    client = signed_in()
    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"email": EMAIL, "confirm": "yes", "language": "en"})
    assert response.status_code == 403
    assert Citizen.objects.count() == 1
