"""How automatic sorting decided, in plain words for citizens (issue 23.6); officers and the
API's note keep the technical detail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from tests.helpers import case_url, english, page_text, post_json
from tests.triage.support import BANG_RAK, KeywordClassifier

pytestmark = pytest.mark.django_db
MakeOfficer = Callable[..., tuple[Officer, str]]


@pytest.fixture
def triaged(api: Client, model: KeywordClassifier) -> str:
    body = {"description": "ถนนเป็นหลุมลึกหน้าซอย", **BANG_RAK}
    response = post_json(api, "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    return str(response.json()["ticket_id"])


def test_the_page_explains_sorting_in_plain_words(triaged: str) -> None:
    thai = page_text(Client().get(f"/t/{triaged}/"))
    assert "ส่งไปที่เขตบางรัก เพราะเรื่องในเขตบางรักอยู่ในความรับผิดชอบของสำนักงานเขต" in thai
    assert "ระบบเสนอให้อัตโนมัติจากคำบรรยาย (ความมั่นใจสูง)" in thai
    assert "ระบบคัดแยกอัตโนมัติ" in thai
    text = page_text(english(Client()).get(f"/t/{triaged}/"))
    assert "are handled by the district office" in text
    assert "suggested automatically from the description (confidence high)" in text
    technical_words = ("rule #", "seed rule", "classifier:", "0.90", "Pracha triage", "->", "data/")
    for technical in technical_words:
        assert technical not in thai and technical not in text, technical


def test_the_api_keeps_the_technical_note_and_adds_the_explanation(
    api: Client, triaged: str
) -> None:
    event = next(e for e in api.get(case_url(triaged)).json()["timeline"] if e["kind"] == "triaged")
    assert "ถนน 0.90" in event["note"]  # the technical detail, as before
    assert event["explanation_th"].startswith("ส่งไปที่เขตบางรัก")
    assert "(confidence high)" in event["explanation_en"]
    assert event["actor_kind"] == "system"


def test_officers_still_see_the_technical_note(
    triaged: str, make_officer: MakeOfficer, client: Client
) -> None:
    agency = Agency.objects.get(name_th="เขตบางรัก")
    me, _key = make_officer(agency, "ux-bangrak")
    client.force_login(me.user)
    response = client.get(f"/office/case/{triaged}/")
    assert response.status_code == 200
    assert "ถนน 0.90" in response.content.decode()
