"""A signed-in citizen's reports: claiming one filed earlier without an account.

A case filed while signed in belongs to the account from the start (intake links it). One
filed anonymously is claimed with its citizen_token, the reporter's secret: the case is then
the account's, its reporter may rate and reopen it signed in without the token, and "me too"
from the account counts as the reporter's own. A case claimed by another account stays theirs.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from pracha.audit.log import audit
from pracha.cases.errors import Conflict
from pracha.cases.models import Case
from pracha.cases.queries import with_related
from pracha.cases.services.citizen import check_reporter, do_note_reporter
from pracha.citizens.models import Citizen


class AlreadyClaimed(Conflict):
    """The case belongs to another account."""

    code = "already_claimed"


def citizen_person(citizen: Citizen) -> str:
    """The citizen as "me too" counts people (pracha.limits.device.citizen_ident)."""
    return f"citizen:{citizen.pk}"


def cases_of(citizen: Citizen) -> QuerySet[Case]:
    """The citizen's cases, newest first."""
    return with_related(Case.objects.filter(citizen=citizen).order_by("-created_at", "-pk"))


def do_claim_case(case: Case, citizen: Citizen, token: str | None) -> bool:
    """Link an earlier case to the account; False when it was the account's already.

    NotAllowed (403) without the case's citizen_token; AlreadyClaimed (409) when another
    account holds it."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.citizen_id == citizen.pk:
            return False
        check_reporter(case, token)
        if case.citizen_id is not None:
            raise AlreadyClaimed(
                f"case {case.ticket_id} belongs to another account; it cannot be added to yours"
            )
        Case.objects.filter(pk=case.pk).update(citizen=citizen)
        do_note_reporter(case, citizen_person(citizen))  # no "me too" on one's own report
        audit(
            "citizen.case_claimed",
            obj=case,
            actor_label=f"citizen #{citizen.pk}",
            detail={"citizen": citizen.pk},
        )
    return True
