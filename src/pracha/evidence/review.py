"""A supervisor's verdict on a suspect closing: the after-photo shows the fix, or it does not.

Supervisors of the agency that closed the case review its suspect closings; a superuser who
is an officer reviews any (as with the case actions, pracha.cases.actors). Every verdict is in
the audit log. A verdict of "not genuine" is shown on the public page; reopening stays the
reporter's (or a new closing's) business.
"""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.audit.log import audit
from pracha.cases.errors import InvalidInput, NotAllowed
from pracha.cases.services.text import clean_text
from pracha.evidence.models import PhotoCheck


def reviews_for(officer: Officer) -> Agency | Literal[False] | None:
    """Whose suspect closings `officer` reviews: their agency's (a supervisor), every
    agency's (None: a superuser officer), or nobody's (False)."""
    if officer.user.is_superuser and officer.user.is_active:
        return None
    if officer.role == Officer.Role.SUPERVISOR:
        return officer.agency
    return False


def may_review(officer: Officer, check: PhotoCheck) -> bool:
    scope = reviews_for(officer)
    return scope is None or (scope is not False and check.agency_id == scope.pk)


def do_review(check: PhotoCheck, officer: Officer, verdict: str, note: str = "") -> PhotoCheck:
    if verdict not in {PhotoCheck.Verdict.GENUINE, PhotoCheck.Verdict.NOT_GENUINE}:
        raise InvalidInput("verdict must be 'genuine' or 'not_genuine'", field="verdict")
    note = clean_text(note, field="note", max_chars=2000)
    with transaction.atomic():
        check = PhotoCheck.objects.select_for_update().select_related("case").get(pk=check.pk)
        if not may_review(officer, check):
            raise NotAllowed(
                "only a supervisor of the agency that closed the case may review its photo"
            )
        if check.status != PhotoCheck.Status.SUSPECT:
            raise InvalidInput("only a suspect closing is reviewed", field="verdict")
        check.verdict = verdict
        check.review_note = note
        check.reviewed_by = officer.user
        check.reviewed_at = timezone.now()
        check.save(update_fields=["verdict", "review_note", "reviewed_by", "reviewed_at"])
        audit(
            "evidence.photo_reviewed",
            obj=check.case,
            actor=officer,
            detail={"verdict": verdict, "reasons": [r.get("code") for r in check.reasons]},
        )
    return check
