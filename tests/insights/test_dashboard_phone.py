"""The dashboard on a 390 px phone in a real headless Chromium: no sideways scrolling of the
page (wide tables scroll inside their own box), panels and charts loaded (issue 23.11)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.web.browser import PHONE, block_outside, chromium_available

# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are
# still plain synchronous code (as in tests/web/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (make test installs it)"
    ),
]
MARCH = "from=2024-03-01&to=2024-03-31"


@pytest.fixture
def busy_month(
    make_case: Callable[..., Case], make_agency: Callable[..., Agency],
    pracha: Callable[..., None],
) -> None:  # fmt: skip
    """Enough rows that every table is wide: long agency names, two categories a case."""
    pracha(scorecard_min_cases=1)
    agencies = [make_agency(f"a{i}", f"ฝ่ายโยธาและระบายน้ำ สำนักงานเขตบางกอกใหญ่ หน่วยที่ {i}")
                for i in range(4)]  # fmt: skip
    for i in range(12):
        make_case(categories=["road", "sidewalk"], created=f"2024-03-{i + 2:02d} 09:00",
                  agency=agencies[i % 4], lat=13.75, lon=100.5, state="done",
                  closed=f"2024-03-{i + 2:02d} 21:00")  # fmt: skip


@pytest.mark.parametrize("language", ["th", "en"])
def test_no_horizontal_overflow_at_390_px(
    browser: Any, live_server: Any, busy_month: None, language: str
) -> None:
    cache.clear()
    context = browser.new_context(viewport=PHONE, locale="th-TH" if language == "th" else "en-GB")
    context.set_default_timeout(15_000)
    block_outside(context, live_server.url)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/dashboard/?{MARCH}&by=agency")
        page.wait_for_selector("#h-score")  # the scorecards panel has replaced its placeholder
        page.wait_for_selector("#h-fwd")
        assert PHONE["width"] == 390
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width} px wide"
        wide = page.evaluate(
            "Array.from(document.querySelectorAll('.table-wrap'))"
            ".some(w => w.scrollWidth > w.clientWidth)"
        )
        assert wide  # the tables are wider than the phone, and scroll in their own box
        page.goto(f"{live_server.url}/dashboard/methods/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_count_axes_have_whole_number_ticks(
    browser: Any, live_server: Any, busy_month: None
) -> None:
    """Issue 23.7: with a few reports a day Chart.js ticked counts at 0.1, 0.2, ... ."""
    cache.clear()
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    block_outside(context, live_server.url)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/dashboard/?{MARCH}&by=day")
        page.wait_for_selector("#h-fwd")
        page.wait_for_function("window.Chart && Chart.getChart('chart-trend')")
        ticks = page.evaluate(
            """() => Array.from(document.querySelectorAll('canvas'))
                .map(c => Chart.getChart(c)).filter(Boolean)
                .flatMap(ch => Object.values(ch.scales))
                .filter(s => s.type === 'linear')
                .flatMap(s => s.ticks.map(t => t.value))"""
        )
        assert ticks, "no count axis was drawn"
        assert all(float(v).is_integer() for v in ticks), ticks
    finally:
        context.close()
