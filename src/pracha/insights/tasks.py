"""Insights' periodic work on the task queue (pracha.jobs): counting newly filed cases, the
early warning for the day that has just ended, and the hourly SLA risk scores of open cases."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks.base import task

from pracha.insights.alerts.early_warning import detect
from pracha.insights.risk.evaluation import score_open_cases
from pracha.insights.risk.model import NoModel, load
from pracha.insights.store.catch_up import catch_up
from pracha.insights.store.pending import fold_pending
from pracha.jobs.retry import Backoff, with_retries
from pracha.jobs.schedule import every


@every(seconds=2)
@task()
def count_new_cases() -> int:
    """Add the cases filed since the last fold to the indicators; how many (readers of the
    indicators fold first as well, so this only keeps the tables close behind)."""
    return fold_pending()


# 17:30 UTC is 00:30 in Bangkok: yesterday (Bangkok's) is complete.
@every(hours=24, offset=timedelta(hours=17, minutes=30))
@task()
@with_retries(Backoff(first_seconds=300, max_attempts=5))
def early_warning() -> int:
    """Store and announce yesterday's unusual spikes; how many alerts."""
    catch_up()
    return len(detect(timezone.localdate() - timedelta(days=1)))


@every(hours=1)
@task()
def score_sla_risk() -> int:
    """Score every open case's risk of missing its target; 0 without a trained model."""
    try:
        bundle = load()
    except NoModel:
        return 0
    scored, _overdue = score_open_cases(bundle, timezone.now())
    return scored
