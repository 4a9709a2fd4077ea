"""Headless Chromium for the browser tests and screenshots: Debian's package, never a download.

`make test` and `make screenshots` install it (`apt-get install -y chromium`); Playwright only
drives it (`playwright install` is never run).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("PRACHA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def chromium_available() -> bool:
    return CHROMIUM.exists()


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def block_outside(context: Any, origin: str) -> None:
    """Refuse every request that does not go to `origin` (map tiles, imported photo URLs), so
    pages are checked as they work offline and nothing depends on the internet."""

    def route(route: Any) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
