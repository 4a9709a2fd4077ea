"""The bank and tests Pracha ships: `pracha cat seed` (and `pracha demo`) load them.

`items.csv` holds questions written for Pracha (see README.md beside it); their parameters
are provisional until `pracha cat calibrate` fits them on officers' answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from pracha.competency.bank.importer import Summary, apply, get_bank, read
from pracha.competency.models import Assessment, ItemBank, Subtest

HERE = Path(__file__).resolve().parent
ITEMS = HERE / "items.csv"
ASSESSMENTS = HERE / "assessments.json"
BANK = ("pracha", "คลังข้อสอบเจ้าหน้าที่ประชา", "Pracha officers' item bank")
ASSESSMENT_FIELDS = (
    "name_th",
    "name_en",
    "description_th",
    "description_en",
    "mode",
    "time_limit_minutes",
    "points_correct",
    "min_items",
    "max_items",
    "target_se",
    "passing_theta",
    "classification_stop",
    "classification_z",
    "randomesque",
    "max_exposure",
)


@dataclass
class Seeded:
    items: Summary
    assessments: list[str]


def seed_assessments(bank: ItemBank, definitions: list[dict[str, Any]]) -> list[str]:
    codes = []
    for definition in definitions:
        fields = {f: definition[f] for f in ASSESSMENT_FIELDS if f in definition}
        assessment, _ = Assessment.objects.update_or_create(
            code=definition["code"], defaults={"bank": bank, **fields}
        )
        assessment.full_clean()
        keep = []
        for position, part in enumerate(definition["subtests"]):
            Subtest.objects.update_or_create(
                assessment=assessment,
                code=part["code"],
                defaults={
                    "position": position,
                    "name_th": part["name_th"],
                    "name_en": part["name_en"],
                    "domains": part["domains"],
                    "kind": part.get("kind", "dichotomous"),
                    "items": part["items"],
                    "passing": part.get("passing"),
                },
            )
            keep.append(part["code"])
        assessment.subtests.exclude(code__in=keep).delete()
        codes.append(assessment.code)
    return codes


@transaction.atomic
def seed(items: Path = ITEMS, assessments: Path = ASSESSMENTS) -> Seeded:
    """Load the shipped items (new ones added, changed ones updated, calibrated parameters
    kept) and create or update the shipped tests."""
    bank = get_bank(*BANK)
    summary = apply(read(items), bank)
    definitions = json.loads(assessments.read_text(encoding="utf-8"))
    return Seeded(summary, seed_assessments(bank, definitions))
