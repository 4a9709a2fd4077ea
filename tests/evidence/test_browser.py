"""In a real headless Chromium: a supervisor finds a suspect closing on the list in /office/,
sees why, and judges it; the public page tells citizens (Thai and English) that the
after-photo is under review, then what the supervisor found. Pages run under the site's
strict Content-Security-Policy, so a script or style inline would be refused here."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from pracha.agencies.models import Officer
from pracha.cases.models import Case, Photo
from pracha.evidence.models import PhotoCheck
from pracha.web.browser import LAPTOP, PHONE, block_outside, chromium_available
from tests.evidence.photos import encode, photo
from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM beside Playwright's loop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(), reason="chromium is not installed"),
]


@pytest.fixture
def site(live_server: Any, pracha: Callable[..., None]) -> str:
    pracha(base_url=live_server.url, map_tiles="http://127.0.0.1:9/{z}/{x}/{y}.png")
    cache.clear()
    return str(live_server.url)


@pytest.fixture
def new_page(browser: Any, site: str) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []
    refused: list[str] = []

    def make(language: str = "th", viewport: dict[str, int] = PHONE) -> Any:
        context = browser.new_context(
            viewport=viewport, locale="th-TH" if language == "th" else "en-GB"
        )
        context.set_default_timeout(15_000)
        block_outside(context, site)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert refused == []


def test_a_supervisor_reviews_a_suspect_closing_and_citizens_see_it(
    new_page: Callable[..., Any],
    site: str,
    new_case: Callable[..., Case],
    add_photo: Callable[..., Photo],
    close_with: Callable[..., PhotoCheck],
    supervisor: tuple[Officer, str],
) -> None:
    case = new_case()
    add_photo(case, encode(photo("china")))
    check = close_with(case, encode(photo("china"), quality=40))
    assert check.status == PhotoCheck.Status.SUSPECT
    ticket = case.ticket_id

    citizen = new_page("th")
    citizen.goto(f"{site}/t/{ticket}/")
    note = citizen.locator("[data-testid=after-photo-under-review]")
    assert "อยู่ระหว่างการตรวจสอบ" in note.text_content()
    assert citizen.locator("[data-testid=photos-after] img").count() == 1

    chief = new_page("en", LAPTOP)
    chief.goto(f"{site}/office/")
    chief.fill("#id_username", supervisor[0].user.username)
    chief.fill("#id_password", PASSWORD)
    chief.click("main button[type=submit]")
    chief.wait_for_url(f"{site}/office/")
    chief.click("[data-testid=photo-checks-link]")
    chief.wait_for_url(f"{site}/office/photo-checks/")
    item = chief.locator(f"[data-testid=photo-check][data-ticket='{ticket}']")
    assert "Looks like the photo from before the work" in item.text_content()
    assert item.locator("img").count() == 2  # before and after side by side
    item.locator("input[name=note]").fill("Same spot, nothing repaired")
    item.locator("[data-testid=verdict-not-genuine]").click()
    chief.wait_for_selector("[data-testid=photo-checks-empty]")
    assert f"Review of {ticket} saved." in chief.text_content(".flash--success")

    english = new_page("en")
    english.goto(f"{site}/t/{ticket}/")
    assert "does not show the fix" in english.text_content("[data-testid=after-photo-not-genuine]")
    assert english.locator("[data-testid=after-photo-under-review]").count() == 0
