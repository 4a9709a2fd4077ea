"""The report form on a phone and with a screen reader (issue 23.11): the number keypad for
the phone, hints tied to their fields, category suggestions from the text before any pin."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.intake import triage as intake
from tests.helpers import english, page_text
from tests.triage.support import KeywordClassifier

pytestmark = pytest.mark.django_db


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(
        rf'<(?:input|textarea|select|div|fieldset)\b[^>]*\bid="{element_id}"[^>]*>', html
    )
    assert found, element_id
    return found.group(0)


def test_the_phone_field_brings_up_the_number_keypad() -> None:
    phone = tag(Client().get("/report/").content.decode(), "id_phone")
    assert 'type="tel"' in phone
    assert 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone


def test_contact_fields_say_what_they_hold() -> None:
    html = Client().get("/report/").content.decode()
    assert 'autocomplete="name"' in tag(html, "id_name")
    email = tag(html, "id_email")
    assert 'type="email"' in email and 'autocomplete="email"' in email


def test_every_hint_is_tied_to_its_field() -> None:
    html = Client().get("/report/").content.decode()
    for field in ("id_description", "id_email", "id_photos"):
        described = re.search(r'aria-describedby="([^"]+)"', tag(html, field))
        assert described, field
        assert f"{field}_helptext" in described.group(1).split()
        assert f'id="{field}_helptext"' in html  # the id it names exists
    assert 'aria-describedby="map-hint pin-status"' in tag(html, "report-map")
    assert 'id="map-hint"' in html and 'id="pin-status"' in html
    assert 'aria-describedby="contact-hint"' in html and 'id="contact-hint"' in html


def test_an_error_is_tied_to_its_field_too() -> None:
    response = Client().post("/report/", {"description": "", "phone": "โทรหาฉัน"})
    assert response.status_code == 400
    html = response.content.decode()
    phone = tag(html, "id_phone")
    assert 'aria-invalid="true"' in phone
    assert re.search(r'aria-describedby="[^"]*\bid_phone_error\b', phone)
    assert html.count('id="id_phone_error"') == 1
    description = tag(html, "id_description")
    assert "id_description_helptext id_description_error" in description


def test_suggestions_are_asked_for_as_the_text_is_typed_and_sit_under_it() -> None:
    html = Client().get("/report/").content.decode()
    suggestions = tag(html, "suggestions")
    assert "input changed delay:800ms from:#id_description" in suggestions
    # Right after the description, before the category and the map.
    assert html.index('id="id_description"') < html.index('id="suggestions"')
    assert html.index('id="suggestions"') < html.index('id="id_category"')


@pytest.fixture
def keyword_model(pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Triage on, classifying with the keyword stand-in (ท่อ -> drains, ไฟ -> lighting)."""
    pracha(triage_on_intake=True)
    monkeypatch.setattr(intake, "get_classifier", KeywordClassifier)


def test_categories_are_suggested_from_the_text_without_a_pin(keyword_model: None) -> None:
    response = Client().post("/report/suggest/", {"description": "ท่อระบายน้ำอุดตันหน้าบ้าน"})
    assert response.status_code == 200
    assert 'data-set-category="drains"' in response.content.decode()
    assert "District" not in page_text(english_post({"description": "ท่อระบายน้ำอุดตันหน้าบ้าน"}))
    # Too little text to guess from: nothing, rather than a guess.
    assert Client().post("/report/suggest/", {"description": "ท่อ"}).content.strip() == b""


def test_without_a_model_there_is_nothing_to_suggest(pracha: Callable[..., None]) -> None:
    pracha(triage_on_intake=True)
    response = Client().post("/report/suggest/", {"description": "ท่อระบายน้ำอุดตันหน้าบ้าน"})
    assert response.status_code == 200
    assert response.content.strip() == b""


def english_post(data: dict[str, str]) -> Any:
    return english(Client()).post("/report/suggest/", data)
