"""A life-event journey in a real headless Chromium against a live server: the public guide,
signing in, starting a birth journey, recording and sending steps, telling a fact, what was
shared with whom and revoking it; no page breaks the Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pracha.agencies.seed import ensure_known_agencies
from pracha.cases.models import Case, CaseKind
from pracha.lifeevents.loader import load_life_events
from pracha.lifeevents.models import FactConsent
from pracha.web.browser import chromium_available
from tests.citizens.support import EMAIL
from tests.citizens.test_browser_accounts import (  # noqa: F401
    code_from_mail_file,
    mail_dir,
    phone,
    site,
    violations,
)
from tests.lifeevents.support import days_ago

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not chromium_available(), reason="chromium is not installed"),
]


@pytest.fixture
def journeys_loaded(transactional_db: None) -> None:
    ensure_known_agencies()  # a live-server test starts from flushed tables
    load_life_events()


def test_a_parent_follows_the_birth_journey(
    phone: Any,  # noqa: F811
    site: str,  # noqa: F811
    mail_dir: Path,  # noqa: F811
    journeys_loaded: None,
) -> None:
    page = phone
    page.goto(site + "/life/")
    assert "มีลูก (กรุงเทพฯ)" in page.text_content("[data-testid=life-events]")
    page.click("[data-testid=life-birth] a")
    page.wait_for_url(site + "/life/birth/")
    guide = page.text_content("[data-testid=guide-steps]")
    assert "แจ้งเกิดที่สำนักงานเขต" in guide and "ภายใน 15 วันนับจากเหตุการณ์" in guide
    assert violations(page) == []

    page.click("[data-testid=start] a")  # sign in, then back to the guide
    page.wait_for_url(re.compile(r"/signin/\?next=/life/birth/$"))
    page.fill("#signin-email", EMAIL)
    page.click("[data-testid=send-code]")
    page.wait_for_url(site + "/signin/code/")
    page.fill("#signin-code", code_from_mail_file(mail_dir, EMAIL))
    page.click("[data-testid=confirm-code]")
    page.wait_for_url(site + "/life/birth/")

    page.fill("[data-testid=anchor-date]", days_ago(3).isoformat())
    page.click("[data-testid=start-journey]")
    page.wait_for_url(re.compile(r"/me/journeys/\d+/$"))
    assert "ทำแล้ว 0 จาก 15 ขั้นตอน" in page.text_content("[data-testid=progress]")
    assert violations(page) == []

    page.select_option("#fact-key", "parent_national_id")
    page.fill("#fact-value", "1103700012345")
    page.click("[data-testid=tell-fact]")
    page.wait_for_selector("text=บันทึกครั้งเดียว ใช้ได้กับทุกขั้นตอน")
    page.click("[data-testid=submit-birth-certificate]")
    page.wait_for_selector("text=บันทึกว่าทำแล้ว")
    page.click("[data-testid=submit-birth-registration]")
    page.wait_for_selector("[data-testid=step-birth-registration] [data-testid=ticket]")
    ticket = page.text_content("[data-testid=step-birth-registration] [data-testid=ticket]")
    request = Case.all_kinds.get(ticket_id=str(ticket).strip())
    assert request.kind == CaseKind.SERVICE_REQUEST and "1103700012345" in request.description

    shared = page.locator("[data-testid=shared]")
    assert "parent_national_id" in shared.text_content()
    consent = FactConsent.objects.get(fact="parent_national_id")
    page.click(f"[data-testid=revoke-{consent.pk}]")
    page.wait_for_selector(f"[data-testid=shared-{consent.pk}] [data-testid=revoked]")
    assert violations(page) == []

    # The request is nobody's business but the agency's: no public page shows it.
    response = page.goto(site + f"/t/{request.ticket_id}/")
    assert response is not None and response.status == 404
