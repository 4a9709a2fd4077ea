"""Signal receivers: webhook outbox rows with each timeline event, and privacy follow-ups.

The device and account ids an Open311 client sent identify a person as their contact does,
so they go when the privacy commands erase or purge that contact (the audit entries those
commands write, in the same transaction, are the cue).
"""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_datetime

from pracha.audit.models import AuditEntry
from pracha.cases.states import CLOSED_STATES
from pracha.open311.models import Submission

PRIVATE_FIELDS = {"device_id": "", "account_id": ""}


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, raw: bool, **_: Any) -> None:
    if not created or raw:
        return
    if instance.action == "privacy.erase" and instance.object_type == "case":
        Submission.objects.filter(case__ticket_id=instance.object_id).update(**PRIVATE_FIELDS)
    elif instance.action == "privacy.purge_expired":
        cutoff = parse_datetime(str(instance.detail.get("closed_before", "")))
        if cutoff is not None:
            Submission.objects.filter(
                case__state__in=CLOSED_STATES, case__closed_at__lt=cutoff
            ).update(**PRIVATE_FIELDS)
