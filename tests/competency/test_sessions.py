"""The session services: fixed forms and their passing grades per subtest, the time limit,
one open session per officer, adaptive stop rules, and parameter versions kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.competency.bank.importer import ImportProblems, apply, parse
from pracha.competency.errors import ItemNotAsked, SessionFinished, SessionOpen, TimeUp
from pracha.competency.models import Assessment, Item, ItemBank, Session, Subtest
from pracha.competency.services.sessions import (
    do_answer,
    do_finish,
    do_start,
    pending_response,
)


def shown_position(session: Session, want_written: int) -> tuple[int, int]:
    """(item id, shown position) of the written option `want_written` of the waiting item."""
    pending = pending_response(session)
    assert pending is not None
    return pending.item_id, pending.option_order.index(want_written)


def best_position(session: Session) -> tuple[int, int]:
    """The right option, or the graded option scoring 5."""
    pending = pending_response(session)
    item = pending.item
    written = item.key if item.kind == "dichotomous" else item.option_scores.index(5)
    return pending.item_id, pending.option_order.index(written)


def worst_position(session: Session) -> tuple[int, int]:
    pending = pending_response(session)
    item = pending.item
    written = 1 if item.kind == "dichotomous" else item.option_scores.index(1)
    return pending.item_id, pending.option_order.index(written)


def run(session: Session, officer: Officer, pick: Callable[[Session], tuple[int, int]]) -> Session:
    rng = np.random.default_rng(0)
    while session.is_open:
        item, choice = pick(session)
        session = do_answer(session, officer, item, choice, rng=rng)
    return session


@pytest.fixture
def taker(bma: Agency, make_officer: Callable[..., tuple[Officer, str]]) -> Officer:
    return make_officer(bma)[0]


def test_a_fixed_form_draws_the_set_number_per_subtest(
    small_fixed: Assessment, taker: Officer
) -> None:
    session, first = do_start(taker, small_fixed, "th", rng=np.random.default_rng(1))
    assert [code for _item, code in session.form] == [
        "rules",
        "rules",
        "rules",
        "conduct",
        "conduct",
    ]
    assert len({item for item, _code in session.form}) == 5
    assert first.item_id == session.form[0][0] and first.position == 1
    assert sorted(first.option_order) == [0, 1, 2, 3]
    assert first.parameters == first.item.parameters  # the version it will be scored with


def test_every_subtest_must_reach_its_passing_grade(
    small_fixed: Assessment, taker: Officer
) -> None:
    session, _ = do_start(taker, small_fixed, "th")
    done = run(session, taker, best_position)
    assert done.end_reason == "completed" and done.passed is True
    assert done.score == 3 * 5 + 2 * 5
    parts = {p["code"]: p for p in done.result["subtests"]}
    assert (
        parts["rules"] | {"score": 15, "max": 15, "passing": 10, "passed": True} == parts["rules"]
    )
    assert parts["conduct"]["score"] == 10 and parts["conduct"]["passed"]
    assert done.theta is None and done.se is None  # provisional parameters: no theta
    assert done.result["domains"]["workflow"]["correct"] == 3

    again, _ = do_start(taker, small_fixed, "th")
    done = run(again, taker, worst_position)
    parts = {p["code"]: p for p in done.result["subtests"]}
    assert parts["rules"]["score"] == 0 and not parts["rules"]["passed"]
    assert parts["conduct"]["score"] == 2 and not parts["conduct"]["passed"]
    assert done.passed is False


def test_one_failing_subtest_fails_the_test(small_fixed: Assessment, taker: Officer) -> None:
    session, _ = do_start(taker, small_fixed, "th")
    done = run(
        session,
        taker,
        lambda s: (
            worst_position(s) if pending_response(s).item.kind == "graded" else best_position(s)
        ),
    )
    parts = {p["code"]: p["passed"] for p in done.result["subtests"]}
    assert parts == {"rules": True, "conduct": False} and done.passed is False


def test_theta_for_a_fixed_form_of_calibrated_items(
    small_fixed: Assessment, taker: Officer
) -> None:
    for item in Item.objects.filter(bank=small_fixed.bank):
        item.parameters.provisional = False
        item.parameters.save()
    session, _ = do_start(taker, small_fixed, "th")
    done = run(session, taker, best_position)
    assert done.theta is not None and done.theta > 0.5 and 0 < done.se < 1
    assert done.result["parameters"] == "calibrated"


def test_the_time_limit_is_kept_by_the_server(small_fixed: Assessment, taker: Officer) -> None:
    session, _ = do_start(taker, small_fixed, "th")
    item, choice = best_position(session)
    session = do_answer(session, taker, item, choice)
    item, choice = best_position(session)
    late = session.deadline + timedelta(seconds=1)
    with pytest.raises(TimeUp):
        do_answer(session, taker, item, choice, now=late)
    session.refresh_from_db()
    assert session.end_reason == "time_up" and session.finished_at == session.deadline
    assert session.answered == 1 and session.score == 5.0  # the late answer did not count
    assert session.passed is False  # unanswered items score nothing
    with pytest.raises(SessionFinished):
        do_answer(session, taker, item, choice)


def test_one_open_session_per_officer(small_fixed: Assessment, taker: Officer) -> None:
    session, _ = do_start(taker, small_fixed, "th")
    with pytest.raises(SessionOpen):
        do_start(taker, small_fixed, "en")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Session.objects.create(
            assessment=small_fixed,
            officer=taker,
            agency=taker.agency,
            language="th",
            deadline=timezone.now(),
        )
    do_finish(session, taker)
    do_start(taker, small_fixed, "th")  # finished: a new one may start


def test_an_overdue_session_ends_when_the_officer_starts_again(
    small_fixed: Assessment, taker: Officer
) -> None:
    session, _ = do_start(taker, small_fixed, "th")
    Session.objects.filter(pk=session.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    second, _ = do_start(taker, small_fixed, "th")
    session.refresh_from_db()
    assert session.end_reason == "time_up" and second.is_open


def test_an_answer_to_an_item_not_asked_is_refused(small_fixed: Assessment, taker: Officer) -> None:
    session, first = do_start(taker, small_fixed, "th")
    other = next(item for item, _c in session.form if item != first.item_id)
    with pytest.raises(ItemNotAsked):
        do_answer(session, taker, other, 0)
    with pytest.raises(ItemNotAsked):
        do_answer(session, taker, 999999, 0)


def test_the_shuffled_option_is_scored_as_written(small_fixed: Assessment, taker: Officer) -> None:
    session, first = do_start(taker, small_fixed, "th", rng=np.random.default_rng(11))
    shown = first.option_order.index(first.item.key)
    do_answer(session, taker, first.item_id, shown)
    first.refresh_from_db()
    assert first.choice == first.item.key and first.points == 5 and first.category == 1


def test_changing_the_key_of_an_answered_item_is_refused_by_the_importer(
    small_fixed: Assessment, taker: Officer
) -> None:
    session, first = do_start(taker, small_fixed, "th")
    do_answer(session, taker, *best_position(session))
    item = first.item
    row = (
        "code,language,domain,kind,stem,option_a,option_b,option_c,option_d,key,a,b\n"
        f"{item.code},th,workflow,dichotomous,{item.stem},{','.join(item.options)},B,1.7,0\n"
    )
    with pytest.raises(ImportProblems, match="has answers; changing its options, key or scores"):
        apply(parse(row), small_fixed.bank)


@pytest.fixture
def small_adaptive(db: None, make_item: Callable[..., Item]) -> Assessment:
    """40 items in two domains, b from -2 to 2."""
    bank = ItemBank.objects.create(code="ad", name_th="ปรับ", name_en="ad")
    for i in range(40):
        make_item(bank, f"a{i}", domain="workflow" if i % 2 else "pdpa", b=-2 + 4 * i / 39)
    test = Assessment.objects.create(
        code="ad",
        name_th="ปรับ",
        name_en="Adaptive",
        mode="adaptive",
        bank=bank,
        min_items=10,
        max_items=30,
        target_se=0.30,
        passing_theta=-1.0,
        time_limit_minutes=30,
        max_exposure=0,
    )
    Subtest.objects.create(
        assessment=test, code="w", name_th="ก", name_en="W", domains="workflow", items=1
    )
    Subtest.objects.create(
        assessment=test, code="p", name_th="ข", name_en="P", domains="pdpa", items=1
    )
    return test


@pytest.mark.slow
@pytest.mark.parametrize("ability", [-2.5, -1.0, 1.5])
def test_adaptive_stop_rules(small_adaptive: Assessment, taker: Officer, ability: float) -> None:
    """Answers drawn from a simulated officer: at least 10 items, at most 30, stopped at
    SE <= 0.30 (and clear of the passing ability) or at 30."""
    rng = np.random.default_rng(int(ability * 10) + 50)

    def simulated(session: Session) -> tuple[int, int]:
        pending = pending_response(session)
        p = pending.parameters
        right = rng.random() < 1 / (1 + np.exp(-p.a * (ability - p.b)))
        written = pending.item.key if right else (pending.item.key + 1) % 4
        return pending.item_id, pending.option_order.index(written)

    session, _ = do_start(taker, small_adaptive, "th")
    done = run(session, taker, simulated)
    assert 10 <= done.answered <= 30
    assert done.end_reason in {"se_reached", "max_items"}
    if done.end_reason == "se_reached":
        assert done.se <= 0.30 and abs(done.theta + 1.0) >= 2.58 * done.se
    else:
        assert done.answered == 30
    domains = done.result["domains"]
    assert abs(domains["workflow"]["items"] - domains["pdpa"]["items"]) <= 1  # balanced
    assert done.passed == (done.theta >= -1.0)
    assert 0 <= done.score <= 100 and done.result["passing_score"] is not None
