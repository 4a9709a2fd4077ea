"""Service definitions: the extra questions some categories ask (service_definitions.json).

Each category code maps to its attributes in the GeoReport v2 form (code, datatype, required,
order, description, values), written in Thai and English. The file is data: a city edits it
to ask different questions; it is checked when first read, so a mistake fails loudly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pracha.cases.errors import InvalidInput
from pracha.masking.personal_data import mask_personal_data
from pracha.open311.formats import parse_w3c

DEFINITIONS_FILE = Path(__file__).with_name("service_definitions.json")
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
LISTS = {"singlevaluelist", "multivaluelist"}
MAX_ANSWER_CHARS = 500
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


class DefinitionError(ValueError):
    """service_definitions.json cannot be used; the message says where."""


@dataclass(frozen=True)
class Value:
    key: str
    name_th: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_th


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    variable: bool
    order: int
    description_th: str
    description_en: str
    datatype_description_th: str
    datatype_description_en: str
    values: tuple[Value, ...]

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_th

    def value_name(self, key: str, lang: str) -> str:
        return next((v.name(lang) for v in self.values if v.key == key), key)

    def as_open311(self, lang: str) -> dict[str, Any]:
        datatype_description = (
            self.datatype_description_en if lang == "en" else self.datatype_description_th
        )
        return {
            "variable": self.variable,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": datatype_description or None,
            "order": self.order,
            "description": self.description(lang),
            "values": [{"key": v.key, "name": v.name(lang)} for v in self.values],
        }


def _attribute(service: str, order: int, raw: dict[str, Any]) -> Attribute:
    where = f"{DEFINITIONS_FILE.name}: {service} attribute {order}"
    code = str(raw.get("code", ""))
    datatype = str(raw.get("datatype", ""))
    if not _CODE.match(code):
        raise DefinitionError(f"{where}: code {code!r} must be letters, digits and _")
    if datatype not in DATATYPES:
        raise DefinitionError(f"{where}: datatype {datatype!r} is not one of {sorted(DATATYPES)}")
    values = tuple(
        Value(str(v["key"]), str(v["name_th"]), str(v["name_en"])) for v in raw.get("values", [])
    )
    if (datatype in LISTS) != bool(values):
        raise DefinitionError(f"{where}: only list datatypes have values, and they must have some")
    if len({v.key for v in values}) != len(values):
        raise DefinitionError(f"{where}: value keys repeat")
    variable = bool(raw.get("variable", True))
    return Attribute(
        code=code,
        datatype=datatype,
        required=bool(raw.get("required", False)) and variable,
        variable=variable,
        order=order,
        description_th=str(raw["description_th"]),
        description_en=str(raw["description_en"]),
        datatype_description_th=str(raw.get("datatype_description_th", "")),
        datatype_description_en=str(raw.get("datatype_description_en", "")),
        values=values,
    )


@cache
def definitions() -> dict[str, tuple[Attribute, ...]]:
    """Category code -> its attributes, in order (1 first)."""
    try:
        raw = json.loads(DEFINITIONS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DefinitionError(f"{DEFINITIONS_FILE}: {exc}") from exc
    table: dict[str, tuple[Attribute, ...]] = {}
    for service, attributes in raw.items():
        parsed = tuple(_attribute(service, i, a) for i, a in enumerate(attributes, start=1))
        if len({a.code for a in parsed}) != len(parsed):
            raise DefinitionError(f"{DEFINITIONS_FILE.name}: {service} repeats an attribute code")
        table[service] = parsed
    return table


def attributes_of(service_code: str) -> tuple[Attribute, ...]:
    return definitions().get(service_code, ())


def check_answers(service_code: str, raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Validate `attribute[CODE]=value` answers against the service's definition.

    Returns code -> values for the attributes the definition asks about. Attributes it does
    not define are left out: clients such as FixMyStreet send their own (title, report_url)
    with every request, and refusing them would refuse those clients.
    """
    answers: dict[str, list[str]] = {}
    for attribute in attributes_of(service_code):
        if not attribute.variable:
            continue
        given = [v.strip() for v in raw.get(attribute.code, []) if v and v.strip()]
        field = f"attribute[{attribute.code}]"
        if not given:
            if attribute.required:
                raise InvalidInput(
                    f"{field} is required for service {service_code}: {attribute.description_en}",
                    field=field,
                )
            continue
        if attribute.datatype != "multivaluelist" and len(given) > 1:
            raise InvalidInput(f"{field} takes one value, got {len(given)}", field=field)
        for value in given:
            _check_value(attribute, value, field)
        answers[attribute.code] = given
    return answers


