"""The periodic jobs' schedule: one row per job, its next run.

A worker runs a job when it moves `next_run_at` on from the value it read (a compare-and-set
UPDATE, atomic on SQLite and PostgreSQL alike) in the transaction that enqueues the run: of
several workers on several nodes, exactly one enqueues each run.
"""

from __future__ import annotations

from django.db import models


class ScheduledJob(models.Model):
    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (next {self.next_run_at:%Y-%m-%d %H:%M:%S})"
