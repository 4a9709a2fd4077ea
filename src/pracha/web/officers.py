"""The officer behind a back-office request, and the agencies they may hand cases to."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pracha.agencies.models import Officer

LOGIN_URL = "/office/login/"

OfficerView = Callable[..., HttpResponse]


def officer_of(request: HttpRequest) -> Officer | None:
    user = request.user
    if not user.is_authenticated:
        return None
    try:
        return Officer.objects.select_related("agency", "user").get(user=user)
    except Officer.DoesNotExist:
        return None


def officer_required(view: OfficerView) -> Callable[..., HttpResponse]:
    """Signed in and linked to an agency; the view receives the Officer after the request."""

    @login_required(login_url=LOGIN_URL)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        officer = officer_of(request)
        if officer is None:
            return render(request, "web/office/no_agency.html", status=403)
        return view(request, officer, *args, **kwargs)

    return wrapper
