"""The one router of every consultation endpoint: operations on one path (GET and PATCH of
/consultations/{ref}) must share a router, and the fixed paths (/consultations/indicators)
must come before the patterns, so the public module registers first (see __init__)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from pracha.agencies.models import Officer

router = Router(tags=["consultations"])


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None
    reasons: list[dict[str, Any]] | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def session_officer(request: HttpRequest) -> Officer | None:
    """The officer signed in to the back office in this browser, if any."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Officer.objects.select_related("agency", "user").filter(user=user).first()
