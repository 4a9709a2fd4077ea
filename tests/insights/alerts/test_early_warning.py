"""Early warning: the detector, stored alerts, the webhook signal and the command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from pracha.cases.models import Case
from pracha.insights.alerts.early_warning import Settings, alerts_in, detect
from pracha.insights.alerts.evaluation import evaluate
from pracha.insights.models import Alert
from pracha.insights.signals import alert_raised


def test_a_spike_alerts_and_ordinary_days_do_not() -> None:
    rng = np.random.default_rng(3)
    counts = rng.poisson(3, (1, 60))
    counts[0, 50] = 25
    flagged, p, expected = alerts_in(counts, Settings())
    assert flagged[0, 50] and p[0, 50] < 1e-6 and 2 < expected[0, 50] < 4.5
    assert flagged[0, :50].sum() == 0
    assert not flagged[0, :28].any()  # no baseline yet


def test_small_counts_never_alert_however_unusual() -> None:
    counts = np.zeros((1, 40), dtype=int)
    counts[0, 35] = 4  # below min_count
    assert not alerts_in(counts, Settings())[0].any()


def test_evaluation_reports_false_alarms_and_detection() -> None:
    rng = np.random.default_rng(1)
    rows = [("road", "d", 700_000 + day, int(n)) for day, n in enumerate(rng.poisson(4, 120))]
    result = evaluate(rows, Settings(), shuffles=2)
    assert result.series == 2 and result.days == 120 and result.tested == 2 * 92
    assert 0 <= result.false_alarm_rate < 0.05
    assert result.detection[5.0] >= result.detection[2.0]


@pytest.fixture
def flood(make_case: Callable[..., Case]) -> date:
    """Two flooding reports a day in one district for 30 days, then 12 on one day."""
    start = date(2024, 9, 1)
    for offset in range(30):
        for hour in (9, 15):
            day = start + timedelta(days=offset)
            make_case(categories=["flooding"], created=f"{day} {hour:02d}:00", district="บางเขน")
    spike = start + timedelta(days=30)
    for hour in range(8, 20):
        make_case(categories=["flooding"], created=f"{spike} {hour:02d}:00", district="บางเขน")
    return spike


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_detect_stores_alerts_once_and_announces_them(flood: date) -> None:
    heard: list[dict[str, Any]] = []

    def listen(sender: Any, alert: Alert, payload: dict[str, Any], **kwargs: Any) -> None:
        heard.append(payload)

    alert_raised.connect(listen)
    try:
        found = detect(flood)
        again = detect(flood)
    finally:
        alert_raised.disconnect(listen)
    places = {(a.category, a.district) for a in found}
    assert ("flooding", "บางเขน") in places and ("flooding", "*") in places
    assert len(again) == len(found) and Alert.objects.count() == len(found)
    assert len(heard) == len(found)  # the second run found nothing new to announce
    payload = next(p for p in heard if p["district"] == "บางเขน")
    assert payload["observed"] == 12 and payload["day"] == str(flood)
    assert payload["type"] == "pracha.insights.alert"


@pytest.mark.slow
@pytest.mark.django_db
def test_command_and_api_show_alerts(flood: date, api: Client) -> None:
    out = StringIO()
    call_command("early_warning", "--day", str(flood), stdout=out)
    assert "flooding" in out.getvalue() and "alert(s)" in out.getvalue()
    rows = api.get(f"/api/v1/alerts?from={flood}&to={flood}").json()["rows"]
    assert {r["district"] for r in rows} == {"บางเขน", None}
    out = StringIO()
    call_command("early_warning", "--evaluate", stdout=out)
    assert "false alarms" in out.getvalue() and "as they are" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [["--day", "2024-13-01"], ["--alpha", "2"], ["--days", "0"], ["--file", "x.csv"],
     ["--evaluate", "--file", "/no/such.csv"]],
)  # fmt: skip
def test_command_refuses_bad_arguments(args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("early_warning", *args, stdout=StringIO())
