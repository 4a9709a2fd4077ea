"""Loading the templates into the database: idempotent, versioned.

A template whose digest matches the current version changes nothing; a changed one becomes
version N+1 and the current one, while journeys already started keep the version they have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from pracha.agencies.models import Agency
from pracha.lifeevents.models import LifeEvent
from pracha.lifeevents.templates import Template, TemplateError, read_agencies, read_folder


def templates_folder() -> Path:
    return Path(settings.PRACHA.data_dir) / "life-events"


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)  # "birth v1"
    unchanged: list[str] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)


def ensure_agencies(rows: list[dict[str, str]]) -> list[str]:
    """Create the agencies the templates need that the database lacks (by code)."""
    created = []
    for row in rows:
        if Agency.objects.filter(code=row["code"]).exists():
            continue
        parent = Agency.objects.filter(code=row.get("parent", "")).first()
        if Agency.objects.filter(name_th=row["name_th"]).exists():
            continue  # named already under another code: an administrator's choice, kept
        Agency.objects.create(
            code=row["code"], name_th=row["name_th"], name_en=row["name_en"],
            kind=row["kind"], parent=parent,
        )  # fmt: skip
        created.append(row["code"])
    return created


def missing_agencies(templates: list[Template]) -> list[str]:
    needed = {(t.code, s["code"], s["agency"]) for t in templates for s in t.definition["steps"]}
    known = set(Agency.objects.values_list("code", flat=True))
    return [
        f"{event}: step {step!r}.agency: no agency {agency!r}"
        for event, step, agency in sorted(needed)
        if agency not in known
    ]


@transaction.atomic
def load_life_events(folder: Path | None = None) -> LoadResult:
    """Check every template first (TemplateError lists every problem), then store."""
    folder = folder or templates_folder()
    templates = read_folder(folder)
    result = LoadResult(agencies_created=ensure_agencies(read_agencies(folder)))
    if problems := missing_agencies(templates):
        raise TemplateError(problems)
    for template in templates:
        current = LifeEvent.objects.filter(code=template.code).order_by("-version").first()
        if current is not None and current.digest == template.digest:
            result.unchanged.append(f"{current.code} v{current.version}")
            continue
        LifeEvent.objects.filter(code=template.code).update(is_current=False)
        stored = LifeEvent.objects.create(
            code=template.code,
            version=(current.version + 1) if current else 1,
            name_th=template.definition["name_th"],
            name_en=template.definition["name_en"],
            definition=template.definition,
            digest=template.digest,
        )
        result.created.append(f"{stored.code} v{stored.version}")
    return result


def load_after_migrate(**_: Any) -> None:
    """post_migrate: the shipped journeys, when their folder is there (not in every test)."""
    if templates_folder().is_dir():
        load_life_events()
