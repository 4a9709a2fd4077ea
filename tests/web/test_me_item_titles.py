""" "My Pracha" (/me/): the sections other apps add (consultations answered) carry a heading in
the page's language, never the bare key."""

from __future__ import annotations

import re

from django.test import Client

from pracha.agencies.models import Officer
from pracha.consultations.services.respond import do_respond
from tests.consultations.support import full_answers, make_citizen, make_consultation
from tests.proposals.support import web_client


def heading_of(client: Client, section: str) -> str:
    html = client.get("/me/").content.decode()
    found = re.search(rf'data-testid="items-{section}">\s*<h2>([^<]*)</h2>', html)
    assert found is not None, html
    return found.group(1)


def test_the_consultations_heading_is_translated(officer: tuple[Officer, str]) -> None:
    consultation = make_consultation(officer[0])
    citizen = make_citizen("me@example.org")
    do_respond(citizen, consultation, full_answers(consultation), notify=False)
    assert heading_of(web_client(citizen, "th"), "consultations") == "การรับฟังความคิดเห็นที่คุณตอบแล้ว"
    assert heading_of(web_client(citizen, "en"), "consultations") == "Consultations you answered"
