"""Reports filed through intake are counted by the next fold, which adds to the recurring places
(no recount per report): the incrementally kept tables must still equal a full rebuild, with
repeats at one place, and after a workflow change that takes facts back (which recounts)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services import citizen, workflow
from pracha.insights.models import RecurringPlace
from pracha.insights.store.pending import fold_pending
from pracha.insights.store.rebuild import rebuild
from pracha.tickets import citizen_token
from tests.insights.store.test_rollups_follow_workflow import table_contents

pytestmark = pytest.mark.django_db

TEXTS = ["ถนนเป็นหลุมใหญ่ รถตกหลุม", "น้ำท่วมขังหน้าบ้าน ระบายไม่ได้", "ไฟถนนดับทั้งซอย"]


def file(api: Client, text: str, lat: float, lon: float, categories: list[str]) -> Case:
    body = {"description": text, "lat": lat, "lon": lon, "categories": categories}
    response = api.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return Case.objects.get(ticket_id=response.json()["ticket_id"])


def test_repeated_reports_at_one_place_equal_a_rebuild(
    api: Client, bma: Agency, make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    cases = []
    for index in range(9):
        # Three spots a few metres apart (one H3 cell), and one across the city.
        lat, lon = (13.7563 + index % 3 * 1e-5, 100.5018) if index < 8 else (13.85, 100.6)
        categories = [["road"], ["flooding", "road"], []][index % 3]
        cases.append(file(api, TEXTS[index % 3], lat, lon, categories))
    citizen.do_me_too(cases[0])  # counts cases[0] at once; the fold finds it counted
    assert fold_pending() == 9
    place = RecurringPlace.objects.filter(category="road").order_by("-reported").first()
    assert place is not None and place.reported >= 5
    incremental = table_contents()
    rebuild()
    assert table_contents() == incremental

    # Taking facts back (closing, reopening) recounts the places it touches.
    officer, _ = make_officer(cases[1].agency)
    workflow.do_accept(cases[1], officer)
    workflow.do_close(cases[1], officer, "done", "fixed")
    citizen.do_reopen(cases[1], "still flooded", citizen_token(cases[1].ticket_id))
    cases.append(file(api, TEXTS[0], 13.7563, 100.5018, ["road"]))
    assert fold_pending() == 1
    incremental = table_contents()
    rebuild()
    assert table_contents() == incremental
