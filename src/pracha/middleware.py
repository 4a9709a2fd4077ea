"""Request guards: refuse oversized bodies before Django reads them into memory or temp files,
refuse NUL characters in the address (PostgreSQL cannot even compare a text with one), make
every 405 say which methods the address takes, and put a Content-Security-Policy and a
Permissions-Policy on every page."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from pracha.web.views.errors import request_too_large

# Room for the multipart envelope and form fields around a maximum-size photo.
ENVELOPE_BYTES = 256 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (field := nul_in_address(request)) is not None:
            # A path with a NUL names nothing (404); a parameter with one is a bad value (400).
            status = 400 if field else 404
            detail = f"{field} contains a NUL character" if field else "no such address"
            if _wants_page(request):
                return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
            return _error(status, detail, "invalid_input" if field else "not_found", field or None)
        limit = settings.PRACHA.max_photo_bytes + ENVELOPE_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(400, "Content-Length is not a number", "bad_request")
        if length > limit:
            if _wants_page(request):  # a web form: a page a person can act on, not JSON
                return request_too_large(request, limit)
            return _error(
                413, f"the request is {length:,} bytes; the limit is {limit:,}", "too_large"
            )
        return self.get_response(request)


def nul_in_address(request: HttpRequest) -> str | None:
    """Where the address holds a NUL character: "" for the path, a query parameter's name, or
    None. No address of Pracha's holds one, and a lookup with it would fail in the database
    (PostgreSQL refuses NUL in text) rather than find nothing."""
    if request.path.startswith(("/media/", "/open311/")):
        return None  # these answer NUL themselves: a 404 for a file, Open311's own error format
    if "\x00" in request.path:
        return ""
    for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True):
        if "\x00" in value or "\x00" in name:
            return name.replace("\x00", "") or "a query parameter"
    return None


def _wants_page(request: HttpRequest) -> bool:
    machine = request.path.startswith(("/api/", "/open311/"))
    return not machine and "text/html" in request.headers.get("Accept", "")


def _error(status: int, detail: str, code: str, field: str | None = None) -> HttpResponse:
    body: dict[str, str] = {"detail": detail, "code": code}
    if field:
        body["field"] = field
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


class MethodNotAllowedMiddleware:
    """A 405 from Django or django-ninja has an empty or bare body: give it a reason (JSON
    under /api/, like every other API error) naming the methods the address allows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        allowed = response.get("Allow", "")
        detail = f"{request.method} is not allowed on {request.path}" + (
            f"; use {allowed}" if allowed else ""
        )
        if request.path.startswith("/api/"):
            fixed = _error(405, detail, "method_not_allowed")
        else:
            fixed = HttpResponse(detail, status=405, content_type="text/plain; charset=utf-8")
        if allowed:
            fixed["Allow"] = allowed
        return fixed


# Pages load only vendored scripts and styles from our own origin: no inline script, no inline
# style, no eval. The API documentation (django-ninja's Swagger UI from our static files) works
# under the same policy (React sets styles through the DOM, which style-src allows). Images
# also come from the map tile server and, unless PRACHA_CSP_IMG_HOSTS narrows it, any https
# host: photos imported from Traffy Fondue and sent by Open311 partners live on their hosts.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
# Only the report form's "use my location" needs a powerful feature; a photo <input
# type=file> needs no camera permission. Everything else is off for us and any frame.
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
    "display-capture=(), screen-wake-lock=(), xr-spatial-tracking=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every HTML answer (the other
    protective headers come from Django's SecurityMiddleware and settings)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", content_security_policy())
            response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def content_security_policy() -> str:
    hosts = tuple(getattr(settings, "PRACHA_CSP_IMG_HOSTS", ("https:",)))
    return _page_policy(settings.PRACHA.map_tiles, hosts)


@functools.lru_cache(maxsize=8)
def _page_policy(tiles: str, hosts: tuple[str, ...]) -> str:
    sources = ["'self'", "data:", "blob:", tile_origin(tiles), *hosts]
    images = " ".join(dict.fromkeys(s for s in sources if s))  # in order, without repeats
    return PAGE_POLICY.format(images=images)


def tile_origin(template: str) -> str:
    """The origin of a Leaflet tile URL template, a `{s}` subdomain as a wildcard:
    https://{s}.tile.example.org/{z}/{x}/{y}.png -> https://*.tile.example.org."""
    parts = urlsplit(template.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc or "{" in parts.netloc:
        return ""  # relative (our own origin) or unreadable: nothing to add
    return f"{parts.scheme}://{parts.netloc}"
