"""How the API writes JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    """Thai text as UTF-8, not \\uXXXX escapes: a third of the bytes for Thai descriptions."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = UnicodeJSONRenderer()


def json_response(request: HttpRequest, body: Any, *, status: int) -> HttpResponse:
    """`body` written as the API writes it, without django-ninja validating it again against
    the operation's response schema: for a body built to that schema on a hot path, where
    the validation of its nested dicts cost more CPU than writing them out. A test must hold
    such a body equal to the schema's reading of it."""
    return HttpResponse(
        RENDERER.render(request, body, response_status=status),
        status=status,
        content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}",
    )
