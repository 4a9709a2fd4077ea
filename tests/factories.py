"""Factories of the whole suite: plain functions that make the rows a test needs.

The fixtures of tests/conftest.py (`make_agency`, `make_officer`, `make_case`, `file_case`,
`reported`...) are thin wrappers over these; a module that needs no fixture imports them.
Each function files through the service or endpoint that real use goes through, then sets
directly what a test needs and no user could set (a date in the past, a state).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.agencies.services import create_api_key
from pracha.cases.models import Case, Photo
from pracha.geo.models import Area, Generation
from pracha.intake.services import NewCase, Reporter, do_create_case
from pracha.states import CLOSED_STATES, State

BANGKOK = {"lat": 13.7563, "lon": 100.5018}  # City Hall, where a case is unless a test says
BANGKOK_TIME = ZoneInfo("Asia/Bangkok")
DESCRIPTION = "ไฟถนนดับทั้งซอย มืดมาก"  # what make_case files unless told
REPORT = "ถนนเป็นหลุมลึกหน้าซอย"  # what file_case posts unless told
PASSWORD = "correct horse battery staple"  # every user's made here
# A reporter whose contact must never leak: file_case(reporter=REPORTER), the `reported` fixture.
REPORTER = {"name": "สมชาย ใจดี", "phone": "081-234-5678", "email": "somchai.j@example.com"}


def bkk(text: str) -> datetime:
    """'2024-03-01 10:00' in Bangkok time."""
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK_TIME)


def moment(value: datetime | str) -> datetime:
    """A datetime as given, or a Bangkok time written as in bkk()."""
    return bkk(value) if isinstance(value, str) else value


# --- agencies, officers and their API keys --------------------------------------------------


def make_agency(code: str, name_th: str | None = None, **fields: Any) -> Agency:
    return Agency.objects.create(code=code, name_th=name_th or f"หน่วยงาน {code}", **fields)


def make_user(username: str, *, password: str = PASSWORD, **fields: Any) -> AbstractBaseUser:
    user: AbstractBaseUser = get_user_model().objects.create_user(
        username=username, password=password, **fields
    )
    return user


def make_officer(
    agency: Agency, username: str | None = None, role: str = "officer"
) -> tuple[Officer, str]:
    """An officer of `agency` (password PASSWORD) and the raw API key that acts as them."""
    user = make_user(username or f"officer-{agency.code}-{Officer.objects.count()}")
    officer = Officer.objects.create(user=user, agency=agency, role=role)
    _key, raw = create_api_key(f"key for {user.get_username()}", user)
    return officer, raw


# --- cases ------------------------------------------------------------------------------------


def make_case(
    description: str = DESCRIPTION,
    *,
    categories: Iterable[str] = (),
    lat: float = BANGKOK["lat"],
    lon: float = BANGKOK["lon"],
    address: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "th",
    source: str = Case.Source.WEB,
    created: datetime | str | None = None,
    closed: datetime | str | None = None,
    state: str | None = None,
    agency: Agency | None = None,
    district: str | None = None,
    **fields: Any,
) -> Case:
    """A case filed through intake, as the report form files it (a reporter when any of
    name, phone or email is given), then set as the test says.

    The description and address are stored exactly as given, past intake's tidying.
    `created` and `closed` are datetimes or Bangkok times ('2024-03-01 10:00'); a closed
    `state` without `closed` is closed now. `agency`, `district` and any other field of the
    case (stars=4, reopen_count=1...) are set as they are.
    """
    reporter = Reporter(name=name, phone=phone, email=email) if (name or phone or email) else None
    case, _ = do_create_case(
        NewCase(
            description=description,
            lat=lat,
            lon=lon,
            categories=list(categories),
            address=address,
            reporter=reporter,
            language=language,
            source=source,
        )
    )
    changes: dict[str, Any] = {"description": description, "address": address, **fields}
    if created is not None:
        changes["created_at"] = moment(created)
    if state is not None:
        changes["state"] = State(state)
        if state in CLOSED_STATES and closed is None:
            closed = timezone.now()
    if closed is not None:
        changes["closed_at"] = moment(closed)
    if agency is not None:
        changes["agency"] = agency
    if district is not None:
        changes["district"] = district
    changed = {name: value for name, value in changes.items() if getattr(case, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(case, name, value)
        case.save()
    return case


def set_state(ticket_id: str, state: str, *, closed_at: datetime | None = None) -> Case:
    """Put a case in `state` directly in the database (closed states get a closed_at)."""
    if state in CLOSED_STATES and closed_at is None:
        closed_at = timezone.now()
    Case.objects.filter(ticket_id=ticket_id).update(
        state=State(state), closed_at=closed_at if state in CLOSED_STATES else None
    )
    return Case.objects.get(ticket_id=ticket_id)


def make_photo(case: Case, kind: str = Photo.Kind.BEFORE, url: str = "") -> Photo:
    """A photo row that points elsewhere (as imported photos do), with no file of its own."""
    return Photo.objects.create(case=case, kind=kind, url=url or f"https://example.org/{kind}")


def file_case(
    client: Client, *, reporter: Mapping[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    """POST a valid case to /api/v1/cases (with reporter contact when given); the 201 body."""
    body = {"description": REPORT, **BANGKOK, **fields}
    if reporter is not None:
        body["reporter"] = dict(reporter)
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def case_of(body: Mapping[str, Any]) -> Case:
    """The case an API answer (file_case's body) is about."""
    return Case.objects.get(ticket_id=body["ticket_id"])


# --- places ---------------------------------------------------------------------------------

# (code, Thai name, English name, west edge): boxes 0.01 degree wide along 13.70-13.71 N.
DISTRICTS = (("1030", "จตุจักร", "Chatu Chak", 100.50), ("1004", "บางรัก", "Bang Rak", 100.52))


def make_districts(districts: Iterable[tuple[str, str, str, float]] = DISTRICTS) -> Generation:
    """Bangkok districts loaded as a boundary set, not switched on (lookups stay as they
    were): district names are checked against them."""
    generation = Generation.objects.create(description="test districts")
    for code, name_th, name_en, west in districts:
        outline = shapely.box(west, 13.70, west + 0.01, 13.71)
        west_, south, east, north = outline.bounds
        Area.objects.create(
            generation=generation, code=code, name_th=name_th, name_en=name_en,
            province="กรุงเทพมหานคร", province_code="10", geometry=shapely.to_wkb(outline),
            min_lon=west_, min_lat=south, max_lon=east, max_lat=north,
        )  # fmt: skip
    return generation


# --- a trained model --------------------------------------------------------------------------

TINY_SOURCES = (  # (export in data/traffy/, labelled rows taken from its start)
    ("bangkok_traffy_2022-05-29_2022-12-18.csv.gz", 400),
    ("teamchadchart_2023-05-11_2023-05-13.csv", 300),
)


def train_tiny_model(path: Path) -> None:
    """A real classifier from a few hundred real tickets, old and recent: seconds, not minutes."""
    from django.conf import settings

    from pracha.triage.classifier.dataset import read_traffy
    from pracha.triage.classifier.training import Params, split_by_time, train, training_examples

    folder = settings.PRACHA.data_dir / "traffy"
    examples = training_examples([read_traffy(folder / name, limit=n) for name, n in TINY_SOURCES])
    params = Params(folds=3, jobs=1)
    train(split_by_time(examples, params), params).classifier.save(path)
