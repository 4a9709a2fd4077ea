"""Officer tests in a real headless Chromium: an officer signs in, takes the quick test to the
end in Thai and sees the result; the public live board shows it (and refreshes itself) without
a name; the pages switch to English. No Content-Security-Policy violation on the way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from pracha.agencies.models import Agency, Officer
from pracha.competency.bank.seed import seed
from pracha.competency.models import Session
from pracha.web.browser import LAPTOP, PHONE, block_outside, chromium_available
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (make test installs it)"
    ),
]


@pytest.fixture
def site(live_server: Any, pracha: Callable[..., None]) -> str:
    pracha(base_url=live_server.url)
    cache.clear()
    seed()
    return str(live_server.url)


@pytest.fixture
def new_page(browser: Any, site: str) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []
    problems: list[str] = []

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
            lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == []


def sign_in(page: Any, site: str, username: str) -> None:
    page.goto(site + "/office/tests/")
    assert "/office/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(site + "/office/tests/")


def test_an_officer_takes_a_test_and_the_public_board_shows_it(
    new_page: Callable[..., Any],
    site: str,
    bma: Agency,
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    make_officer(bma, "somchai")
    page = new_page("th", LAPTOP)
    sign_in(page, site, "somchai")
    assert "แบบทดสอบเจ้าหน้าที่" in page.text_content("h1")
    page.click("[data-testid=start-quick]")
    page.wait_for_selector("[data-testid=test-item]")
    assert page.text_content("[data-testid=progress]").strip().startswith("ข้อ 1 จาก 5")
    clock = page.text_content("[data-testid=time-left]").strip()
    assert clock in {"10:00", "9:59", "9:58"}

    # The public board, in another browser, sees a running test, no name.
    public = new_page("th")
    public.goto(site + "/tests/live/")
    assert "กำลังสอบ" in public.text_content("[data-testid=live-board]")
    assert "somchai" not in public.content()

    for n in range(5):
        assert page.text_content("[data-testid=progress]").strip().startswith(f"ข้อ {n + 1}")
        page.check("input[name=choice] >> nth=0")
        page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=result]")
    verdict = page.text_content("[data-testid=verdict]").strip()
    assert verdict in {"ผ่าน", "ไม่ผ่าน"}
    session = Session.objects.get(officer__user__username="somchai")
    assert session.finished_at is not None and session.answered == 5
    assert page.text_content("[data-testid=score]").strip() == f"{session.score:g}"
    assert page.locator("[data-testid=parts] tbody tr").count() == 3

    # The board refreshes itself (htmx, every 10 s) and now shows the result.
    public.wait_for_function(
        "() => !document.querySelector('[data-testid=live-board]').textContent.includes('กำลังสอบ')",
        timeout=20_000,
    )
    assert verdict in public.text_content("[data-testid=live-board]")
    assert "somchai" not in public.content()

    # The same pages in English.
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    page.goto(site + "/office/tests/")
    assert "Officer tests" in page.text_content("h1")
    assert page.locator("[data-testid=history] tbody tr").count() == 1


def test_a_test_in_english_on_a_phone_ended_early(
    new_page: Callable[..., Any],
    site: str,
    bma: Agency,
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    make_officer(bma, "jane")
    page = new_page("en")
    sign_in(page, site, "jane")
    page.click("[data-testid=start-practice]")
    page.wait_for_selector("[data-testid=test-item]")
    assert page.text_content("[data-testid=progress]").strip() == "Question 1 of 40"
    page.check("input[name=choice] >> nth=1")
    page.click("[data-testid=next]")
    assert page.text_content("[data-testid=progress]").strip() == "Question 2 of 40"
    page.click("[data-testid=end-test]")
    page.wait_for_selector("[data-testid=result]")
    assert "1 question answered" in page.text_content("[data-testid=result]")
    assert page.text_content("[data-testid=verdict]").strip() == "Not passed"
