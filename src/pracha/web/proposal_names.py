"""Names of proposals' states, decisions, reasons and timeline steps, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pracha.proposals.models import ProposalEvent
from pracha.web import names

Kind = ProposalEvent.Kind

STATE_NAMES = {
    "published": gettext_lazy("Collecting supports"),
    "threshold_reached": gettext_lazy("Threshold reached, awaiting an answer"),
    "accepted": gettext_lazy("Accepted"),
    "partially_accepted": gettext_lazy("Partially accepted"),
    "rejected": gettext_lazy("Rejected"),
    "in_progress": gettext_lazy("In progress"),
    "implemented": gettext_lazy("Implemented"),
    "expired": gettext_lazy("Expired below the threshold"),
    "withdrawn": gettext_lazy("Withdrawn by the author"),
    "merged": gettext_lazy("Merged into another proposal"),
}
REASON_NAMES = {
    "duplicate": gettext_lazy("Duplicate of another proposal"),
    "not_competent": gettext_lazy("Not within the agency's powers"),
    "already_planned": gettext_lazy("Already planned"),
    "infeasible": gettext_lazy("Not feasible"),
    "legal": gettext_lazy("Not allowed by law"),
    "budget": gettext_lazy("No budget"),
    "other": gettext_lazy("Other reason"),
}
EVENT_NAMES: dict[str, object] = {
    Kind.PUBLISHED: gettext_lazy("Published"),
    Kind.THRESHOLD_REACHED: gettext_lazy("Reached the threshold; the agency must answer"),
    Kind.ROUTED: gettext_lazy("Routed to an agency"),
    Kind.FORWARDED: gettext_lazy("Forwarded to the competent agency"),
    Kind.ANSWER_DRAFTED: gettext_lazy("An answer was drafted"),
    Kind.ANSWERED: gettext_lazy("The agency answered"),
    Kind.RESULT: gettext_lazy("Progress reported"),
    Kind.IMPLEMENTED: gettext_lazy("Implemented"),
    Kind.ESCALATED: gettext_lazy("The answer is overdue; escalated to the supervisors"),
    Kind.EXPIRED: gettext_lazy("Expired below the threshold"),
    Kind.WITHDRAWN: gettext_lazy("Withdrawn by the author"),
    Kind.MERGED: gettext_lazy("Merged into another proposal; supports moved with it"),
    Kind.MERGED_IN: gettext_lazy("A duplicate was merged into it"),
    Kind.HIDDEN: gettext_lazy("Hidden after reports, until a moderator decides"),
    Kind.RESTORED: gettext_lazy("A moderator restored it"),
    Kind.REMOVED: gettext_lazy("A moderator removed it"),
}


def state_name(state: str) -> str:
    return str(STATE_NAMES.get(state, state))


def reason_name(reason: str) -> str:
    return str(REASON_NAMES.get(reason, reason))


def decision_name(event: ProposalEvent) -> str:
    return state_name(str(event.data.get("decision", "")))


def event_sentence(event: ProposalEvent) -> str:
    sentence = str(EVENT_NAMES.get(event.kind, event.kind))
    if event.to_agency is not None and event.kind in (
        Kind.THRESHOLD_REACHED,
        Kind.ROUTED,
        Kind.FORWARDED,
    ):
        sentence += _(" (to %(agency)s)") % {"agency": agency_name(event.to_agency)}
    return sentence


def agency_name(agency: object) -> str:
    return names.localised(agency)
