"""The dashboard's consultation turnout panel: answers per agency, and changes overdue."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from pracha.agencies.models import Officer
from pracha.consultations.models import Consultation
from pracha.consultations.services import manage
from pracha.consultations.services.respond import do_respond
from tests.consultations.support import full_answers, make_citizen, make_consultation
from tests.helpers import english


def test_the_panel_shows_turnout_and_overdue_changes(
    api: Client, officer: tuple[Officer, str]
) -> None:
    city = officer[0]
    consultation = make_consultation(city)
    for n in range(2):
        do_respond(
            make_citizen(f"d{n}@example.org"),
            consultation,
            full_answers(consultation),
            notify=False,
        )
    manage.do_close_now(city, consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        changes_due_at=consultation.closes_at - timedelta(days=1)
    )
    html = english(api).get("/dashboard/").content.decode()
    panel = html.split('data-testid="consultation-turnout"', 1)[1].split("</section>", 1)[0]
    cells = [c.split("</td>")[0] for c in panel.split("<td>")[1:]]
    assert cells[1:] == ["1", "2", "2.0", "0", "1"]


def test_without_consultations_the_panel_says_so(api: Client, db: None) -> None:
    html = english(api).get("/dashboard/").content.decode()
    assert "No consultation has been published yet." in html
