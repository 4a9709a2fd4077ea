"""Citizen accounts in a real headless Chromium against a live server: sign in through the
pages with the code read from the mail file, file a report signed in and find it in "My
Pracha", switch to English, sign out; no page breaks the Content-Security-Policy."""

from __future__ import annotations

import email
import os
import re
from collections.abc import Callable, Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from pracha.cases.models import Case
from pracha.citizens.models import Citizen
from pracha.web.browser import PHONE, block_outside, chromium_available
from tests.citizens.support import EMAIL, wrong

# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are
# plain synchronous code (as in tests/web/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(), reason="chromium is not installed"),
]
TICKET_URL = re.compile(r"/t/\d{4}-[A-Z0-9]+/$")
# What the policy refused on each page (the security-headers test watches the same way).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def mail_dir(settings: Any, tmp_path: Path) -> Path:
    """Messages land as files, as in the demo ($PRACHA_VAR_DIR/mail/)."""
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = folder
    return folder


@pytest.fixture
def site(live_server: Any, pracha: Callable[..., None], mail_dir: Path, media: Any) -> str:
    pracha(base_url=live_server.url, map_tiles="http://127.0.0.1:9/{z}/{x}/{y}.png")
    cache.clear()
    return str(live_server.url)


@pytest.fixture
def phone(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    block_outside(context, site)
    yield context.new_page()
    context.close()


def code_from_mail_file(folder: Path, address: str) -> str:
    """The code in the newest message to `address` among the files the backend wrote."""
    found = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
        for raw in path.read_bytes().split(b"-" * 79):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw.strip(), policy=policy.default)
            if message["To"] == address:
                body = message.get_body(preferencelist=("plain",)).get_content()
                found.append(re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1))
    assert found, f"no mail to {address} in {list(folder.iterdir())}"
    return found[-1]


def violations(page: Any) -> list[str]:
    page.wait_for_timeout(0)
    return list(page.evaluate("window.__violations || []"))


def test_sign_in_file_a_report_see_it_in_my_pracha_and_sign_out(
    phone: Any, site: str, mail_dir: Path
) -> None:
    page = phone
    page.goto(site + "/")
    page.click("[data-testid=nav-me]")  # "เข้าสู่ระบบ" in the header
    page.wait_for_url(re.compile(r"/signin/\?next=/me/$"))
    assert "เข้าสู่ระบบประชาของฉัน" in page.text_content("h1")
    assert violations(page) == []

    page.fill("#signin-email", EMAIL)
    page.click("[data-testid=send-code]")
    page.wait_for_url(site + "/signin/code/")
    assert "s***@example.org" in page.text_content("[data-testid=code-sent-to]")
    assert violations(page) == []

    page.fill("#signin-code", wrong(code_from_mail_file(mail_dir, EMAIL)))
    page.click("[data-testid=confirm-code]")
    assert "รหัสไม่ตรงกับที่เราส่งไป" in page.text_content("[data-testid=signin-error]")
    page.fill("#signin-code", code_from_mail_file(mail_dir, EMAIL))
    page.click("[data-testid=confirm-code]")
    page.wait_for_url(site + "/me/")
    assert "ยินดีต้อนรับสู่ประชา" in page.text_content(".flash--success")
    assert EMAIL in page.text_content("[data-testid=me-email]")
    assert "ประชาของฉัน" in page.text_content("[data-testid=nav-me]")
    assert violations(page) == []

    # A report filed while signed in is in My Pracha, with its state and a link.
    page.goto(site + "/report/")
    page.fill("#id_description", "ทางเท้าทรุดหน้าตลาด")
    page.click("#report-map", position={"x": 120, "y": 120})
    page.click("[data-testid=send-report]")
    page.wait_for_url(TICKET_URL)
    ticket = str(page.text_content("[data-testid=ticket-id]")).strip()
    assert Case.objects.get(ticket_id=ticket).citizen == Citizen.objects.get()
    page.goto(site + "/me/")
    mine = page.locator("[data-testid=my-cases]")
    assert ticket in mine.text_content()
    assert "รอรับเรื่อง" in mine.text_content()
    mine.locator(f"a[href='/t/{ticket}/']").click()
    page.wait_for_url(site + f"/t/{ticket}/")

    # The same pages in English.
    page.goto(site + "/me/")
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.text_content("h1").strip() == "My Pracha"
    assert "Waiting" in page.text_content("[data-testid=my-cases]")

    # Signing out: back to the home page, the account page asks to sign in again.
    page.click("[data-testid=sign-out]")
    page.wait_for_url(site + "/")
    assert "You are signed out." in page.text_content(".flash--success")
    assert page.text_content("[data-testid=nav-me]").strip() == "Sign in"
    page.goto(site + "/me/")
    assert "/signin/" in page.url
    assert violations(page) == []


def test_delete_the_account_from_the_page(phone: Any, site: str, mail_dir: Path) -> None:
    page = phone
    page.goto(site + "/signin/")
    page.fill("#signin-email", EMAIL)
    page.click("[data-testid=send-code]")
    page.wait_for_url(site + "/signin/code/")
    page.fill("#signin-code", code_from_mail_file(mail_dir, EMAIL))
    page.click("[data-testid=confirm-code]")
    page.wait_for_url(site + "/me/")
    page.click("summary:has-text('ลบบัญชีของฉัน')")
    page.click("[data-testid=delete-account]")  # the box is not ticked: the browser stops it
    assert page.url == site + "/me/" and Citizen.objects.count() == 1
    page.check("#delete-confirm")
    page.click("[data-testid=delete-account]")
    page.wait_for_url(site + "/")
    assert "ลบบัญชีของคุณแล้ว" in page.text_content(".flash--success")
    assert Citizen.objects.count() == 0
