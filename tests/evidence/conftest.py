"""Fixtures for photo evidence: cases filed and closed through the services, real uploads."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Event, Photo
from pracha.cases.services.photos import do_add_photo
from pracha.cases.services.workflow import do_accept, do_close
from pracha.evidence.models import PhotoCheck
from pracha.intake.services import NewCase, do_create_case
from tests.evidence.photos import EXTENSION
from tests.factories import BANGKOK


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media


@pytest.fixture
def new_case(db: None) -> Callable[..., Case]:
    def make(description: str = "ถนนเป็นหลุมลึกหน้าซอย", **where: float) -> Case:
        case, _ = do_create_case(
            NewCase(description=description, **{**BANGKOK, **where}, categories=[])
        )
        return case

    return make


@pytest.fixture
def add_photo() -> Callable[..., Photo]:
    def add(case: Case, data: bytes, kind: str = Photo.Kind.BEFORE, fmt: str = "JPEG") -> Photo:
        return do_add_photo(
            case, io.BytesIO(data), len(data), kind=kind, filename=f"p.{EXTENSION[fmt]}"
        )

    return add


@pytest.fixture
def desk(bma: Agency, make_officer: Callable[..., tuple[Officer, str]]) -> tuple[Officer, str]:
    return make_officer(bma, "desk")


@pytest.fixture
def supervisor(
    bma: Agency, make_officer: Callable[..., tuple[Officer, str]]
) -> tuple[Officer, str]:
    return make_officer(bma, "chief", role=Officer.Role.SUPERVISOR)


@pytest.fixture
def close_with(
    desk: tuple[Officer, str], add_photo: Callable[..., Photo]
) -> Callable[..., PhotoCheck]:
    """Accept `case`, upload `data` as its after-photo and close it; the closing's check."""

    def close(case: Case, data: bytes | None, fmt: str = "JPEG") -> PhotoCheck:
        officer = desk[0]
        case = Case.objects.get(pk=case.pk)
        if case.state == "waiting":
            do_accept(case, officer)
        photo = add_photo(case, data, Photo.Kind.AFTER, fmt) if data is not None else None
        event = do_close(Case.objects.get(pk=case.pk), officer, "done", "ซ่อมแล้ว", photo)
        return PhotoCheck.objects.get(event=event)

    return close


def codes(check: PhotoCheck) -> list[str]:
    return sorted(r["code"] for r in check.reasons)


def closing_event(case: Case) -> Any:
    return Event.objects.filter(case=case, kind=Event.Kind.CLOSED).latest("at")
