"""Starting a test, answering, finishing: check_* validates, do_* writes in one transaction.

One open session per officer (a partial unique index backs the check), the time limit is
kept here and not by the page, an answer must be to the item waiting for one, and the key and
option scores never leave this module except as points.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from pracha.agencies.models import Officer
from pracha.competency.errors import (
    InvalidInput,
    ItemNotAsked,
    NotAllowed,
    NotFound,
    SessionFinished,
    SessionOpen,
    TimeUp,
)
from pracha.competency.irt import Estimate, Pool
from pracha.competency.models import Assessment, Item, ItemExposure, Response, Session
from pracha.competency.selection.adaptive import Rules, choose, stop_reason
from pracha.competency.selection.forms import Part, draw_form
from pracha.competency.services import scoring
from pracha.competency.services.pools import (
    adaptive_pool,
    blueprint_shares,
    exposure_counts,
    usable_items,
)

LANGUAGES = {code for code, _ in Item.Language.choices}


def rules_of(assessment: Assessment) -> Rules:
    return Rules(
        min_items=assessment.min_items,
        max_items=assessment.max_items,
        target_se=assessment.target_se,
        passing_theta=assessment.passing_theta,
        classification_stop=assessment.classification_stop,
        z=assessment.classification_z,
        randomesque=assessment.randomesque,
        max_exposure=assessment.max_exposure or None,
    )


def get_assessment(code: str) -> Assessment:
    assessment = Assessment.objects.filter(code=code, is_active=True).first()
    if assessment is None:
        raise NotFound(f"there is no test {code!r}")
    return assessment


def get_session(session_id: UUID | str) -> Session:
    try:
        return Session.objects.select_related("assessment", "officer", "agency").get(pk=session_id)
    except (Session.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound("there is no such test session") from exc


def open_session(officer: Officer) -> Session | None:
    finish_overdue(Session.objects.open().filter(officer=officer))
    return Session.objects.open().filter(officer=officer).first()


# -- start -------------------------------------------------------------------------------


def check_start(officer: Officer, assessment: Assessment, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput("language must be th or en", field="language")
    running = open_session(officer)
    if running is not None:
        raise SessionOpen(
            f"you already have a test running (session {running.id}); answer or end it first",
            field="session",
        )


def do_start(
    officer: Officer,
    assessment: Assessment,
    language: str,
    rng: np.random.Generator | None = None,
    now: datetime | None = None,
) -> tuple[Session, Response]:
    """A new session and its first item."""
    check_start(officer, assessment, language)
    rng = rng or np.random.default_rng()
    now = now or timezone.now()
    session = Session(
        assessment=assessment,
        officer=officer,
        agency=officer.agency,
        language=language,
        started_at=now,
        deadline=now + timedelta(minutes=assessment.time_limit_minutes),
        score=0.0,
    )
    if not assessment.adaptive:
        session.form = [list(pair) for pair in draw_form(fixed_parts(assessment, language), rng)]
    try:
        with transaction.atomic():
            session.save()
            first = ask_next(session, rng, now)
    except IntegrityError as exc:  # another request started one in between
        raise SessionOpen("you already have a test running", field="session") from exc
    if first is None:
        raise InvalidInput(f"the bank has no {language} item for this test", field="language")
    return session, first


def fixed_parts(assessment: Assessment, language: str) -> list[Part]:
    items = list(usable_items(assessment, language).values_list("id", "domain", "kind"))
    return [
        Part(
            subtest.code,
            subtest.items,
            [
                i
                for i, domain, kind in items
                if domain in subtest.domain_list and kind == subtest.kind
            ],
        )
        for subtest in assessment.subtests.all()
    ]


# -- asking ------------------------------------------------------------------------------


def pending_response(session: Session) -> Response | None:
    return (
        session.responses.filter(answered_at__isnull=True)
        .select_related("item", "parameters")
        .first()
    )


def ask(
    session: Session, item: Item, subtest: str, rng: np.random.Generator, now: datetime
) -> Response:
    return Response.objects.create(
        session=session,
        position=session.responses.count() + 1,
        item=item,
        subtest=subtest,
        parameters=item.parameters,
        option_order=[int(i) for i in rng.permutation(len(item.options))],
        asked_at=now,
    )


def ask_next(session: Session, rng: np.random.Generator, now: datetime) -> Response | None:
    """Create the next item's response row (None: nothing left to ask)."""
    if not session.assessment.adaptive:
        position = session.responses.count()
        if position >= len(session.form):
            return None
        item_id, subtest = session.form[position]
        item = Item.objects.select_related("parameters").get(pk=item_id)
        return ask(session, item, subtest, rng, now)
    pool, part_of_domain = adaptive_pool(session.assessment, session.language)
    asked = list(session.responses.select_related("item", "parameters"))
    used = np.zeros(len(pool), dtype=bool)
    for item_id in [r.item_id for r in asked] + list(session.held_back):
        if item_id in pool.index:
            used[pool.index[item_id]] = True
    ability = scoring.estimate(asked) or Estimate(0.0, 1.0)
    selected, tests = exposure_counts(session.assessment, pool, session.language)
    choice = choose(
        pool,
        ability,
        used,
        [r.item.domain for r in asked],
        blueprint_shares(session.assessment),
        rules_of(session.assessment),
        rng,
        np.array(selected, dtype=float),
        tests,
    )
    if choice is None:
        return None
    count_exposure(session.assessment, pool, choice.tried, choice.position)
    if choice.held_back:
        session.held_back = list(session.held_back) + [pool.ids[p] for p in choice.held_back]
        session.save(update_fields=["held_back"])
    item = Item.objects.select_related("parameters").get(pk=pool.ids[choice.position])
    return ask(session, item, part_of_domain[item.domain], rng, now)


