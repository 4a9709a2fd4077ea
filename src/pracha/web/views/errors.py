"""Error pages a person can act on: an expired form (CSRF), a page that is not there."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pracha.web.forms import ReportForm
from pracha.web.views.report import render_form


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form's security token expired (or cookies are off): explain, keep what was typed.

    The report form is shown again filled in, with a fresh token, so one more press of
    "send" is all it takes. Other forms lead back to where the person was.
    """
    expired = _(
        "This page was open too long and has expired, so nothing was saved. "
        "Please check and submit again."
    )
    if request.path == "/report/" and request.method == "POST":
        # Unbound with the posted values: shown again, but not marked as mistakes.
        form = ReportForm(initial=request.POST.dict())
        return render_form(
            request,
            form,
            page_error=expired,
            status=403,
            had_photos=bool(request.FILES),
        )
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    context = {"message": expired, "back": back, "no_cookies": not request.COOKIES}
    return render(request, "web/csrf_failure.html", context, status=403)


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """A page (not JSON) for a form whose photos together exceed the upload limit.

    The body was refused unread, so the form cannot be shown again filled in; the browser's
    Back button returns to it with the text still there.
    """
    context = {"limit_mb": limit / (1024 * 1024)}
    # Refused before the locale middleware ran: pick the reader's language here.
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "web/too_large.html", context, status=413)
