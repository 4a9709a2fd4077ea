"""Signal receivers: privacy follow-ups.

The device and account ids an Open311 client sent identify a person as their contact does,
so `pracha privacy export` lists them and `erase` blanks them (through the signals of
pracha.audit.signals), and `purge-expired` blanks them with the contact (its audit entry,
written in the same transaction, is the cue). Erasure also scrubs what else here holds the
reporter's text: free-form answers to the service definition. (Stored webhook bodies are
pracha.notify's, which scrubs them on the same signal.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.dateparse import parse_datetime

from pracha.audit.models import AuditEntry
from pracha.cases.models import Case
from pracha.masking.personal_data import mask_personal_data
from pracha.open311.definitions import scrub_answers
from pracha.open311.models import Submission
from pracha.states import CLOSED_STATES

PRIVATE_FIELDS = {"device_id": "", "account_id": ""}


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, raw: bool, **_: Any) -> None:
    if not created or raw:
        return
    if instance.action == "privacy.purge_expired":
        cutoff = parse_datetime(str(instance.detail.get("closed_before", "")))
        if cutoff is not None:
            Submission.objects.filter(
                case__state__in=CLOSED_STATES, case__closed_at__lt=cutoff
            ).update(**PRIVATE_FIELDS)


def held_about_reporter(sender: Any, case: Case, **_: Any) -> dict[str, str] | None:
    """What an Open311 client told us about the person who filed `case`."""
    row = Submission.objects.filter(case=case).values(*PRIVATE_FIELDS).first()
    if row is None or not any(row.values()):
        return None
    return {name: value for name, value in row.items() if value}


def erase_reporter(
    sender: Any, case: Case, scrub: Callable[[str], str] = mask_personal_data, **_: Any
) -> None:
    """Blank the device and account ids and scrub the free-form answers."""
    submission = Submission.objects.filter(case=case).first()
    if submission is not None:
        answers = scrub_answers(submission.service_code, submission.attributes or {}, scrub)
        Submission.objects.filter(pk=submission.pk).update(**PRIVATE_FIELDS, attributes=answers)
