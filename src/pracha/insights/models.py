"""Derived tables behind the indicators. All of them can be rebuilt from cases and events.

- `CaseFact`: what each case currently adds to the indicators (one row per category, plus the
  `*` row for the whole case). Kept so a change can take back exactly what it added before.
- `Rollup`: sums of facts per cuboid, time grain and period (see cube.py and metrics.py).
- `HotspotRollup`, `RecurringPlace`: counts per H3 cell.
- `ForwardFact`, `ForwardRollup`: one row per forward, and sums per agency pair.
- `Alert`: early-warning spikes found; `CaseRisk`: SLA-risk scores of open cases.
- `PendingCase`: cases filed whose facts are not counted yet (insights.store.pending).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pracha.insights.store.metrics import COUNT_COLUMNS, HIST_COLUMNS

BIG_SUMS = {"open_epoch", "close_seconds"}


def add_sums(model: type[models.Model], counts: tuple[str, ...], histogram: bool) -> None:
    """Append sum columns after the key columns a model declares, then the histogram.

    Column order matters for speed: SQLite and PostgreSQL read a row's columns from the
    front, so the keys and the counts most queries need come before the 64 buckets.
    """
    for name in counts:
        field = models.BigIntegerField if name in BIG_SUMS else models.IntegerField
        model.add_to_class(name, field(default=0))
    if histogram:
        for name in HIST_COLUMNS:
            model.add_to_class(name, models.IntegerField(default=0))


class Rollup(models.Model):
    cuboid = models.SmallIntegerField()
    grain = models.SmallIntegerField()
    period = models.IntegerField(help_text="First day covered, as a day number (date.toordinal)")
    category = models.CharField(max_length=40, default="")
    district = models.CharField(max_length=100, default="")
    agency_key = models.BigIntegerField(default=0, help_text="Agency id; 0 for none")
    state = models.CharField(max_length=20, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cuboid", "grain", "period", "category", "district", "agency_key", "state"],
                name="insights_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"rollup {self.cuboid}/{self.grain}/{self.period}"


add_sums(Rollup, COUNT_COLUMNS, histogram=True)


class CaseFact(models.Model):
    case_id = models.BigIntegerField()
    category = models.CharField(max_length=40)
    district = models.CharField(max_length=100)
    agency_key = models.BigIntegerField(default=0)
    state = models.CharField(max_length=20)
    is_open = models.BooleanField()
    day = models.IntegerField(help_text="Day reported (Bangkok), as a day number")
    block = models.IntegerField(help_text="First day of its block (cube.py)")
    month = models.IntegerField(help_text="First day of its month")
    year = models.IntegerField(help_text="First day of its year")
    quarter = models.IntegerField(help_text="First day of its quarter")
    created_epoch = models.BigIntegerField()
    close_seconds = models.BigIntegerField(null=True)
    bucket = models.SmallIntegerField(null=True)
    within_target = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    reopen_events = models.IntegerField(default=0)
    stars = models.SmallIntegerField(null=True)
    me_too = models.IntegerField(default=0)
    forwards = models.IntegerField(default=0)
    cell9 = models.BigIntegerField(null=True, help_text="H3 cell at resolution 9")
    cell7 = models.BigIntegerField(null=True, help_text="Its parent at resolution 7")

    class Meta:
        indexes = [
            models.Index(fields=["case_id"], name="fact_case_idx"),
            models.Index(fields=["day"], name="fact_day_idx"),
            models.Index(fields=["category", "day"], name="fact_category_day_idx"),
            models.Index(fields=["district", "day"], name="fact_district_day_idx"),
            models.Index(fields=["agency_key", "day"], name="fact_agency_day_idx"),
            # Covers the block-sized hotspot query, so it never reads the table itself.
            models.Index(
                fields=["cell7", "category", "day", "cell9", "is_open", "reopened"],
                name="fact_cell7_day_idx",
            ),
            models.Index(fields=["cell9", "category", "day"], name="fact_cell9_category_idx"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} {self.category}"


class HotspotRollup(models.Model):
    res = models.SmallIntegerField()
    category = models.CharField(max_length=40)
    grain = models.SmallIntegerField()
    period = models.IntegerField()
    cell = models.BigIntegerField()
    reported = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["res", "category", "grain", "period", "cell"], name="insights_hotspot_key"
            )
        ]

    def __str__(self) -> str:
        return f"cell {self.cell:x} r{self.res} {self.category}"


class RecurringPlace(models.Model):
    """The same kind of problem reported again and again at one place (an H3 cell, res 9)."""

    cell = models.BigIntegerField()
    category = models.CharField(max_length=40)
    district = models.CharField(max_length=100, default="")
    reported = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    reopen_events = models.IntegerField(default=0)
    me_too = models.IntegerField(default=0)
    first_day = models.IntegerField()
    last_day = models.IntegerField()
    score = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "category"], name="insights_recurring_key")
        ]
        indexes = [
            models.Index(fields=["-score"], name="recurring_score_idx"),
            models.Index(fields=["category", "-score"], name="recurring_category_idx"),
            models.Index(fields=["district", "-score"], name="recurring_district_idx"),
        ]

    def __str__(self) -> str:
        return f"cell {self.cell:x} {self.category}: score {self.score}"


class ForwardFact(models.Model):
    event_id = models.BigIntegerField(unique=True)
    case_id = models.BigIntegerField(db_index=True)
    day = models.IntegerField(db_index=True)
    from_key = models.BigIntegerField(default=0)
    to_key = models.BigIntegerField(default=0)
    held_seconds = models.BigIntegerField(help_text="Time with the forwarding agency")
    bucket = models.SmallIntegerField()
    bounce = models.BooleanField(help_text="Sent to an agency that had held the case before")

    def __str__(self) -> str:
        return f"forward {self.event_id}: {self.from_key} -> {self.to_key}"


class ForwardRollup(models.Model):
    grain = models.SmallIntegerField()
    period = models.IntegerField()
    from_key = models.BigIntegerField()
    to_key = models.BigIntegerField()
    forwards = models.IntegerField(default=0)
    held_seconds = models.BigIntegerField(default=0)
    bounces = models.IntegerField(default=0)
    # then h0..h63 (add_sums)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "from_key", "to_key"], name="insights_forward_key"
            )
        ]
        # The counts of a few chosen agency pairs: found by pair first, then by period.
        indexes = [
            models.Index(fields=["from_key", "to_key", "grain", "period"], name="forward_pair_idx")
        ]

    def __str__(self) -> str:
        return f"forwards {self.from_key} -> {self.to_key} in {self.grain}/{self.period}"


add_sums(ForwardRollup, (), histogram=True)


class Alert(models.Model):
    """An unusual number of reports of one category in one district (or city-wide) on a day."""

    day = models.DateField()
    category = models.CharField(max_length=40, help_text="Category code; * for all")
    district = models.CharField(max_length=100, help_text="District; * for the whole city")
    observed = models.IntegerField()
    expected = models.FloatField()
    p_value = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "p_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "category", "district"], name="insights_alert_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category} {self.district}: {self.observed} vs {self.expected:.1f}"


class CaseRisk(models.Model):
    """The chance an open case misses its target, as last scored by `pracha sla-risk score`."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    overdue = models.BooleanField(default=False)
    due_at = models.DateTimeField()
    agency_key = models.BigIntegerField(default=0)
    district = models.CharField(max_length=100, default="")
    category = models.CharField(max_length=40, default="")
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["overdue", "-probability"], name="risk_probability_idx"),
            models.Index(fields=["agency_key", "overdue", "-probability"], name="risk_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"risk of case {self.case_id}: {self.probability:.2f}"


class InsightsState(models.Model):
    """Small facts about the derived tables: how far catch-up got, which targets were used."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class PendingCase(models.Model):
    """A case intake filed whose facts the next fold adds (insights.store.pending).

    Written in the filing transaction, so a committed case is always either counted or
    pending; no foreign key, so deleting a case needs no extra query here (its row folds to
    nothing)."""

    case_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"case {self.case_id} to count"
