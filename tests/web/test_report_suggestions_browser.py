"""In a real browser: typing a description shows category suggestions before any pin, right
under the description (issue 23.11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pracha.intake import triage as intake
from pracha.web.browser import PHONE
from tests.triage.support import KeywordClassifier
from tests.web.test_browser_flows import new_page, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_typing_a_description_shows_suggestions_without_a_pin(
    new_page: Callable[..., Any],  # noqa: F811
    site: str,  # noqa: F811
    pracha: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pracha(triage_on_intake=True)
    monkeypatch.setattr(intake, "get_classifier", KeywordClassifier)
    page = new_page("th", PHONE)
    page.goto(site + "/report/")
    page.fill("#id_description", "ท่อระบายน้ำอุดตัน น้ำขังหน้าบ้าน")
    button = page.wait_for_selector("#suggestions [data-set-category='drains']")
    assert page.input_value("#id_lat") == ""  # no pin was put
    button.click()
    assert page.input_value("#id_category") == "drains"
    # Under the description, above the map.
    text_box = page.locator("#id_description").bounding_box()
    suggestions = page.locator("#suggestions").bounding_box()
    map_box = page.locator("#report-map").bounding_box()
    assert text_box["y"] < suggestions["y"] < map_box["y"]
