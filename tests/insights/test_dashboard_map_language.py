"""The maps' zoom buttons speak the page's language (issue 23.8): Leaflet titles them "Zoom
in/out" in English, which screen readers read out, on Thai pages too. Checked in a real
Chromium on the dashboard's hotspot map and the home page's map."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.cache import cache

from pracha.web.browser import PHONE, block_outside, chromium_available

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (make test installs it)"
    ),
]
TITLES = {"th": ("ซูมเข้า", "ซูมออก"), "en": ("Zoom in", "Zoom out")}


@pytest.mark.parametrize("language", ["th", "en"])
def test_zoom_buttons_are_titled_in_the_page_language(
    browser: Any, live_server: Any, language: str
) -> None:
    cache.clear()
    locale = "th-TH" if language == "th" else "en-GB"
    context = browser.new_context(viewport=PHONE, locale=locale)
    context.set_default_timeout(15_000)
    block_outside(context, live_server.url)
    try:
        page = context.new_page()
        for path, map_id in (("/dashboard/", "#hotspot-map"), ("/", "[data-map]")):
            page.goto(live_server.url + path)
            zoom_in = page.locator(f"{map_id} .leaflet-control-zoom-in").first
            zoom_out = page.locator(f"{map_id} .leaflet-control-zoom-out").first
            titles = (zoom_in.get_attribute("title"), zoom_out.get_attribute("title"))
            assert titles == TITLES[language], path
            assert zoom_in.get_attribute("aria-label") == TITLES[language][0], path
    finally:
        context.close()
