"""Request and response shapes of sign-in and "My Pracha" (also the OpenAPI documentation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from pracha.api.cases.schemas import CaseOut


class EmailIn(Schema):
    email: str = Field(..., description="Where to send the six-digit code")
    language: Literal["th", "en"] | None = Field(
        None, description="Language of the e-mail (default: Accept-Language, else Thai)"
    )


class CodeSentOut(Schema):
    detail: str
    expires_in_seconds: int = Field(..., description="How long the code works")


class EmailConfirmIn(Schema):
    email: str
    code: str = Field(..., description="The six digits from the e-mail")
    language: Literal["th", "en"] | None = Field(
        None, description="For a new account: its language (default: that of the code's e-mail)"
    )


class ChannelOut(Schema):
    kind: str = Field(..., description="email (line next)")
    address: str
    verified_at: datetime


class CitizenOut(Schema):
    id: int
    email: str
    language: str
    created_at: datetime
    channels: list[ChannelOut]


class SignInOut(Schema):
    token: str = Field(
        ..., description="Send as 'Authorization: Bearer <token>'; shown once, keep it secret"
    )
    token_type: str = "Bearer"
    idle_days: int = Field(..., description="The token stops working after this many idle days")
    new_account: bool = Field(..., description="The account was created by this sign-in")
    citizen: CitizenOut


class ConsentAgencyOut(Schema):
    code: str
    name_th: str
    name_en: str


class ConsentOut(Schema):
    id: int
    agency: ConsentAgencyOut
    data: list[str] = Field(..., description="What data: name, email, phone, address, ...")
    purpose: str
    given_at: datetime
    revoked_at: datetime | None
    active: bool


class ConsentIn(Schema):
    agency: str = Field(..., description="Agency code, id or Thai name")
    data: list[str] = Field(..., max_length=20)
    purpose: str


class MeOut(Schema):
    id: int
    email: str
    language: str
    created_at: datetime
    channels: list[ChannelOut]
    cases: list[CaseOut] = Field(
        ..., description="Filed while signed in or claimed; the newest 100 (see /me/cases)"
    )
    cases_count: int
    notifications: dict[str, bool] = Field(
        ..., description="Per channel (email, line): hear about my reports there"
    )
    consents: list[ConsentOut]
    items: dict[str, list[Any]] = Field(
        default_factory=dict, description="What other modules keep for me (supports, journeys)"
    )


class MePatchIn(Schema):
    language: Literal["th", "en"] | None = None
    notifications: dict[str, bool] | None = Field(None, description='e.g. {"email": false}')


class MyCasesOut(Schema):
    items: list[CaseOut]
    count: int
    limit: int
    offset: int


class ClaimIn(Schema):
    ticket_id: str
    citizen_token: str = Field(..., description="The secret given when the case was filed")


class ClaimedOut(CaseOut):
    already: bool = Field(..., description="The case was in the account already")


class DeletedOut(Schema):
    deleted: bool
    cases_kept_anonymous: int
