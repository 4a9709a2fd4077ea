"""Retries with backoff for tasks: django-tasks runs a task once and records its failure; a
task wrapped here enqueues its next attempt (`run_after` later, the attempt counted in its
keyword `attempt`) before the failure is recorded, until its last attempt.

    @task()
    @with_retries(Backoff(first_seconds=60, max_attempts=5))
    def send_digests() -> int: ...

The wait after the n-th failure is `first_seconds` doubled n-1 times, at most
`longest_seconds`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    first_seconds: float = 30
    longest_seconds: float = 3600
    max_attempts: int = 5

    def wait(self, attempt: int) -> timedelta:
        """How long to wait after failed attempt number `attempt` (1 = the first)."""
        seconds = self.first_seconds * 2 ** max(0, attempt - 1)
        return timedelta(seconds=min(self.longest_seconds, seconds))


def with_retries(policy: Backoff) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Wrap a task's function (under `@task()`): a failure enqueues the next attempt."""

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def attempt_once(*args: Any, attempt: int = 1, **kwargs: Any) -> T:
            try:
                return func(*args, **kwargs)
            except Exception:
                name = f"{func.__module__}.{func.__qualname__}"
                if attempt >= policy.max_attempts:
                    log.error("%s failed on its last attempt (%d)", name, attempt)
                    raise
                # The module attribute of that name is the Task that wraps this function.
                task: Task[..., T] = import_string(name)
                later = timezone.now() + policy.wait(attempt)
                task.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
                log.warning("%s failed (attempt %d); next attempt at %s", name, attempt, later)
                raise

        return attempt_once

    return decorate