def _check_value(attribute: Attribute, value: str, field: str) -> None:
    if len(value) > MAX_ANSWER_CHARS:
        raise InvalidInput(f"{field} is longer than {MAX_ANSWER_CHARS} characters", field=field)
    if "\x00" in value:
        raise InvalidInput(f"{field} contains a NUL character", field=field)
    kind = attribute.datatype
    if kind in LISTS:
        keys = [v.key for v in attribute.values]
        if value not in keys:
            raise InvalidInput(
                f"{field} must be one of {', '.join(keys)}; got {value[:60]!r}", field=field
            )
    elif kind == "number":
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise InvalidInput(f"{field} must be a number; got {value[:60]!r}", field=field)
    elif kind == "datetime":
        if parse_w3c(value) is None:
            raise InvalidInput(
                f"{field} must be an ISO 8601 date and time; got {value[:60]!r}", field=field
            )
    elif kind == "string" and ("\n" in value or "\r" in value):
        raise InvalidInput(f"{field} is a one-line string; it has line breaks", field=field)


def answer_dicts(service_code: str, answers: dict[str, list[str]], lang: str) -> list[dict]:
    """Answers for public display (GET requests with extensions, webhook payloads): code,
    the question, and the values with their names.

    Free-form answers (string, text, and number and datetime, which a phone number also
    passes as) are citizen-written text: personal data in them is masked, as in the
    description. The keys of list answers are the definition's own words and stay.
    """
    shown = []
    for attribute in attributes_of(service_code):
        values = answers.get(attribute.code)
        if not values:
            continue
        if attribute.datatype not in LISTS:
            values = [mask_personal_data(v) for v in values]
        shown.append(
            {
                "code": attribute.code,
                "description": attribute.description(lang),
                "values": [{"key": v, "name": attribute.value_name(v, lang)} for v in values],
            }
        )
    return shown


def scrub_answers(
    service_code: str, answers: dict[str, Any], scrub: Callable[[str], str]
) -> dict[str, Any]:
    """`answers` with every value of a free-form answer passed through `scrub` (erasure uses
    this). The keys of list answers are kept; answers to attributes the definition no longer
    has are treated as free-form, since what they held cannot be known."""
    listed = {a.code for a in attributes_of(service_code) if a.datatype in LISTS}
    scrubbed: dict[str, Any] = {}
    for code, values in answers.items():
        if code in listed:
            scrubbed[code] = values
        elif isinstance(values, list):
            scrubbed[code] = [scrub(v) if isinstance(v, str) else v for v in values]
        else:
            scrubbed[code] = scrub(values) if isinstance(values, str) else values
    return scrubbed


def summary(service_code: str, answers: dict[str, list[str]]) -> str:
    """One line per answer in Thai and English, added to the case's description so officers
    (and triage) read the answers with the report."""
    lines = []
    for attribute in attributes_of(service_code):
        values = answers.get(attribute.code)
        if not values:
            continue
        th = ", ".join(attribute.value_name(v, "th") for v in values)
        en = ", ".join(attribute.value_name(v, "en") for v in values)
        value = th if th == en else f"{th} / {en}"
        lines.append(f"{attribute.description_th} / {attribute.description_en}: {value}")
    return "\n".join(lines)
