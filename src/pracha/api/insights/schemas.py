"""Response shapes of the insights API (and its OpenAPI documentation)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from pracha.api.cases.schemas import ErrorOut

ERRORS = {400: ErrorOut, 422: ErrorOut}


class Measures(Schema):
    reported: int
    open: int
    closed: int
    backlog: int
    mean_open_age_days: float | None
    mean_backlog_age_days: float | None
    median_hours_to_close: float | None
    p90_hours_to_close: float | None
    mean_hours_to_close: float | None
    closed_within_target: int
    within_target_rate: float | None = Field(
        None, description="Closed in time / closed: open cases, however late, are left out"
    )
    on_target_rate: float | None = Field(
        None,
        description="Total only: closed in time / (closed + open past the target); open "
        "cases still within their target are not yet decided and left out",
    )
    open_past_target: int | None = Field(None, description="Total only: open, already late")
    open_within_target: int | None = Field(None, description="Total only: open, not yet late")
    reopened: int
    reopen_rate: float | None
    reopen_events: int
    mean_stars: float | None
    ratings: int
    me_too: int
    forwarded: int
    forwards: int


class IndicatorRow(Measures):
    key: str
    name_th: str
    name_en: str


class IndicatorsOut(Schema):
    by: str
    # "from" is a Python keyword: the field is from_, the JSON says "from" (by_alias).
    from_: str | None = Field(None, alias="from")
    to: str | None
    rows: list[IndicatorRow]
    total: Measures
    notes: list[str]


class TrendPoint(Schema):
    period: str
    reported: int
    open: int


class TrendOut(Schema):
    grain: str
    points: list[TrendPoint]


class ScorecardRow(Schema):
    agency: str
    name_th: str
    name_en: str
    reported: int
    closed: int
    eligible: bool
    rank: int | None
    on_time_rate: float | None
    on_time_low: float | None
    on_time_high: float | None
    expected_on_time_rate: float | None
    observed_to_expected: float | None
    standardised_on_time_rate: float | None
    verdict: str
    median_hours_to_close: float | None
    median_low: float | None
    median_high: float | None
    reopen_rate: float | None
    reopen_low: float | None
    reopen_high: float | None
    mean_stars: float | None
    stars_low: float | None
    stars_high: float | None
    ratings: int
    photo_closings: int = Field(0, description="Closings in the period with an after-photo")
    suspect_closings: int = Field(0, description="Of those, flagged by the photo check")
    suspect_share: float | None = None
    suspect_low: float | None = None
    suspect_high: float | None = None


class ScorecardsOut(Schema):
    min_cases: int
    city_on_time_rate: float | None
    ranked: int
    rows: list[ScorecardRow]


class RecurringRow(Schema):
    cell: str
    lat: float
    lon: float
    category: str
    category_th: str
    category_en: str
    district: str
    district_en: str
    reported: int
    open: int
    reopened: int
    reopen_events: int
    me_too: int
    first_reported: str
    last_reported: str
    score: int
    tickets: list[str]


class RecurringOut(Schema):
    rows: list[RecurringRow]


class HopRow(Schema):
    hops: str
    cases: int


class PairRow(Schema):
    agency_a: str
    agency_a_name: str
    agency_b: str
    agency_b_name: str
    forwards_a_to_b: int
    forwards_b_to_a: int
    bounces: int
    back_and_forth: bool
    mean_hours_held: float | None


class ForwardAgencyRow(Schema):
    agency: str
    name_th: str
    name_en: str
    forwarded_out: int
    received: int
    bounces: int
    mean_hours_held: float | None
    median_hours_held: float | None


class ForwardingOut(Schema):
    forwards: int
    bounces: int
    mean_hours_held: float | None
    median_hours_held: float | None
    hops: list[HopRow]
    pairs: list[PairRow]
    agencies: list[ForwardAgencyRow]


class AlertRow(Schema):
    day: str
    category: str
    category_th: str
    category_en: str
    district: str | None
    district_en: str
    observed: int
    expected: float
    ratio: float | None
    p_value: float


class AlertsOut(Schema):
    rows: list[AlertRow]


class RiskRow(Schema):
    ticket_id: str
    probability: float
    overdue: bool
    due_at: str
    state: str
    category: str
    category_th: str
    district: str
    agency: str | None
    agency_name: str | None
    reported_at: str


class RiskOut(Schema):
    scored_at: str | None
    note: str | None
    rows: list[RiskRow]
