"""The reporter's way back, on a phone (390 px): after sending, the page shows the number and
the private link with copy buttons; the link opens the report in another browser (no cookies),
where the reporter rates and reopens it from the box at the top (#feedback, as e-mails link).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from pracha.agencies.models import Officer
from pracha.cases.models import Case, Event
from pracha.cases.services.workflow import do_accept, do_close
from pracha.web.browser import PHONE, chromium_available
from tests.web.test_browser_flows import file_report, new_page, site  # noqa: F401

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (make test installs it)"
    ),
]


def in_first_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    # A jump to an anchor leaves the box at y=0 give or take a sub-pixel.
    return box is not None and -1 <= box["y"] < PHONE["height"]


def test_the_private_link_brings_the_reporter_back_in_a_fresh_browser(
    new_page: Callable[..., Any],  # noqa: F811
    site: str,  # noqa: F811
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    phone = new_page("th")
    ticket = file_report(phone, site, "ท่อประปาแตกน้ำไหลนองถนน", "somsri@example.org")

    # The page after sending: number and private link, copyable, with a warning.
    assert phone.input_value("#filed-ticket") == ticket
    link = phone.input_value("#private-link")
    assert re.fullmatch(rf"{re.escape(site)}/t/{ticket}/\?k=\S+", link), link
    assert "เก็บลิงก์นี้ไว้เป็นความลับ" in phone.text_content("[data-testid=submitted]")
    assert "s***@example.org" in phone.text_content("[data-testid=emailed]")
    assert "somsri@example.org" not in phone.content()
    assert in_first_screen(phone, "#private-link")
    phone.click("[data-copy=private-link]")  # shown because JavaScript runs
    phone.wait_for_selector("#private-link-status:not(:empty)")
    # Nothing sticks out sideways on a phone (a long link included).
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    case = Case.objects.get(ticket_id=ticket)
    officer, _ = make_officer(case.agency)
    do_accept(case, officer)
    do_close(case, officer, "done", "ซ่อมท่อเรียบร้อย")

    # Another browser, no cookies: the report is public, the box is not...
    other = new_page("th")
    other.goto(f"{site}/t/{ticket}/")
    assert other.locator("#feedback").count() == 0
    # ...until the private link is opened; the key then leaves the address bar.
    other.goto(link)
    assert other.url == f"{site}/t/{ticket}/"
    assert in_first_screen(other, "[data-testid=rate-form]")
    other.click("label[for=star-5]")
    other.click("[data-testid=rate-form] button[type=submit]")
    assert "ขอบคุณที่ให้คะแนน" in other.text_content(".flash--success")

    # The e-mail's link lands on the box too, in yet another browser; reopen from there.
    closed = [m for m in mail.outbox if m.to == ["somsri@example.org"]][-1]
    assert f"{link}#feedback" in closed.body
    third = new_page("th")
    third.goto(f"{link}#feedback")
    assert third.url.endswith(f"/t/{ticket}/#feedback")
    assert in_first_screen(third, "#feedback")
    third.click("#feedback details summary")
    third.fill("#reopen-reason", "น้ำยังไหลอยู่ที่เดิม")
    third.click("#feedback details button[type=submit]")
    third.wait_for_load_state()
    case.refresh_from_db()
    assert case.stars == 5
    assert Event.objects.filter(case=case, kind=Event.Kind.REOPENED).exists()
    assert "น้ำยังไหลอยู่ที่เดิม" in third.text_content("[data-testid=timeline]")
