"""A citizen's account on the web: sign in with a code by e-mail (/signin/), "My Pracha"
(/me/: reports, language, e-mail settings, consents, export, deletion), signing out.

The same services as the API (pracha.citizens, pracha.privacy.accounts); a web sign-in is a
token of kind "web" whose id the session keeps (pracha.citizens.sessions). Every form is a
POST with Django's CSRF token, and a refused one comes back with the reason and what was typed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pracha.cases.errors import DomainError, NotAllowed, NotFound
from pracha.cases.models import Case
from pracha.cases.queries import get_case
from pracha.cases.services.claims import AlreadyClaimed, cases_of, do_claim_case
from pracha.citizens import sessions
from pracha.citizens.addresses import mask, normalise_email
from pracha.citizens.errors import (
    CitizenError,
    CodeExpired,
    CodeReplaced,
    CodeUsed,
    NoSuchConsent,
    TooMany,
)
from pracha.citizens.models import ChannelKind, Citizen, Language
from pracha.citizens.services.account import (
    do_set_language,
    do_set_notifications,
    items,
    notification_settings,
)
from pracha.citizens.services.consents import DATA_KINDS, do_revoke_consent
from pracha.citizens.services.signin import CODE_DIGITS, do_confirm_code, do_request_code
from pracha.limits.ratelimit import over_limit
from pracha.privacy.accounts import delete_citizen, export_citizen_data
from pracha.web import names, session

PENDING_KEY = "pracha_signin_pending"  # the address a code was sent to, and where to go next
ME = "/me/"
MY_CASES_SHOWN = 100

View = Callable[..., HttpResponse]


def safe_next(raw: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if (
        raw
        and raw.startswith("/")
        and not raw.startswith(("//", "/\\", "/signin/"))
        and url_has_allowed_host_and_scheme(raw, allowed_hosts=set())
    ):
        return raw
    return ME


def citizen_of(request: HttpRequest) -> Citizen | None:
    return getattr(request, "citizen", None)


def citizen_required(view: View) -> View:
    """Signed in, or off to /signin/ and back here afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        citizen = citizen_of(request)
        if citizen is None:
            return HttpResponseRedirect(f"/signin/?next={request.path}")
        return view(request, citizen, *args, **kwargs)

    return wrapper


def _private(response: HttpResponse) -> HttpResponse:
    """Account pages hold personal data: no copy in any cache."""
    add_never_cache_headers(response)
    return response


def _language() -> str:
    code = (get_language() or "th")[:2]
    return code if code in Language.values else Language.THAI


# --- Signing in ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Step 1: the e-mail address. A code is sent, the same way for every address."""
    next_path = safe_next(request.POST.get("next") or request.GET.get("next"))
    if citizen_of(request) is not None and request.method != "POST":
        return HttpResponseRedirect(next_path)
    if request.method != "POST":
        return _email_page(request, next_path=next_path)
    raw = request.POST.get("email", "")
    try:
        address = normalise_email(raw)
    except CitizenError:
        error = _("This is not an e-mail address (like name@example.com).")
        return _email_page(request, next_path=next_path, email=raw, error=error, status=400)
    refusal = over_limit(request, "signin")
    if refusal is not None:
        return _too_many(_email_page, request, refusal.retry_after, next_path=next_path, email=raw)
    try:
        do_request_code(address, _language())
    except TooMany as exc:
        return _too_many(_email_page, request, exc.retry_after, next_path=next_path, email=raw)
    request.session[PENDING_KEY] = {"email": address, "next": next_path}
    return HttpResponseRedirect("/signin/code/")


def _email_page(
    request: HttpRequest,
    *,
    next_path: str,
    email: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"next": next_path, "email": email, "error": error}
    return _private(render(request, "web/account/signin.html", context, status=status))


def _too_many(page: View, request: HttpRequest, wait: int, **context: Any) -> HttpResponse:
    minutes = max(1, round(wait / 60))
    error = _("Too many tries. Please wait %(minutes)d minutes and try again.") % {
        "minutes": minutes
    }
    response = page(request, error=error, status=429, **context)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def signin_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the e-mail; then signed in, on to where the person was going."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not pending.get("email"):
        return HttpResponseRedirect("/signin/")
    address, next_path = str(pending["email"]), safe_next(pending.get("next"))
    if request.method != "POST":
        return _code_page(request, address=address)
    try:
        signed_in = do_confirm_code(address, request.POST.get("code", ""), _language())
    except TooMany as exc:
        return _too_many(_code_page, request, exc.retry_after, address=address)
    except CitizenError as exc:
        return _code_page(request, address=address, error=_code_refused(exc), status=400)
    del request.session[PENDING_KEY]
    sessions.sign_in(request, signed_in.citizen)
    if signed_in.created:
        messages.success(request, _("Welcome to Pracha. Your account is ready."))
    else:
        messages.success(request, _("You are signed in."))
    return HttpResponseRedirect(next_path)


