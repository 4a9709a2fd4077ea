"""The report form: a description, a pin, photos and optional private contact -> a ticket."""

from __future__ import annotations

import hashlib
import logging
import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pracha.cases.errors import DomainError, InvalidInput, NotAnImage, PhotoTooLarge
from pracha.cases.models import Case
from pracha.cases.public_actor import reporter_actor
from pracha.cases.services.photos import check_photo, do_add_photo
from pracha.intake.services import NewCase, Reporter, do_create_case
from pracha.limits.device import reporter_ident
from pracha.limits.ratelimit import check_rate_limit
from pracha.notify.optout import opted_out
from pracha.web import session
from pracha.web import suggest as suggestions
from pracha.web.email_text import mask_email
from pracha.web.forms import MAX_PHOTOS, ReportForm
from pracha.web.views.public import map_settings

log = logging.getLogger(__name__)

# Domain fields -> the form field that shows the message.
FIELD_OF = {
    "description": "description",
    "address": "address",
    "categories": "category",
    "reporter.name": "name",
    "reporter.phone": "phone",
    "reporter.email": "email",
}


def render_form(
    request: HttpRequest,
    form: ReportForm,
    *,
    photo_error: str = "",
    page_error: str = "",
    status: int = 200,
    had_photos: bool = False,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "photo_error": photo_error,
        "page_error": page_error,
        "had_photos": had_photos,
        "max_photos": MAX_PHOTOS,
        "max_photo_mb": settings.PRACHA.max_photo_bytes / (1024 * 1024),
        "max_photo_bytes": settings.PRACHA.max_photo_bytes,
        "map": map_settings(),
    }
    return render(request, "web/report.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render_form(request, ReportForm())
    form = ReportForm(request.POST)
    photos = request.FILES.getlist("photos")
    photo_error = check_photos(photos)
    if not form.is_valid() or photo_error:
        return render_form(
            request, form, photo_error=photo_error, status=400, had_photos=bool(photos)
        )
    refusal = check_rate_limit(request, "reports")
    if refusal is not None:
        return render_form(
            request,
            form,
            page_error=_(
                "Too many reports have been sent from your connection. Please wait a few "
                "minutes and send again; what you typed is kept."
            ),
            status=429,
            had_photos=bool(photos),
        )
    try:
        case, created = do_create_case(
            new_case(form.cleaned_data),
            idempotency_key=idempotency_key(form.cleaned_data),
            citizen=getattr(request, "citizen", None),  # signed in: the case is in My Pracha
            reporters=[reporter_ident(request)],  # no "me too" on one's own report
        )
    except InvalidInput as exc:
        form.add_error(FIELD_OF.get(exc.field or ""), exc.message)
        return render_form(request, form, status=400, had_photos=bool(photos))
    if created:
        add_photos(request, case, photos)
    session.remember_reporter(request, case.ticket_id)
    session.remember_filed(request, case.ticket_id, emailed_to(case, form.cleaned_data["email"]))
    messages.success(
        request,
        _("Thank you. Your report number is %(ticket)s. Keep it to follow your report.")
        % {"ticket": case.ticket_id},
    )
    return HttpResponseRedirect(f"/t/{case.ticket_id}/")


def emailed_to(case: Case, email: str) -> str:
    """The masked address the private link is being e-mailed to, "" if no e-mail goes out."""
    if not email or opted_out(email, case):
        return ""
    return mask_email(email)


def idempotency_key(data: dict[str, Any]) -> str | None:
    """The same form sent twice (a double tap, a retry) makes one ticket; the same form
    changed and sent again (Back, edit, send) is a new report, so the content counts too."""
    token = data.get("form_token") or ""
    if not token:
        return None
    content = "\x1f".join(str(data.get(k, "")) for k in ("description", "lat", "lon"))
    return f"web-{token}-{hashlib.sha256(content.encode()).hexdigest()[:16]}"


def new_case(data: dict[str, Any]) -> NewCase:
    contact = Reporter(name=data["name"], phone=data["phone"], email=data["email"])
    return NewCase(
        description=data["description"],
        lat=data["lat"],
        lon=data["lon"],
        categories=[data["category"]] if data["category"] else [],
        address=data["address"],
        reporter=contact if (contact.name or contact.phone or contact.email) else None,
        language="en" if (get_language() or "th").startswith("en") else "th",
        source=Case.Source.WEB,
    )


def check_photos(photos: list[UploadedFile]) -> str:
    """An error message for the first unusable photo, or "" when all can be stored."""
    if len(photos) > MAX_PHOTOS:
        return _("Please choose at most %(count)d photos.") % {"count": MAX_PHOTOS}
    limit_mb = settings.PRACHA.max_photo_bytes / (1024 * 1024)
    for photo in photos:
        try:
            check_photo(photo, photo.size, photo.name or "")
        except PhotoTooLarge:
            return _("The photo %(name)s is too large: at most %(mb).0f MB.") % {
                "name": photo.name,
                "mb": limit_mb,
            }
        except NotAnImage:
            return _(
                "The file %(name)s is not a photo. Please choose a JPEG, PNG or WebP image."
            ) % {"name": photo.name}
        finally:
            photo.seek(0)
    return ""


def add_photos(request: HttpRequest, case: Case, photos: list[UploadedFile]) -> None:
    for photo in photos:
        try:
            # Sent with the report, so the reporter's (the timeline says so).
            do_add_photo(case, photo, photo.size, actor=reporter_actor())
        except DomainError as exc:  # checked above; only a race (photo limit) lands here
            log.warning("photo for %s not stored: %s", case.ticket_id, exc.message)
            messages.warning(
                request, _("A photo could not be stored: %(reason)s") % {"reason": exc.message}
            )


@require_POST
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx: what triage makes of the report so far (an empty answer when it has nothing)."""
    description = request.POST.get("description", "")[: settings.PRACHA.max_description_chars]
    found = suggestions.suggest(
        description,
        _float(request.POST.get("lat")),
        _float(request.POST.get("lon")),
        request.POST.get("address", "")[:500],
    )
    return render(request, "web/_suggestions.html", {"found": found})


def _float(raw: str | None) -> float | None:
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None
