"""Proposals in a real headless Chromium: a signed-in citizen files a proposal, supports it,
sees the bar move; a visitor without an account is asked to sign in; English pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache

from pracha.citizens.models import CitizenToken
from pracha.citizens.services.tokens import do_issue_token
from pracha.citizens.sessions import SESSION_KEY
from pracha.proposals.models import Proposal
from pracha.web.browser import PHONE, block_outside, chromium_available
from tests.proposals.support import make_citizen

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (make test installs it)"
    ),
]


@pytest.fixture
def site(live_server: Any, pracha: Callable[..., None]) -> str:
    pracha(base_url=live_server.url, proposal_threshold=2)
    cache.clear()
    return str(live_server.url)


def page_for(browser: Any, site: str, language: str, session_key: str = "") -> Any:
    context = browser.new_context(viewport=PHONE, locale="th-TH" if language == "th" else "en-GB")
    context.set_default_timeout(15_000)
    block_outside(context, site)
    cookies = [{"name": "django_language", "value": language, "url": site}]
    if session_key:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": site})
    context.add_cookies(cookies)
    return context.new_page()


def signed_in_session() -> str:
    citizen, _raw = make_citizen()
    token, _ = do_issue_token(citizen, CitizenToken.Kind.WEB)
    store = SessionStore()
    store[SESSION_KEY] = token.pk
    store.create()
    return str(store.session_key)


def test_file_and_support_a_proposal(browser: Any, site: str) -> None:
    page = page_for(browser, site, "en", signed_in_session())
    page.goto(f"{site}/proposals/new/")
    page.get_by_test_id("proposal-title").fill("Shade trees along Rama IV Road")
    page.get_by_test_id("proposal-body").fill("Call me on 081-234-5678: the pavement is too hot.")
    # The pin is put on a map, as on the report form: a tap fills the coordinates.
    page.get_by_test_id("proposal-map").click()
    assert page.locator("#id_lat").input_value() and page.locator("#id_lon").input_value()
    assert "Pin placed at" in page.locator("#pin-status").inner_text()
    page.get_by_test_id("proposal-submit").click()
    page.wait_for_url(f"{site}/proposals/P-*/")
    proposal = Proposal.objects.get()
    assert proposal.lat is not None and 13 < proposal.lat < 14.2
    assert "081-234-5678" not in page.get_by_test_id("proposal-body").inner_text()
    assert page.get_by_test_id("proposal-state").inner_text() == "Collecting supports"
    page.get_by_test_id("support-button").click()
    page.get_by_test_id("supported").wait_for()
    assert page.get_by_test_id("support-count").inner_text() == "1"
    assert page.locator("progress.proposal-bar").get_attribute("value") == "1"

    visitor = page_for(browser, site, "th")
    visitor.goto(f"{site}/proposals/")
    visitor.get_by_test_id(f"proposal-{proposal.ref}").get_by_role("link").click()
    visitor.get_by_test_id("signin-to-support").wait_for()
    assert "/signin/" in (visitor.get_by_test_id("signin-to-support").get_attribute("href") or "")
