"""Request guards: refuse oversized bodies before Django reads them into memory or temp files,
and make every 405 say which methods the address takes."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Room for the multipart envelope and form fields around a maximum-size photo.
ENVELOPE_BYTES = 256 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.PRACHA.max_photo_bytes + ENVELOPE_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(400, "Content-Length is not a number", "bad_request")
        if length > limit:
            if _wants_page(request):  # a web form: a page a person can act on, not JSON
                from pracha.web.views.errors import request_too_large

                return request_too_large(request, limit)
            return _error(
                413, f"the request is {length:,} bytes; the limit is {limit:,}", "too_large"
            )
        return self.get_response(request)


def _wants_page(request: HttpRequest) -> bool:
    machine = request.path.startswith(("/api/", "/open311/"))
    return not machine and "text/html" in request.headers.get("Accept", "")


def _error(status: int, detail: str, code: str) -> HttpResponse:
    body = json.dumps({"detail": detail, "code": code})
    return HttpResponse(body, status=status, content_type="application/json")


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
