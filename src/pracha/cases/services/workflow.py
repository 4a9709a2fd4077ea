"""Officer actions on a case: each change is one Event, written with the case atomically."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.actors import Actor, Power, check_may
from pracha.cases.errors import ForwardingLoop, IllegalTransition, InvalidInput
from pracha.cases.models import Case, Event, Photo
from pracha.cases.services.text import clean_text
from pracha.cases.signals import announce
from pracha.states import CLOSED_STATES, WORK_STATES, State, can_move

NOTE_LIMIT = 5000

# The action that owns each state outside the working states (for readable refusals).
OWNING_ACTION = {
    State.ACCEPTED: "use the accept action",
    State.FORWARDED: "use the forward action",
    State.DONE: "use the close action",
    State.IRRELEVANT: "use the close action",
    State.WAITING: "only the reporter can reopen a case",
}


# --- checks (no writes) -------------------------------------------------------------------


def check_officer_can_act(officer: Officer | None, case: Case) -> None:
    """Work on the case (comment, progress states, photos): its own agency's officers, a
    supervisor, and officers of an agency invited to help (see pracha.cases.actors)."""
    check_may(officer, case, Power.HELP)


def check_can_manage(officer: Officer | None, case: Case, action: str = "") -> None:
    """Accept, forward, invite, close, re-route or merge: moving responsibility stays with
    the responsible agency or a supervisor; an invited helper may not (issue 22.2). A refusal
    is audited as case.action_refused with `action`."""
    check_may(officer, case, Power.MANAGE, action)


def check_transition(case: Case, to_state: str) -> None:
    try:
        target = State(to_state)
    except ValueError as exc:
        known = ", ".join(State.values)
        raise InvalidInput(
            f"unknown state {to_state!r}; states are: {known}", field="state"
        ) from exc
    if not can_move(case.state, target):
        raise IllegalTransition(
            f"case {case.ticket_id} is {case.state}; it cannot move to {target.value}"
        )


def check_forward(case: Case, officer: Officer, to_agency: Agency, reason: str) -> None:
    check_can_manage(officer, case, "forward")
    check_transition(case, State.FORWARDED)
    if not reason.strip():
        raise InvalidInput("a reason is required to forward a case", field="reason")
    if to_agency.pk == case.agency_id:
        raise InvalidInput(f"case {case.ticket_id} is already with {to_agency}", field="agency")
    if not to_agency.is_active:
        raise InvalidInput(f"{to_agency} no longer takes cases", field="agency")
    check_forwarding_loop(case, to_agency)


def held_by(case: Case) -> list[int]:
    """Agency ids that have held the case, in order (the first holder, then each forward).

    A case can also change hands without a forward (routing after intake, an import), so
    each forward's sender and the current holder count as holders too.
    """
    chain: list[int] = []

    def held(agency_id: int | None) -> None:
        if agency_id and (not chain or chain[-1] != agency_id):
            chain.append(agency_id)

    held(case.events.filter(kind=Event.Kind.CREATED).values_list("to_agency", flat=True).first())
    forwards = case.events.filter(kind=Event.Kind.FORWARDED).order_by("at", "id")
    for from_id, to_id in forwards.values_list("from_agency", "to_agency"):
        held(from_id)
        held(to_id)
    held(case.agency_id)
    return chain


def check_forwarding_loop(case: Case, to_agency: Agency) -> None:
    """Refuse a forward that sends a case back to an agency once too often (A -> B -> A ...).

    Each forward to an agency that already held the case is a "return"; up to
    PRACHA_FORWARD_RETURN_LIMIT returns are allowed, after which a supervisor must decide.
    """
    chain = held_by(case)
    seen: set[int] = set()
    returns = 0
    for agency_id in [*chain, to_agency.pk]:
        if agency_id in seen:
            returns += 1
        seen.add(agency_id)
    limit = settings.PRACHA.forward_return_limit
    if returns > limit:
        raise ForwardingLoop(
            f"case {case.ticket_id} has already been with {to_agency}; sending it back again "
            f"would make {returns} returns (limit {limit}). Ask a supervisor to assign it."
        )


# --- writes -------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.all_kinds.select_for_update().get(pk=case.pk)


def _note(note: str | None, *, required: bool = False, field: str = "note") -> str:
    return clean_text(note, field=field, max_chars=NOTE_LIMIT, required=required)


def record(
    case: Case,
    actor: Actor,
    kind: str,
    *,
    changes: dict[str, object] | None = None,
    at: datetime | None = None,
    **fields: object,
) -> Event:
    """Apply `changes` to the case row and write the event that explains them (at `at`)."""
    now = at or timezone.now()
    changes = {**(changes or {}), "updated_at": now}
    for name, value in changes.items():
        setattr(case, name, value)
    case.save(update_fields=list(changes))
    event = Event.objects.create(
        case=case,
        kind=kind,
        at=now,
        actor=actor.user,
        actor_label=actor.label,
        agency=actor.agency,
        **fields,
    )
    announce(case.pk, event.pk)
    return event


def do_accept(case: Case, officer: Officer, note: str = "") -> Event:
    note = _note(note)
    with transaction.atomic():
        case = _locked(case)
        check_can_manage(officer, case, "accept")
        check_transition(case, State.ACCEPTED)
        return record(
            case,
            Actor.for_officer(officer),
            Event.Kind.ACCEPTED,
            changes={"state": State.ACCEPTED},
            from_state=case.state,
            to_state=State.ACCEPTED,
            note=note,
        )


def do_comment(case: Case, officer: Officer, note: str, *, public: bool = True) -> Event:
    note = _note(note, required=True)
    with transaction.atomic():
        case = _locked(case)
        check_officer_can_act(officer, case)
        return record(
            case, Actor.for_officer(officer), Event.Kind.COMMENTED, note=note, is_public=public
        )


def do_change_state(case: Case, officer: Officer, to_state: str, note: str = "") -> Event:
    """Move between working states (in progress, studying, budget request, ...)."""
    note = _note(note)
    with transaction.atomic():
        case = _locked(case)
        check_officer_can_act(officer, case)
        check_transition(case, to_state)
        if State(to_state) not in WORK_STATES:
            raise IllegalTransition(
                f"case {case.ticket_id} cannot be moved to {to_state} this way: "
                f"{OWNING_ACTION[State(to_state)]}"
            )
        return record(
            case,
            Actor.for_officer(officer),
            Event.Kind.STATE_CHANGED,
            changes={"state": to_state},
            from_state=case.state,
            to_state=to_state,
            note=note,
        )


def do_forward(case: Case, officer: Officer, to_agency: Agency, reason: str) -> Event:
    """Hand the case to another agency, which becomes responsible for it."""
    reason = _note(reason, required=True, field="reason")
    with transaction.atomic():
        case = _locked(case)
        check_forward(case, officer, to_agency, reason)
        case.co_agencies.remove(to_agency)
        return record(
            case,
            Actor.for_officer(officer),
            Event.Kind.FORWARDED,
            changes={
                "state": State.FORWARDED,
                "agency": to_agency,
                "forward_count": case.forward_count + 1,
            },
            from_state=case.state,
            to_state=State.FORWARDED,
            from_agency=case.agency,
            to_agency=to_agency,
            note=reason,
        )


def do_invite(case: Case, officer: Officer, agency: Agency, reason: str) -> Event:
    """Share the case with another agency that must act too; responsibility stays put."""
    reason = _note(reason, required=True, field="reason")
    with transaction.atomic():
        case = _locked(case)
        check_can_manage(officer, case, "invite")
        return _invite(case, Actor.for_officer(officer), agency, reason)


def do_system_invite(case: Case, actor: Actor, agency: Agency, reason: str) -> Event:
    """An invitation Pracha makes itself (triage's co-agency rules on intake), as `actor`."""
    reason = _note(reason, required=True, field="reason")
    with transaction.atomic():
        return _invite(_locked(case), actor, agency, reason)


def _invite(case: Case, actor: Actor, agency: Agency, reason: str) -> Event:
    if case.state in CLOSED_STATES:
        raise IllegalTransition(f"case {case.ticket_id} is closed; reopen it first")
    if agency.pk == case.agency_id or case.co_agencies.filter(pk=agency.pk).exists():
        raise InvalidInput(f"{agency} already works on case {case.ticket_id}", field="agency")
    if not agency.is_active:
        raise InvalidInput(f"{agency} no longer takes cases", field="agency")
    case.co_agencies.add(agency)
    return record(case, actor, Event.Kind.INVITED, to_agency=agency, note=reason)


def do_close(
    case: Case, officer: Officer, outcome: str, note: str = "", photo: Photo | None = None
) -> Event:
    """Close as done (with an optional after-photo) or as not relevant (reason required)."""
    if outcome not in {State.DONE, State.IRRELEVANT}:
        raise InvalidInput("outcome must be 'done' or 'irrelevant'", field="outcome")
    note = _note(note)
    if outcome == State.IRRELEVANT and not note:
        raise InvalidInput("a reason is required to close a case as irrelevant", field="note")
    with transaction.atomic():
        case = _locked(case)
        check_can_manage(officer, case, "close")
        check_transition(case, outcome)
        if photo is not None and (photo.case_id != case.pk or photo.kind != Photo.Kind.AFTER):
            raise InvalidInput(
                "the after-photo must be an 'after' photo of this case", field="photo_id"
            )
        now = timezone.now()
        return record(
            case,
            Actor.for_officer(officer),
            Event.Kind.CLOSED,
            changes={"state": outcome, "closed_at": now},
            at=now,
            from_state=case.state,
            to_state=outcome,
            note=note,
            photo=photo,
        )
