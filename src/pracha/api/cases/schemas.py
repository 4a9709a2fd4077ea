"""Request and response shapes of the cases API (also the OpenAPI documentation)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt


class ReporterIn(BaseModel):
    # A plain pydantic model: a ninja Schema reads attributes off any value, so a string
    # sent as `reporter` would silently pass as an empty reporter.
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class CaseIn(Schema):
    description: str = Field(..., description="What is wrong, in Thai or English")
    lat: StrictFloat | StrictInt = Field(..., description="Latitude (WGS84)")
    lon: StrictFloat | StrictInt = Field(..., description="Longitude (WGS84)")
    categories: list[str] = Field(
        default_factory=list, max_length=10, description="Category codes or Thai names"
    )
    address: str = ""
    reporter: ReporterIn | None = Field(None, description="Kept private; never published")
    language: Literal["th", "en"] = Field(
        "th", description="th or en: the language for messages to the reporter"
    )


class CategoryOut(Schema):
    code: str
    name_th: str
    name_en: str
    group: str = ""


class AgencyOut(Schema):
    code: str
    name_th: str
    name_en: str
    kind: str = ""


class PhotoOut(Schema):
    id: int
    kind: str
    url: str
    width: int | None = None
    height: int | None = None
    created_at: datetime


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str = Field(
        ..., description="Who acted, publicly named in Thai / English (never an officer's login)"
    )
    actor_kind: str = Field(
        "unknown",
        description="reporter, citizen (someone else), officer, agency, system, import, unknown",
    )
    actor_name_th: str = Field(
        "", description="For officers: the name they chose to show (if any), role and agency"
    )
    actor_name_en: str = ""
    actor_role: str | None = Field(None, description="officer or supervisor, for officers")
    actor_agency_code: str | None = Field(None, description="The acting officer's agency")
    from_state: str | None = None
    to_state: str | None = None
    from_agency: AgencyOut | None = None
    to_agency: AgencyOut | None = None
    note: str = Field("", description="As written; for triage events the technical detail")
    public: bool = True
    photo_url: str | None = None
    stars: int | None = None
    explanation_th: str | None = Field(
        None, description="For automatic sorting: how it was decided, in plain Thai"
    )
    explanation_en: str | None = Field(None, description="The same in plain English")


class TriageOut(Schema):
    categories: list[str] = Field(..., description="Category codes triage gave the case")
    category_source: str = Field(..., description="reporter, model or none")
    suggested: list[str] = Field(..., description="The classifier's categories, best first")
    scores: dict[str, float] = Field(..., description="Classifier score per category code")
    needs_review: bool
    model_version: str
    routed_by: str = Field(..., description="Why the case went to its agency")
    district: str
    subdistrict: str
    province: str
    near_boundary: bool = Field(..., description="Within 15 m of a district border")
    corrected: bool = Field(..., description="An officer has corrected this triage")


class DuplicateOut(Schema):
    ticket_id: str
    distance_m: float
    similarity: float
    state: str
    url: str
    same_category: bool = False


class CaseOut(Schema):
    ticket_id: str
    url: str
    description: str
    state: str
    state_name_th: str
    state_name_en: str
    status: str = Field(..., description="open or closed (Open311)")
    categories: list[CategoryOut]
    lat: float | None
    lon: float | None
    address: str
    subdistrict: str
    district: str
    province: str
    agency: AgencyOut | None
    co_agencies: list[AgencyOut]
    stars: int | None
    reopen_count: int
    me_too_count: int
    forward_count: int
    source: str
    photos: list[PhotoOut]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    triage: TriageOut | None = None


class PhotoCheckReasonOut(BaseModel):
    """One finding; besides `code`: `ticket_id` (reused_from_case), `photo_id`, `bits`,
    `mirrored`, `same_shot`, `taken_at`, `reported_at`, `distance_m` where they apply."""

    model_config = ConfigDict(extra="allow")
    code: str = Field(
        ...,
        description="same_as_before | same_as_earlier_after | reused_from_case | "
        "taken_before_report | taken_far_away",
    )


class PhotoReviewOut(Schema):
    verdict: str = Field(..., description="genuine or not_genuine")
    at: datetime | None


class PhotoCheckOut(Schema):
    status: str = Field(
        ...,
        description="ok | suspect (a supervisor should look; the closing stands) | none "
        "(open case, no after-photo, or it could not be read)",
    )
    reasons: list[PhotoCheckReasonOut]
    notes: list[str] = Field(
        default_factory=list,
        description="low_detail (featureless photo: hashes not compared), no_exif, not_analysed",
    )
    photo_id: int | None = None
    checked_at: datetime | None = None
    under_review: bool = False
    review: PhotoReviewOut | None = None


class CaseDetailOut(CaseOut):
    timeline: list[EventOut]
    photo_check: PhotoCheckOut = Field(
        ..., description="The check of the current closing's after-photo (pracha.evidence)"
    )


class CaseCreatedOut(CaseDetailOut):
    citizen_token: str = Field(
        ..., description="Secret for the reporter to rate or reopen this case; keep it"
    )
    duplicates: list[DuplicateOut] = Field(
        default_factory=list,
        description="Open cases nearby that may be the same problem: say me-too instead?",
    )


class CaseListOut(Schema):
    items: list[CaseOut]
    count: int
    limit: int
    offset: int


class NoteIn(Schema):
    note: str = ""


class CommentIn(Schema):
    note: str
    public: bool = Field(True, description="false keeps the comment among staff")


class StateIn(Schema):
    state: str
    note: str = ""


class ForwardIn(Schema):
    agency: str = Field(..., description="Agency code, id or Thai name")
    reason: str


class CloseIn(Schema):
    outcome: str = Field("done", description="done or irrelevant")
    note: str = ""
    photo_id: int | None = Field(None, description="An 'after' photo uploaded to this case")


class RateIn(Schema):
    stars: StrictInt
    comment: str = ""
    citizen_token: str = ""


class ReopenIn(Schema):
    reason: str
    citizen_token: str = ""


class ReporterContactOut(Schema):
    ticket_id: str
    name: str
    phone: str
    email: str


class TriageCorrectionIn(Schema):
    categories: list[str] = Field(..., max_length=10, description="Category codes or names")
    agency: str | None = Field(None, description="Agency code, id or Thai name, if misrouted")
    note: str = ""


class MergeIn(Schema):
    into: str = Field(..., description="Ticket id of the original case")
    note: str = ""


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None
