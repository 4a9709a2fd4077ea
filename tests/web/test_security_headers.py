"""Content-Security-Policy and Permissions-Policy: the exact headers, and in a real headless
Chromium every main page loads without a policy violation and its scripts still work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.middleware import tile_origin
from pracha.web.browser import LAPTOP, PHONE, block_outside, chromium_available
from tests.factories import PASSWORD

PAGE_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob: http://127.0.0.1:9 https:",  # tiles from tests/web/conftest
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}
PERMISSIONS_OFF = ("camera", "microphone", "payment", "usb", "serial", "bluetooth", "hid")


def directives(header: str) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in pairs}


def test_pages_carry_the_strict_policy(db: None) -> None:
    response = Client().get("/report/")
    assert directives(response["Content-Security-Policy"]) == PAGE_DIRECTIVES
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    assert features["geolocation"] == "(self)"
    assert all(features[name] == "()" for name in PERMISSIONS_OFF)
    # The protective headers that were there before are still there.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_tile_host_and_narrowed_photo_hosts_make_img_src(
    db: None, pracha: Callable[..., None], settings: Any
) -> None:
    pracha(map_tiles="https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png")
    settings.PRACHA_CSP_IMG_HOSTS = ["https://storage.googleapis.com"]
    policy = directives(Client().get("/")["Content-Security-Policy"])
    assert policy["img-src"] == (
        "'self' data: blob: https://*.tiles.example.org https://storage.googleapis.com"
    )


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("http://127.0.0.1:8080/t/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("/tiles/{z}/{x}/{y}.png", ""),  # our own origin: 'self' covers it
        ("https://{a}.example.org/{z}.png", ""),  # a placeholder we cannot turn into a host
        ("javascript:alert(1)", ""),
    ],
)
def test_tile_origin(template: str, origin: str) -> None:
    assert tile_origin(template) == origin


def test_the_api_docs_have_the_same_strict_policy(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert directives(response["Content-Security-Policy"]) == PAGE_DIRECTIVES


def test_json_answers_are_left_alone(db: None) -> None:
    response = Client().get("/api/v1/categories")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_style() -> None:
    from pathlib import Path

    import pracha

    root = Path(pracha.__file__).parent
    offending = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for needle in ("<script>", 'style="', " onclick=", " onerror=", " onload=", " onchange="):
            if needle in text:
                offending.append(f"{template.relative_to(root)}: {needle}")
    assert offending == []


# --- In a real browser --------------------------------------------------------------------

in_browser = pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")

# Collected from the first script on every page: what the policy refused, and script errors.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                           (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


class Watched:
    """A page and everything that went wrong on it."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.problems.append(f"console: {message.text}")

    def goto(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        return self.page

    def violations(self) -> list[str]:
        self.page.wait_for_timeout(0)  # let queued violation events reach the listener
        found = self.page.evaluate("window.__violations || []")
        return [*found, *self.problems]


@pytest.fixture
def watched(browser: Any, live_server: Any, pracha: Callable[..., None]) -> Iterator[Any]:
    pracha(base_url=live_server.url)
    cache.clear()
    contexts: list[Any] = []

    def make(viewport: dict[str, int] = PHONE, **options: Any) -> Watched:
        context = browser.new_context(viewport=viewport, locale="th-TH", **options)
        context.set_default_timeout(15_000)
        context.add_init_script(WATCH)
        block_outside(context, live_server.url)
        contexts.append(context)
        return Watched(context)

    yield make
    for context in contexts:
        context.close()


@pytest.mark.slow
@in_browser
def test_citizen_pages_run_their_scripts_without_violations(
    watched: Callable[..., Watched], live_server: Any, make_case: Callable[..., Case]
) -> None:
    site = live_server.url
    case = make_case("ไฟถนนดับทั้งซอย มืดมาก อันตราย")
    here = {"latitude": case.lat, "longitude": case.lon}
    tab = watched(geolocation=here, permissions=["geolocation"])

    home = tab.goto(site + "/")
    home.wait_for_selector("[data-pin-count='1']")  # the map drew its pin
    assert tab.violations() == []

    ticket = tab.goto(f"{site}/t/{case.ticket_id}/")
    assert ticket.get_attribute("#ticket-map", "data-pin-count") == "1"
    assert tab.violations() == []

    report = tab.goto(site + "/report/")
    report.click("[data-use-location]")  # "use my location": allowed by Permissions-Policy
    report.wait_for_selector("#report-map[data-pinned='true']")
    assert float(report.input_value("#id_lat")) == pytest.approx(float(case.lat), abs=1e-5)
    # htmx asks triage as the text is typed: the similar report nearby is suggested.
    report.fill("#id_description", "ไฟถนนดับทั้งซอย มืดมาก")
    report.wait_for_selector(f"#suggestions a[href='/t/{case.ticket_id}/']")
    suggested = report.locator("[data-set-category]")
    if suggested.count():  # a category is suggested when a triage model is installed
        suggested.first.click()
        assert report.input_value("#id_category") == suggested.first.get_attribute(
            "data-set-category"
        )
    assert tab.violations() == []

    missing = tab.goto(site + "/no-such-page/")
    assert missing.locator("#nf-q").count() == 1
    assert tab.violations() == []


@pytest.mark.slow
@in_browser
def test_dashboard_and_api_docs_without_violations(
    watched: Callable[..., Watched], live_server: Any, make_case: Callable[..., Case]
) -> None:
    make_case()
    tab = watched(LAPTOP)
    dashboard = tab.goto(live_server.url + "/dashboard/")
    dashboard.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('chart-trend'))"
    )
    assert tab.violations() == []

    docs = tab.goto(live_server.url + "/api/v1/docs")
    docs.wait_for_selector(".swagger-ui .opblock")  # Swagger UI fetched and drew the schema
    docs.click(".swagger-ui .opblock-summary >> nth=0")  # open an operation, then try it
    docs.click(".swagger-ui .try-out__btn")
    docs.wait_for_selector(".swagger-ui .execute")
    assert tab.violations() == []


@pytest.mark.slow
@in_browser
def test_back_office_pages_without_violations(
    watched: Callable[..., Watched],
    live_server: Any,
    make_case: Callable[..., Case],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    case = make_case()
    agency: Agency = case.agency
    make_officer(agency, "desk")
    tab = watched(LAPTOP)
    login = tab.goto(live_server.url + "/office/login/")
    login.fill("#id_username", "desk")
    login.fill("#id_password", PASSWORD)
    login.click("main button[type=submit]")  # form-action 'self' lets the form post
    login.wait_for_url(live_server.url + "/office/")
    inbox = tab.page
    inbox.check("[data-select-all]")  # web/inbox.js: select all, count them
    assert inbox.text_content("[data-selected-count]").strip() == "1"
    assert tab.violations() == []

    page = tab.goto(f"{live_server.url}/office/case/{case.ticket_id}/")
    page.wait_for_selector("[data-pin-count='1']")
    assert tab.violations() == []
