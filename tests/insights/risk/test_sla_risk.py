"""SLA risk: training, a time-ordered evaluation, scoring open cases, the list."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.models import Case
from pracha.insights.models import CaseRisk

pytestmark = pytest.mark.django_db


@pytest.fixture
def var(settings: Any, tmp_path: Path, pracha: Callable[..., None]) -> Path:
    pracha(var_dir=tmp_path)
    return tmp_path


@pytest.fixture
def history(make_case: Callable[..., Case], make_agency: Callable[..., Agency]) -> list[Case]:
    """Flooding (24 h target): the slow agency misses it, the fast one meets it."""
    rng = random.Random(5)
    slow, fast = make_agency("slow"), make_agency("fast")
    now = timezone.localtime()
    cases = []
    for i in range(160):
        agency = slow if i % 2 else fast
        created = now - timedelta(days=200 - i, hours=rng.randint(0, 10))
        hours = rng.uniform(30, 90) if agency is slow else rng.uniform(1, 20)
        cases.append(
            make_case(
                categories=["flooding"],
                created=created.strftime("%Y-%m-%d %H:%M"),
                agency=agency,
                district="บางรัก",
                state="done",
                closed=(created + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M"),
            )
        )
    for agency in (slow, fast):  # open now, 3 hours old
        created = (now - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
        cases.append(
            make_case(categories=["flooding"], created=created, agency=agency, district="บางรัก")
        )
    overdue = (now - timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    cases.append(make_case(categories=["flooding"], created=overdue, agency=fast, district="บางรัก"))
    return cases


def test_evaluate_prints_quality_on_a_time_ordered_hold_out(history: list[Case], var: Path) -> None:
    out = StringIO()
    call_command("sla_risk", "evaluate", stdout=out)
    text = out.getvalue()
    assert "time-ordered hold-out" in text and "AUC" in text and "calibration" in text
    auc = float(text.split("model: ")[1].split()[1])
    assert auc > 0.9  # the agency tells it all


@pytest.mark.slow
def test_train_then_score_ranks_the_slow_agency_first(
    history: list[Case], var: Path, api: Client
) -> None:
    call_command("sla_risk", "train", stdout=StringIO())
    assert (var / "models" / "sla_risk.pkl").exists()
    out = StringIO()
    call_command("sla_risk", "score", stdout=out)
    assert "scored 3 open cases (1 already overdue)" in out.getvalue()
    body = api.get("/api/v1/sla-risk").json()
    assert body["scored_at"] and body["note"] is None
    first, second = body["rows"]
    assert first["agency"] == "slow" and second["agency"] == "fast"
    assert first["probability"] > 0.5 > second["probability"]
    overdue = api.get("/api/v1/sla-risk?overdue=true").json()["rows"]
    assert len(overdue) == 1 and overdue[0]["probability"] == 1.0
    assert api.get("/api/v1/sla-risk?agency=fast").json()["rows"][0]["agency"] == "fast"
    assert CaseRisk.objects.count() == 3


def test_without_a_model_the_list_says_what_to_run(db: None, var: Path, api: Client) -> None:
    body = api.get("/api/v1/sla-risk").json()
    assert body["rows"] == [] and "pracha sla-risk train" in body["note"]
    with pytest.raises(CommandError, match="pracha sla-risk train"):
        call_command("sla_risk", "score", stdout=StringIO())


@pytest.mark.parametrize(
    "args",
    [["evaluate", "--target-hours", "-1"], ["evaluate", "--test-share", "0.9"],
     ["train", "--file", "data/traffy/fondue_2023-05-14_2023-05-16.csv"],
     ["evaluate", "--file", "/no/such/file.csv"]],
)  # fmt: skip
def test_bad_arguments_are_refused(db: None, var: Path, args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("sla_risk", *args, stdout=StringIO())


def test_no_cases_no_training(db: None, var: Path) -> None:
    with pytest.raises(CommandError):
        call_command("sla_risk", "train", stdout=StringIO())


def test_scores_are_recentred_on_the_recent_share_missed() -> None:
    """A drift (a short-staffed office: from 20% missed to 80%) moves the scores with it."""
    from datetime import datetime

    import numpy as np

    from pracha.insights.risk.model import CaseRow, chances, examples, features, fit

    rng = random.Random(3)
    start = timezone.make_aware(datetime(2024, 1, 1))
    cases = []
    for i in range(1000):
        late = rng.random() < (0.2 if i < 700 else 0.8)
        created = start + timedelta(hours=6 * i)
        cases.append(
            CaseRow(
                id=i,
                created=created,
                closed=created + timedelta(hours=40 if late else 5),
                categories=["road"],
                district="บางรัก",
                agency="1",
                forwards_at=[],
                target_hours=24.0,
            )
        )
    now = cases[-1].created + timedelta(days=10)
    bundle = fit(cases, now)
    assert bundle["calibrator"] is not None
    chosen, progress, _ = examples(cases[-100:], now)
    at_report = [i for i, point in enumerate(progress) if point == 0]  # before any hint
    x = features([chosen[i] for i in at_report], [0.0] * len(at_report), bundle["encoder"])
    raw = bundle["model"].predict_proba(x)[:, 1].mean()
    recentred = float(np.mean(chances(bundle, x)))
    assert abs(recentred - 0.8) < abs(raw - 0.8)
    assert recentred > 0.6
