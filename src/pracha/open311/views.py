"""GeoReport v2 endpoints under /open311/v2/ (and the service discovery document).

Views only read the request, call the functions that do the work, and render. Every refusal
is the specification's error list with the matching HTTP status: 400 for bad input, 403 for
a wrong or revoked api_key (400 when it is missing), 404 for what does not exist.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from pracha.agencies.models import ApiKey
from pracha.agencies.services import authenticate_api_key
from pracha.cases.errors import DomainError, NotFound
from pracha.cases.lookup import AmbiguousTicketId, canonical_ticket_id
from pracha.cases.models import Category
from pracha.limits.counters import hit
from pracha.open311.discovery import discovery_dict
from pracha.open311.formats import FORMATS, error_response, render
from pracha.open311.georeport import (
    definition_dict,
    request_dict,
    requests_queryset,
    service_dict,
    service_notice,
)
from pracha.open311.models import Submission
from pracha.open311.queries import parse_request_query, select_cases
from pracha.open311.requests_post import ServiceRequestIn, check_jurisdiction, do_submit_request

View = Callable[..., HttpResponse]
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](?:\[\])?$")
TRUE = {"1", "true", "yes", "on"}


def status_of(exc: DomainError) -> int:
    return 404 if isinstance(exc, NotFound) else 400


def open311(*methods: str) -> Callable[[View], View]:
    """Check the format suffix and method, and turn domain errors into Open311 errors."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return error_response(
                    "json", 400, f"unsupported format {fmt[:20]!r}: use .xml or .json"
                )
            allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)
            if request.method not in allowed:
                response = error_response(fmt, 405, f"{request.method} is not allowed here")
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                check_jurisdiction(_param(request, "jurisdiction_id"))
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                return error_response(fmt, status_of(exc), exc.message)
            except RequestDataTooBig:
                return error_response(fmt, 413, "the request body is too large")
            except TooManyFieldsSent:
                return error_response(fmt, 400, "the request has too many fields")
            except MultiPartParserError as exc:  # no boundary, or a body cut short
                return error_response(fmt, 400, f"the multipart body cannot be read: {exc}")

        return csrf_exempt(wrapper)

    return decorate


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name)
    if value is None and request.method == "POST":
        value = request.POST.get(name)
    return value or ""


def language(request: HttpRequest) -> str:
    """`locale`/`lang` in the query, else the Accept-Language the locale middleware chose."""
    asked = (request.GET.get("locale") or request.GET.get("lang") or "").lower()
    if not asked:
        asked = translation.get_language() or settings.LANGUAGE_CODE
    return "en" if asked.startswith("en") else "th"


def absolute_for(request: HttpRequest) -> Callable[[str], str]:
    def absolute(url: str) -> str:
        return request.build_absolute_uri(url) if url.startswith("/") else url

    return absolute


@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "discovery", discovery_dict(absolute_for(request)("/open311/v2")))


@open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    lang = language(request)
    return render(fmt, "services", [service_dict(c, lang) for c in Category.objects.all()])


