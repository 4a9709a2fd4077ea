"""The supervisors' list of suspect closings (/office/photo-checks/) and their verdicts.

A closing whose after-photo the evidence check flagged (pracha.evidence.checks) waits here,
for the supervisors of the agency that closed it, until one of them says whether the photo
shows the fix. The closing itself was never blocked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pracha.agencies.models import Officer
from pracha.cases.errors import DomainError
from pracha.cases.models import Photo
from pracha.evidence.models import PhotoCheck
from pracha.evidence.results import suspect_closings
from pracha.evidence.review import do_review, may_review, reviews_for
from pracha.web.officers import officer_required

PAGE_SIZE = 25


def reason_text(reason: dict[str, Any]) -> str:
    """One finding in words, for the supervisor."""
    code = reason.get("code")
    if code == "same_as_before":
        if reason.get("same_shot"):
            return _("The same shot as the photo from before the work (same camera and time).")
        if reason.get("mirrored"):
            return _("The photo from before the work, mirrored.")
        return _("Looks like the photo from before the work (%(bits)s of 64 bits differ).") % {
            "bits": reason.get("bits")
        }
    if code == "same_as_earlier_after":
        return _("The same as the after-photo of an earlier closing, which was reopened.")
    if code == "reused_from_case":
        return _("The same as a photo of case %(ticket)s.") % {"ticket": reason.get("ticket_id")}
    if code == "taken_before_report":
        return _("Taken (by its EXIF) before the problem was reported.")
    if code == "taken_far_away":
        return _("Taken (by its GPS) %(km)s km from the reported place.") % {
            "km": f"{(reason.get('distance_m') or 0) / 1000:.1f}"
        }
    return str(code)


def _rows(checks: list[PhotoCheck]) -> list[dict[str, Any]]:
    befores: dict[int, list[Photo]] = {}
    for photo in Photo.objects.filter(
        case_id__in=[c.case_id for c in checks], kind=Photo.Kind.BEFORE
    ).exclude(image=""):
        befores.setdefault(photo.case_id, []).append(photo)
    others = [r.get("photo_id") for c in checks for r in c.reasons if r.get("ticket_id")]
    other_photos = {p.pk: p for p in Photo.objects.filter(pk__in=others)}
    return [
        {
            "check": check,
            "reasons": [
                {
                    "code": r.get("code"),
                    "text": reason_text(r),
                    "ticket_id": r.get("ticket_id"),
                    "photo": other_photos.get(r.get("photo_id")),
                }
                for r in check.reasons
            ],
            "before": befores.get(check.case_id, [])[:2],
        }
        for check in checks
    ]


@officer_required
def photo_checks(request: HttpRequest, officer: Officer) -> HttpResponse:
    scope = reviews_for(officer)
    if scope is False:
        return render(request, "web/office/photo_checks.html", {"officer": officer}, status=403)
    reviewed = request.GET.get("show") == "reviewed"
    checks = suspect_closings(scope, reviewed=reviewed)
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "officer": officer,
        "allowed": True,
        "reviewed": reviewed,
        "page": page,
        "rows": _rows(list(page.object_list)),
        "agency": scope,
        "waiting": suspect_closings(scope).count(),
    }
    return render(request, "web/office/photo_checks.html", context)


@require_POST
@officer_required
def review(request: HttpRequest, officer: Officer, check_id: int) -> HttpResponse:
    check = PhotoCheck.objects.filter(pk=check_id).first()
    if check is None or not may_review(officer, check):
        raise Http404(_("There is no such photo check for your agency."))
    try:
        do_review(check, officer, request.POST.get("verdict", ""), request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Review of %(ticket)s saved.") % {"ticket": check.case.ticket_id},
        )
    return HttpResponseRedirect("/office/photo-checks/")