def count_exposure(assessment: Assessment, pool: Pool, tried: list[int], shown: int) -> None:
    ids = [pool.ids[p] for p in tried]
    ItemExposure.objects.bulk_create(
        [ItemExposure(assessment=assessment, item_id=i) for i in ids], ignore_conflicts=True
    )
    ItemExposure.objects.filter(assessment=assessment, item_id__in=ids).update(
        selected=F("selected") + 1
    )
    ItemExposure.objects.filter(assessment=assessment, item_id=pool.ids[shown]).update(
        administered=F("administered") + 1
    )


def item_dict(response: Response) -> dict[str, Any]:
    """The item as the officer sees it: never its key or option scores."""
    item = response.item
    session = response.session
    return {
        "id": item.id,
        "stem": item.stem,
        "options": [item.options[i] for i in response.option_order],
        "kind": item.kind,
        "domain": item.domain,
        "position": response.position,
        "of": scoring.assessment_max_items(session.assessment),
    }


def progress_dict(session: Session) -> dict[str, Any]:
    return {
        "finished": False,
        "session": str(session.id),
        "assessment": session.assessment.code,
        "mode": session.assessment.mode,
        "language": session.language,
        "answered": session.answered,
        "score_so_far": session.score,
        "deadline": session.deadline.isoformat(),
        "seconds_left": max(0, int((session.deadline - timezone.now()).total_seconds())),
    }


def state_dict(session: Session) -> dict[str, Any]:
    """An open session's current item with its progress, or a finished one's result."""
    if not session.is_open:
        return scoring.result_dict(session)
    pending = pending_response(session)
    body = progress_dict(session)
    body["item"] = item_dict(pending) if pending else None
    return body


# -- answering ---------------------------------------------------------------------------


def check_owner(session: Session, officer: Officer) -> None:
    if session.officer_id != officer.id:
        raise NotAllowed("this is another officer's test")


def check_answer(session: Session, officer: Officer, item_id: int, choice: int) -> Response:
    """The waiting response this answer is for; refuses anything else."""
    check_owner(session, officer)
    if not session.is_open:
        raise SessionFinished("this test has finished; no more answers")
    pending = pending_response(session)
    if pending is None or pending.item_id != item_id:
        raise ItemNotAsked("that item is not the one waiting for an answer", field="item")
    if not 0 <= choice < len(pending.option_order):
        raise InvalidInput(
            f"choice must be 0 to {len(pending.option_order) - 1} (the options as shown)",
            field="choice",
        )
    return pending


