"""`pracha cat calibrate`: parameters recovered from simulated answers, stored as new
versions with standard errors and fit, bad items flagged, old responses keep their version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.competency.calibration.fit import choose_model, fit_dichotomous, fit_graded
from pracha.competency.models import (
    Assessment,
    Calibration,
    Item,
    ItemBank,
    Response,
    Session,
)


def simulate_2pl(
    rng: np.random.Generator, n: int, a: np.ndarray, b: np.ndarray, missing: float
) -> np.ndarray:
    theta = rng.normal(size=n)
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    x = (rng.random((n, len(b))) < p).astype(float)
    x[rng.random(x.shape) < missing] = np.nan
    return x


def test_2pl_parameters_are_recovered_with_answers_missing_by_design() -> None:
    rng = np.random.default_rng(21)
    a = rng.uniform(0.8, 2.2, 25)
    b = rng.uniform(-2, 2, 25)
    x = simulate_2pl(rng, 2000, a, b, missing=0.5)  # an adaptive test asks half the items
    fitted, converged = fit_dichotomous(x, "2pl")
    assert converged
    est_a = np.array([f.a for f in fitted])
    est_b = np.array([f.b for f in fitted])
    assert np.corrcoef(est_b, b)[0, 1] >= 0.95
    assert np.abs(est_b - b).mean() < 0.2
    assert np.corrcoef(est_a, a)[0, 1] >= 0.8
    assert all(f.se_a and f.se_b and 0 < f.se_b < 0.5 for f in fitted)
    assert all(0.7 < f.infit < 1.3 for f in fitted)  # type: ignore[operator]


def test_an_item_answered_at_random_is_flagged() -> None:
    rng = np.random.default_rng(3)
    a, b = np.full(12, 1.5), np.linspace(-1.5, 1.5, 12)
    x = simulate_2pl(rng, 1500, a, b, missing=0.0)
    x[:, 0] = (rng.random(1500) < 0.5).astype(float)  # a broken key: answers are coin flips
    fitted, _ = fit_dichotomous(x, "2pl")
    assert any("low discrimination" in flag for flag in fitted[0].flags)
    assert sum(bool(f.flags) for f in fitted[1:]) <= 1


@pytest.mark.slow
def test_the_1pl_fits_one_common_discrimination() -> None:
    rng = np.random.default_rng(4)
    b = np.linspace(-2, 2, 15)
    x = simulate_2pl(rng, 1500, np.full(15, 1.7), b, missing=0.3)
    fitted, converged = fit_dichotomous(x, "rasch")
    assert converged and len({round(f.a, 6) for f in fitted}) == 1
    assert fitted[0].a == pytest.approx(1.7, abs=0.2)
    assert np.corrcoef([f.b for f in fitted], b)[0, 1] > 0.98
    assert choose_model(x, "auto", 300) == "2pl" and choose_model(x, "auto", 5000) == "rasch"


@pytest.mark.slow
def test_graded_response_thresholds_are_recovered() -> None:
    rng = np.random.default_rng(5)
    n, items = 2000, 8
    theta = rng.normal(size=n)
    a = rng.uniform(0.8, 2.0, items)
    t = np.sort(rng.uniform(-2.5, 1.5, (items, 4)), axis=1)
    star = 1 / (1 + np.exp(-a[None, :, None] * (theta[:, None, None] - t[None])))
    y = (rng.random((n, items, 1)) < star).sum(axis=2).astype(float)
    fitted, converged = fit_graded(y)
    assert converged
    estimated = np.array([f.thresholds for f in fitted])
    assert np.corrcoef(estimated.ravel(), t.ravel())[0, 1] > 0.95


@pytest.fixture
def answered_bank(
    db: None,
    bma: Agency,
    make_officer: Callable[..., tuple[Officer, str]],
    make_item: Callable[..., Item],
) -> ItemBank:
    """400 finished sessions of 12 right-or-wrong items answered from known parameters,
    one item answered at random, and one item asked only 30 times."""
    rng = np.random.default_rng(8)
    bank = ItemBank.objects.create(code="cal", name_th="ปรับเทียบ", name_en="cal")
    b = np.linspace(-1.5, 1.5, 12)
    items = [make_item(bank, f"k{i}", b=float(b[i])) for i in range(12)]
    rare = make_item(bank, "rare", b=0.0)
    assessment = Assessment.objects.create(
        code="cal", name_th="ป", name_en="c", mode="fixed", bank=bank
    )
    officer, _ = make_officer(bma)
    now = timezone.now()
    x = simulate_2pl(rng, 400, np.full(12, 1.7), b, missing=0.0)
    x[:, 3] = (rng.random(400) < 0.5).astype(float)
    sessions = Session.objects.bulk_create(
        Session(
            assessment=assessment,
            officer=officer,
            agency=bma,
            language="th",
            started_at=now,
            deadline=now + timedelta(minutes=5),
            finished_at=now,
        )
        for _ in range(400)
    )
    responses = []
    for s, session in enumerate(sessions):
        for i, item in enumerate(items):
            right = int(x[s, i])
            responses.append(
                Response(
                    session=session,
                    position=i + 1,
                    item=item,
                    subtest="k",
                    parameters=item.parameters,
                    option_order=[0, 1, 2, 3],
                    choice=0 if right else 1,
                    points=5 * right,
                    category=right,
                    answered_at=now,
                )
            )
        if s < 30:
            responses.append(
                Response(
                    session=session,
                    position=13,
                    item=rare,
                    subtest="k",
                    parameters=rare.parameters,
                    option_order=[0, 1, 2, 3],
                    choice=0,
                    points=5,
                    category=1,
                    answered_at=now,
                )
            )
    Response.objects.bulk_create(responses)
    return bank


@pytest.mark.slow
def test_the_command_stores_new_versions_and_keeps_the_old_ones(
    answered_bank: ItemBank, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("cat", "calibrate", "--bank", "cal", "--dry-run")
    assert "dry run: nothing stored" in capsys.readouterr().out
    assert not Calibration.objects.exists()

    call_command("cat", "calibrate", "--bank", "cal", "--model", "2pl")
    out = capsys.readouterr().out
    assert "th dichotomous: 2pl, 12 item(s), 400 session(s), converged" in out
    assert "rare       skipped: 30 answers, needs 100" in out
    calibration = Calibration.objects.get()
    assert calibration.library.startswith("mirt ") and calibration.items_calibrated == 12
    k0 = Item.objects.get(code="k0")
    current = k0.parameters
    assert current.version == 2 and not current.provisional and current.calibration == calibration
    assert current.se_a and current.se_b and current.infit and current.outfit
    assert current.n_responses == 400 and "calibrated: mirt" in current.source
    # Every response keeps the version it was scored with.
    assert set(Response.objects.filter(item=k0).values_list("parameters__version", flat=True)) == {
        1
    }
    broken = Item.objects.get(code="k3")
    assert broken.needs_review and "low discrimination" in broken.review_note
    assert Item.objects.get(code="rare").parameters.version == 1  # too few answers: untouched
    estimated = [Item.objects.get(code=f"k{i}").parameters.b for i in range(12) if i != 3]
    assert (
        np.corrcoef(estimated, np.linspace(-1.5, 1.5, 12)[[i for i in range(12) if i != 3]])[0, 1]
        > 0.95
    )


def test_calibrating_without_answers_says_so(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    ItemBank.objects.create(code="empty", name_th="ว่าง")
    call_command("cat", "calibrate", "--bank", "empty")
    assert "nothing calibrated: no group had enough answers" in capsys.readouterr().out
    with pytest.raises(Exception, match="there is no item bank 'nope'"):
        call_command("cat", "calibrate", "--bank", "nope")