@open311("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = Category.objects.filter(code=service_code).first()
    if category is None:
        raise NotFound(f"service_code {service_code[:40]!r} was not found")
    return render(fmt, "service_definition", definition_dict(category, language(request)))


@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    query = parse_request_query(request.GET)
    cases = select_cases(query, requests_queryset())
    lang, absolute = language(request), absolute_for(request)
    extensions = (request.GET.get("extensions") or "").lower() in TRUE
    items = [request_dict(c, lang, absolute, extensions=extensions) for c in cases]
    return render(fmt, "service_requests", items)


@open311("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    cases = requests_queryset()
    try:  # the full id or the short one some exports carry (`GHA47R`), in any letter case
        ticket_id = canonical_ticket_id(request_id, cases)
    except AmbiguousTicketId:
        raise  # its reason names every candidate
    except NotFound:
        ticket_id = ""
    case = cases.filter(ticket_id=ticket_id).first() if ticket_id else None
    if case is None:
        raise NotFound(f"service_request_id {request_id[:40]!r} was not found")
    extensions = (request.GET.get("extensions") or "").lower() in TRUE
    item = request_dict(case, language(request), absolute_for(request), extensions=extensions)
    return render(fmt, "service_requests", [item])


@open311("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    submission = (
        Submission.objects.select_related("case").filter(token=token[:40]).first()
        if "\x00" not in token
        else None
    )
    if submission is None:
        raise NotFound(f"token {token[:40]!r} was not found")
    item = {"service_request_id": submission.case.ticket_id, "token": submission.token}
    return render(fmt, "service_requests", [item])


def _form(request: HttpRequest) -> QueryDict:
    """The POSTed fields; a JSON object is accepted too, with `attribute` as an object."""
    if request.content_type != "application/json":
        return request.POST
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError("the request body is not valid JSON") from exc
    except RecursionError as exc:  # "[[[[..." deeper than the parser goes
        raise DomainError("the request body is JSON nested too deeply") from exc
    if not isinstance(body, dict):
        raise DomainError("the JSON body must be an object of Open311 fields")
    form = QueryDict(mutable=True)
    for name, value in body.items():
        if name == "attribute" and isinstance(value, dict):
            for code, answer in value.items():
                for item in answer if isinstance(answer, list) else [answer]:
                    text = "" if item is None else str(item)
                    form.appendlist(f"attribute[{_unicode(code)}]", _unicode(text, code))
        elif value is not None and not isinstance(value, (dict, list)):
            form[_unicode(name)] = _unicode(str(value), name)
    return form


def _unicode(text: str, name: str = "") -> str:
    """JSON can spell a lone surrogate (\\ud800), which no database stores: refuse it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = f"{name[:40]!r} " if name else "a field name "
        raise DomainError(f"{where}is not valid Unicode text (a lone surrogate)") from exc
    return text


def read_service_request(form: QueryDict) -> ServiceRequestIn:
    data = ServiceRequestIn()
    for name in ServiceRequestIn.__dataclass_fields__:
        if name != "attributes":
            setattr(data, name, form.get(name) or "")
    for key in form:
        match = _ATTRIBUTE.match(key)
        if match:
            data.attributes.setdefault(match[1], []).extend(form.getlist(key))
    return data


def _api_key(request: HttpRequest, form: QueryDict) -> ApiKey:
    raw = form.get("api_key") or request.GET.get("api_key") or request.headers.get("X-API-Key")
    auth = request.headers.get("Authorization", "")
    if not raw and auth.lower().startswith("bearer "):
        raw = auth[7:]
    raw = (raw or "").strip()
    if not raw:
        raise MissingKey()
    key = authenticate_api_key(raw) if len(raw) <= 200 and "\x00" not in raw else None
    if key is None:
        raise BadKey()
    return key


class MissingKey(Exception):
    pass


class BadKey(Exception):
    pass


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    try:
        key = _api_key(request, form)
    except MissingKey:
        return error_response(fmt, 400, "api_key is required to create a service request")
    except BadKey:
        return error_response(
            fmt, 403, "invalid api_key received: it is unknown or revoked -- cannot create_request"
        )
    rate = settings.PRACHA.rate_reports_per_key
    if rate is not None:
        verdict = hit("reports:key", key.prefix, rate)
        if not verdict.allowed:
            response = error_response(
                fmt,
                429,
                f"too many requests for this api_key; try again in {verdict.retry_after} s",
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
    data = read_service_request(form)
    idempotency_key = request.headers.get("Idempotency-Key")
    lang = language(request)
    case, submission, _created = do_submit_request(
        data, key, idempotency_key=idempotency_key, language=lang
    )
    item = {
        "service_request_id": case.ticket_id,
        "token": submission.token,
        "service_notice": service_notice([submission.service_code], lang),
        # Pracha keeps no citizen accounts: there is no account id of ours to return.
        "account_id": None,
    }
    return render(fmt, "service_requests", [item])


@csrf_exempt  # a POST to a mistyped path gets this answer, not a CSRF page
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(
        "json",
        404,
        "no such Open311 resource; see /open311/discovery.json (GeoReport v2 is under "
        "/open311/v2/, e.g. /open311/v2/services.json)",
    )
