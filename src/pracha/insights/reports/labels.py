"""Keys of indicator rows and their Thai and English names."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from pracha.agencies.models import Agency
from pracha.cases.models import Category
from pracha.geo.english import bangkok_districts_en
from pracha.insights.store.cube import UNCATEGORISED
from pracha.states import STATE_NAMES_EN, State
from pracha.thaitext import normalise_district

UNCATEGORISED_KEY = "uncategorised"
NO_AGENCY_KEY = "unassigned"
NO_DISTRICT_KEY = ""


@dataclass(frozen=True)
class Label:
    key: str
    name_th: str
    name_en: str


def category_labels() -> dict[str, Label]:
    labels = {
        code: Label(code, th, en)
        for code, th, en in Category.objects.values_list("code", "name_th", "name_en")
    }
    labels[UNCATEGORISED] = Label(UNCATEGORISED_KEY, "ไม่ระบุประเภท", "Uncategorised")
    return labels


@cache
def _district_names_en() -> dict[str, str]:
    """Normalised Thai district name -> English, from the shipped boundary files."""
    names: dict[str, str] = {}
    files = (("thailand-districts.geojson", "amp_th", "amp_en"),)
    for filename, th, en in files:
        path = settings.PRACHA.data_dir / "geo" / filename
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError):
            continue
        for feature in features:
            props = feature.get("properties") or {}
            if props.get(th) and props.get(en):
                names[normalise_district(str(props[th]))] = str(props[en]).strip().title()
    # Bangkok's in the one spelling pages and agencies use (pracha.geo.english).
    return names | bangkok_districts_en()


def district_label(name: str) -> Label:
    if not name:
        return Label(NO_DISTRICT_KEY, "ไม่ทราบเขต", "Unknown district")
    return Label(name, name, _district_names_en().get(normalise_district(name), ""))


def agency_labels(ids: set[int]) -> dict[int, Label]:
    labels = {
        pk: Label(code, th, en or "")
        for pk, code, th, en in Agency.objects.filter(pk__in=ids - {0}).values_list(
            "pk", "code", "name_th", "name_en"
        )
    }
    labels[0] = Label(NO_AGENCY_KEY, "ยังไม่มีหน่วยงาน", "No agency yet")
    return labels


def state_label(code: str) -> Label:
    try:
        state = State(code)
    except ValueError:
        return Label(code, code, code)
    return Label(state.value, state.label, STATE_NAMES_EN[state])


STATE_ORDER = {state.value: index for index, state in enumerate(State)}