def _code_refused(exc: CitizenError) -> str:
    if isinstance(exc, CodeExpired):
        return _("This code has expired. Ask for a new one below.")
    if isinstance(exc, CodeUsed):
        return _("This code has been used already. Ask for a new one below.")
    if isinstance(exc, CodeReplaced):
        return _("A newer code was sent. Use the code in the latest e-mail.")
    if exc.field == "code" and exc.code == "invalid_input":
        return _("The code is the %(digits)d digits from the e-mail.") % {"digits": CODE_DIGITS}
    return _("This is not the code we sent. Check the latest e-mail and try again.")


def _code_page(
    request: HttpRequest, *, address: str, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "masked": mask(ChannelKind.EMAIL, address),
        "email": address,
        "error": error,
        "digits": CODE_DIGITS,
        "minutes": settings.PRACHA.signin_code_minutes,
    }
    return _private(render(request, "web/account/signin_code.html", context, status=status))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    sessions.sign_out(request, everywhere=request.POST.get("everywhere") == "1")
    messages.success(request, _("You are signed out."))
    return HttpResponseRedirect("/")


# --- My Pracha ----------------------------------------------------------------------------


@require_safe
@citizen_required
def me(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    mine = cases_of(citizen)
    context = {
        "citizen": citizen,
        "cases": list(mine[:MY_CASES_SHOWN]),
        "cases_count": mine.count(),
        "claimable": _claimable(request, citizen),
        "languages": Language.choices,
        "notifications": notification_settings(citizen),
        "has_line": citizen.channels.filter(kind=ChannelKind.LINE).exists(),
        "consents": [
            {"consent": c, "data": [DATA_KINDS.get(d, d) for d in c.data]}
            for c in citizen.consents.select_related("agency")
        ],
        "items": item_sections(citizen),
    }
    return _private(render(request, "web/account/me.html", context))


def item_titles() -> dict[str, str]:
    """The headings of what other apps keep for the citizen (pracha.citizens' my_pracha_items
    names them by key); translated here, at request time, in the page's language."""
    return {
        "consultations": _("Consultations you answered"),
        "journeys": _("Your life events"),
        "shared": _("Facts you shared with agencies"),
    }


def item_sections(citizen: Citizen) -> list[dict[str, Any]]:
    titles = item_titles()
    return [
        {"name": name, "title": titles.get(name, name.replace("_", " ").capitalize()), "entries": e}
        for name, e in items(citizen).items()
    ]


def _claimable(request: HttpRequest, citizen: Citizen) -> list[Case]:
    """Reports this browser filed (or opened from their private link) that no account holds."""
    tickets = session.my_tickets(request)
    if not tickets:
        return []
    found = Case.objects.filter(ticket_id__in=tickets, citizen__isnull=True)
    by_ticket = {c.ticket_id: c for c in found}
    return [by_ticket[t] for t in tickets if t in by_ticket]


@require_POST
@citizen_required
def me_claim(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    ticket = request.POST.get("ticket", "")
    try:
        case = get_case(ticket)
        do_claim_case(case, citizen, session.reporter_token(request, case.ticket_id))
    except AlreadyClaimed:
        messages.error(request, _("This report belongs to another account."))
    except (NotAllowed, NotFound):
        messages.error(
            request,
            _(
                "Only reports filed from this browser, or opened from their private link, "
                "can be added."
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Report %(ticket)s is now in My Pracha.") % {"ticket": case.ticket_id}
        )
    return HttpResponseRedirect(ME)


@require_POST
@citizen_required
def me_language(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    language = request.POST.get("language", "")
    try:
        do_set_language(citizen, language)
    except CitizenError:
        messages.error(request, _("Choose Thai or English."))
        return HttpResponseRedirect(ME)
    translation.activate(language)  # the message, and the pages from now on, in that language
    messages.success(request, _("Your language is saved."))
    response = HttpResponseRedirect(ME)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_POST
@citizen_required
def me_notifications(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    wanted = {ChannelKind.EMAIL.value: request.POST.get("email") == "on"}
    if citizen.channels.filter(kind=ChannelKind.LINE).exists():
        wanted[ChannelKind.LINE.value] = request.POST.get("line") == "on"
    do_set_notifications(citizen, wanted)
    messages.success(request, _("Your notification settings are saved."))
    return HttpResponseRedirect(ME)


@require_POST
@citizen_required
def me_revoke_consent(request: HttpRequest, citizen: Citizen, consent_id: int) -> HttpResponse:
    try:
        consent = do_revoke_consent(citizen, consent_id)
    except NoSuchConsent:
        messages.error(request, _("There is no such consent in your account."))
    else:
        messages.success(
            request,
            _("%(agency)s may no longer use this data.")
            % {"agency": names.localised(consent.agency)},
        )
    return HttpResponseRedirect(ME)


@require_safe
@citizen_required
def me_export(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    data = export_citizen_data(citizen)
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pracha-my-data.json"'
    return _private(response)


@require_POST
@citizen_required
def me_delete(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want to delete your account."))
        return HttpResponseRedirect(ME + "#delete")
    delete_citizen(citizen)
    sessions.forget(request)
    messages.success(
        request,
        _(
            "Your account is deleted. Your reports stay, without your contact details, so "
            "the city's figures stay right."
        ),
    )
    return HttpResponseRedirect("/")