def do_answer(
    session: Session,
    officer: Officer,
    item_id: int,
    choice: int,
    rng: np.random.Generator | None = None,
    now: datetime | None = None,
) -> Session:
    """Record the answer, then ask the next item or finish. Past the deadline the session is
    finished with what was answered in time, and TimeUp is raised."""
    now = now or timezone.now()
    rng = rng or np.random.default_rng()
    check_owner(session, officer)
    if session.is_open and now > session.deadline:
        finish(session, Session.End.TIME_UP, session.deadline)
        raise TimeUp("the time limit has passed; the test is finished with the answers given")
    with transaction.atomic():
        session = (
            Session.objects.select_for_update().select_related("assessment").get(pk=session.pk)
        )
        pending = check_answer(session, officer, item_id, choice)
        item = pending.item
        written = pending.option_order[choice]
        pending.choice = written
        pending.points = item.points(written, session.assessment.points_correct)
        pending.category = item.category(written)
        pending.answered_at = now
        pending.save(update_fields=["choice", "points", "category", "answered_at"])
        session.answered = F("answered") + 1
        session.save(update_fields=["answered"])
        session.refresh_from_db()
        reason = after_answer(session, rng, now)
        if reason:
            finish(session, reason, now)
    return get_session(session.pk)


def after_answer(session: Session, rng: np.random.Generator, now: datetime) -> str | None:
    """Update the live score; ask the next item, or say why the test ends."""
    responses = list(session.responses.select_related("item", "parameters"))
    if not session.assessment.adaptive:
        session.score = float(sum(r.points or 0 for r in responses))
        session.save(update_fields=["score"])
        if session.answered >= len(session.form):
            return Session.End.COMPLETED
        ask_next(session, rng, now)
        return None
    ability = scoring.estimate(responses) or Estimate(0.0, 1.0)
    pool, _parts = adaptive_pool(session.assessment, session.language)
    session.theta, session.se = ability.theta, ability.se
    session.score = scoring.scale_score(pool, ability.theta)
    session.save(update_fields=["theta", "se", "score"])
    asked = {r.item_id for r in responses} | set(session.held_back)
    left = sum(1 for item in pool.ids if item not in asked)
    reason = stop_reason(session.answered, ability, rules_of(session.assessment), left)
    if reason:
        return reason
    if ask_next(session, rng, now) is None:
        return Session.End.POOL_EMPTY
    return None


# -- finishing ---------------------------------------------------------------------------


def finish(session: Session, reason: str, when: datetime) -> Session:
    """Score the session and close it (idempotent: a finished session is left alone)."""
    with transaction.atomic():
        session = (
            Session.objects.select_for_update().select_related("assessment").get(pk=session.pk)
        )
        if not session.is_open:
            return session
        responses = list(session.responses.select_related("item", "parameters"))
        if session.assessment.adaptive:
            pool, _parts = adaptive_pool(session.assessment, session.language)
            result = scoring.adaptive_result(session, responses, pool, scoring.estimate(responses))
        else:
            result = scoring.fixed_result(session, responses)
        result["domains"] = scoring.domain_table(responses, session.assessment.points_correct)
        result["parameters"] = scoring.calibrated([r for r in responses if r.choice is not None])
        session.theta = result.pop("theta")
        session.se = result.pop("se")
        session.score = result.pop("score")
        session.passed = result.pop("passed")
        session.result = result
        session.finished_at = when
        session.end_reason = reason
        session.save()
    return session


def do_finish(session: Session, officer: Officer, now: datetime | None = None) -> Session:
    """The officer ends the test now; unanswered items score nothing."""
    check_owner(session, officer)
    if not session.is_open:
        raise SessionFinished("this test has already finished")
    now = now or timezone.now()
    if now > session.deadline:
        return finish(session, Session.End.TIME_UP, session.deadline)
    return finish(session, Session.End.ENDED_EARLY, now)


def finish_overdue(sessions: Iterable[Session] | None = None, now: datetime | None = None) -> int:
    """Finish open sessions whose time ran out (at their deadline); how many."""
    now = now or timezone.now()
    query = Session.objects.open().filter(deadline__lt=now)
    if sessions is not None:
        query = query.filter(pk__in=[s.pk for s in sessions])
    done = 0
    for session in query.select_related("assessment")[:200]:
        finish(session, Session.End.TIME_UP, session.deadline)
        done += 1
    return done
