"""The officer behind a back-office request, and the agencies they may hand cases to."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pracha.agencies.models import Agency, Officer
from pracha.cases.actors import Power, may
from pracha.cases.models import Case

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


def may_act(officer: Officer, case: Case) -> bool:
    """Whether the officer may work on the case at all (the rule is pracha.cases.actors')."""
    return may(officer, case, Power.HELP)


def other_agencies(officer: Officer, case: Case | None = None) -> list[Agency]:
    """Active agencies a case can go to, by name (a few hundred in Bangkok)."""
    agencies = Agency.objects.filter(is_active=True).only("pk", "code", "name_th", "name_en")
    if case is not None and case.agency_id:
        agencies = agencies.exclude(pk=case.agency_id)
    return list(agencies.order_by("name_th"))
