"""Without dates, the dashboard shows the 90 days up to the newest report (every report when
they span less) and says so; GET /api/v1/alerts defaults to the same end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pracha.cases.models import Case
from pracha.insights.models import Alert

pytestmark = pytest.mark.django_db


def _period(response: object) -> tuple[str, str]:
    raw = response.context["raw"]  # type: ignore[attr-defined]
    return raw["from"], raw["to"]


def test_old_reports_are_shown_not_an_empty_last_90_days(
    api: Client, make_case: Callable[..., Case]
) -> None:
    make_case(categories=["road"], created="2023-01-05 09:00", district="บางรัก")
    make_case(categories=["road"], created="2023-05-20 09:00", district="บางรัก")
    make_case(categories=["flooding"], created="2023-06-30 18:00", district="บางรัก")
    response = api.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert _period(response) == ("2023-04-02", "2023-06-30")
    assert response.context["data"]["indicators"]["total"]["reported"] == 2
    page = response.content.decode()
    assert "Reports from 2023-04-02 to 2023-06-30" in page
    assert "the 90 days up to the newest report (2023-06-30) are shown" in page
    assert 'data-from="2023-04-02" data-to="2023-06-30"' in page  # the hotspot map agrees


def test_the_period_is_said_in_thai(api: Client, make_case: Callable[..., Case]) -> None:
    make_case(categories=["road"], created="2023-01-05 09:00")
    make_case(categories=["road"], created="2023-06-30 18:00")
    page = api.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "ไม่ได้เลือกช่วงเวลา" in page and "90 วัน" in page and "2023-06-30" in page


def test_reports_spanning_less_than_90_days_are_all_shown(
    api: Client, make_case: Callable[..., Case]
) -> None:
    make_case(categories=["road"], created="2024-03-02 09:00")
    make_case(categories=["flooding"], created="2024-03-04 09:00")
    response = api.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert _period(response) == ("2024-03-02", "2024-03-04")
    assert response.context["data"]["indicators"]["total"]["reported"] == 2
    assert "every report is shown" in response.content.decode()


def test_without_reports_the_last_90_days_and_no_note(api: Client) -> None:
    today = timezone.localdate()
    response = api.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert _period(response) == (str(today - timedelta(days=89)), str(today))
    assert 'data-testid="period-note"' not in response.content.decode()


def test_a_chosen_period_is_kept_and_not_annotated(
    api: Client, make_case: Callable[..., Case]
) -> None:
    make_case(categories=["road"], created="2023-06-30 18:00")
    response = api.get("/dashboard/?from=2024-01-01&to=2024-01-31", HTTP_ACCEPT_LANGUAGE="en")
    assert _period(response) == ("2024-01-01", "2024-01-31")
    assert 'data-testid="period-note"' not in response.content.decode()


def test_only_an_end_gives_the_90_days_before_it(
    api: Client, make_case: Callable[..., Case]
) -> None:
    make_case(categories=["road"], created="2024-03-02 09:00")
    response = api.get("/dashboard/?to=2023-03-31", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # not "from must not be after to"
    assert _period(response) == ("2023-01-01", "2023-03-31")


def test_a_bad_date_still_answers_400_with_the_reason(api: Client) -> None:
    response = api.get("/dashboard/?to=2023-02-30", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "to must be a date written YYYY-MM-DD" in response.content.decode()


def test_alerts_api_defaults_to_the_month_up_to_the_newest_report(
    api: Client, make_case: Callable[..., Case]
) -> None:
    make_case(categories=["flooding"], created="2023-06-30 18:00", district="บางรัก")
    for day in (date(2023, 6, 20), date(2023, 3, 1)):
        Alert.objects.create(
            day=day, category="flooding", district="บางรัก", observed=9, expected=1.0, p_value=1e-6
        )
    rows = api.get("/api/v1/alerts").json()["rows"]
    assert [row["day"] for row in rows] == ["2023-06-20"]
    both = api.get("/api/v1/alerts?from=2023-01-01&to=2023-12-31").json()["rows"]
    assert len(both) == 2
