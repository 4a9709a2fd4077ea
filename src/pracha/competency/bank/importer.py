"""`pracha cat import FILE`: items from a CSV file, checked whole before anything is written.

One row per item and language. Columns (header names, any order):

| column | meaning |
|---|---|
| `code` | the question's code, shared by its Thai and English rows (`wf-001`) |
| `language` | `th` or `en` |
| `domain` | e.g. `workflow`, `service`, `pdpa`, `disaster`, `character` |
| `kind` | `dichotomous` (one key) or `graded` (a score 1-5 per option) |
| `stem` | the question |
| `option_a` ... `option_f` | the options, as many as the item has (2-6), from `option_a` on |
| `key` | right-or-wrong items: the right option's letter (`A`-`F`) |
| `scores` | graded items: the options' scores, `5|3|1|4|2` |
| `a` | discrimination (logistic metric, D = 1) |
| `b` | right-or-wrong items: difficulty |
| `thresholds` | graded items: 4 ascending thresholds, `-2|-1|0|1` |
| `provisional` | `yes` (planned, not calibrated; the default) or `no` |
| `parameter_source` | where `a`, `b`, `thresholds` come from |
| `reference` | where the fact comes from (for reviewers) |

A row for an item that exists updates it; changing the key, scores or options of an item that
has answers is refused (its answers would change meaning: give it a new code). New parameters
become a new version, except provisional ones over calibrated ones, which are kept.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pracha.competency.models import Item, ItemBank, ItemParameters
from pracha.competency.models.bank import MAX_OPTIONS, item_problems

REQUIRED = ["code", "language", "domain", "kind", "stem", "a"]
LETTERS = "abcdef"[:MAX_OPTIONS]
PROVISIONAL_SOURCE = "provisional: planned by the item writer, not calibrated"


class ImportProblems(ValueError):
    """The file cannot be imported; `problems` lists each with its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Row:
    line: int
    code: str
    language: str
    domain: str
    kind: str
    stem: str
    options: list[str]
    key: int | None
    scores: list[int] | None
    a: float
    b: float | None
    thresholds: list[float] | None
    provisional: bool
    source: str
    reference: str


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_parameters: int = 0
    kept_calibrated: int = 0
    notes: list[str] = field(default_factory=list)


def _number(text: str, what: str, problems: list[str], line: int) -> float | None:
    try:
        value = float(text)
    except ValueError:
        problems.append(f"line {line}: {what} must be a number, not {text!r}")
        return None
    if not math.isfinite(value):
        problems.append(f"line {line}: {what} must be a finite number")
        return None
    return value


def _parameters(raw: dict[str, str], kind: str, line: int, problems: list[str]) -> tuple[Any, ...]:
    a = _number(raw.get("a", ""), "a", problems, line)
    if a is not None and not 0 < a <= 6:
        problems.append(f"line {line}: a must be above 0 and at most 6, not {a}")
    b = thresholds = None
    if kind == Item.Kind.DICHOTOMOUS:
        b = _number(raw.get("b", ""), "b", problems, line)
        if b is not None and abs(b) > 6:
            problems.append(f"line {line}: b must be from -6 to 6, not {b}")
    elif kind == Item.Kind.GRADED:
        parts = [p for p in raw.get("thresholds", "").split("|") if p.strip()]
        values = [_number(p.strip(), "a threshold", problems, line) for p in parts]
        if len(values) != 4:
            problems.append(
                f"line {line}: a graded item needs 4 thresholds (scores 1-5), e.g. -2|-1|0|1"
            )
        elif None not in values:
            thresholds = [float(v) for v in values if v is not None]
            if any(x >= y for x, y in pairwise(thresholds)):
                problems.append(f"line {line}: thresholds must ascend")
    return a, b, thresholds


def parse_row(raw: dict[str, str], line: int, problems: list[str]) -> Row | None:
    raw = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
    before = len(problems)
    for name in REQUIRED:
        if not raw.get(name):
            problems.append(f"line {line}: {name} is empty")
    if len(problems) > before:
        return None
    language, kind = raw["language"].lower(), raw["kind"].lower()
    if language not in {"th", "en"}:
        problems.append(f"line {line}: language must be th or en, not {raw['language']!r}")
    if kind not in {Item.Kind.DICHOTOMOUS, Item.Kind.GRADED}:
        problems.append(f"line {line}: kind must be dichotomous or graded, not {raw['kind']!r}")
        return None
    options = []
    for letter in LETTERS:
        text = raw.get(f"option_{letter}", "")
        if not text:
            break
        options.append(text)
    extra = [f"option_{x}" for x in LETTERS[len(options) :] if raw.get(f"option_{x}")]
    if extra:
        problems.append(f"line {line}: {extra[0]} follows an empty option")
    key = scores = None
    if kind == Item.Kind.DICHOTOMOUS:
        letter = raw.get("key", "").lower()
        if len(letter) != 1 or letter not in LETTERS[: len(options)]:
            last = LETTERS[max(len(options) - 1, 0)].upper()
            problems.append(
                f"line {line}: key {raw.get('key', '')!r} is not one of the options A-{last}"
            )
        else:
            key = LETTERS.index(letter)
    else:
        try:
            scores = [int(s) for s in raw.get("scores", "").split("|") if s.strip()]
        except ValueError:
            problems.append(f"line {line}: scores must be whole numbers like 5|3|1|4|2")
    if key is not None or scores is not None:
        problems.extend(f"line {line}: {p}" for p in item_problems(kind, options, key, scores))
    a, b, thresholds = _parameters(raw, kind, line, problems)
    provisional_text = raw.get("provisional", "yes").lower() or "yes"
    if provisional_text not in {"yes", "no", "1", "0", "true", "false"}:
        problems.append(f"line {line}: provisional must be yes or no")
    provisional = provisional_text in {"yes", "1", "true"}
    source = raw.get("parameter_source", "") or (PROVISIONAL_SOURCE if provisional else "")
    if not provisional and not source:
        problems.append(
            f"line {line}: calibrated parameters (provisional=no) need a parameter_source"
        )
    if len(problems) > before:
        return None
    return Row(
        line=line,
        code=raw["code"],
        language=language,
        domain=raw["domain"].lower(),
        kind=kind,
        stem=raw["stem"],
        options=options,
        key=key,
        scores=scores,
        a=float(a or 0),
        b=b,
        thresholds=thresholds,
        provisional=provisional,
        source=source,
        reference=raw.get("reference", ""),
    )


def parse(text: str) -> list[Row]:
    """Every row of the CSV text, or ImportProblems naming every bad line."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportProblems([f"line 1: the header lacks the column(s) {', '.join(missing)}"])
    problems: list[str] = []
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            problems.append(f"line {line}: more cells than the header has columns")
            continue
        row = parse_row(raw, line, problems)
        if row is None:
            continue
        where = (row.code, row.language)
        if where in seen:
            problems.append(
                f"line {line}: {row.code} ({row.language}) is also on line {seen[where]}"
            )
            continue
        seen[where] = line
        rows.append(row)
    if not rows and not problems:
        problems.append("the file has no items")
    if problems:
        raise ImportProblems(problems)
    return rows


def read(path: Path) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ImportProblems([f"{path}: no such file"]) from exc
    except UnicodeDecodeError as exc:
        raise ImportProblems(
            [f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from exc
    return parse(text)


def _same_parameters(current: ItemParameters | None, row: Row) -> bool:
    if current is None:
        return False
    return (
        current.a == row.a
        and current.b == row.b
        and (current.thresholds or None) == row.thresholds
        and current.provisional == row.provisional
    )


def _model(row: Row) -> str:
    if row.kind == Item.Kind.GRADED:
        return ItemParameters.Model.GRM
    return ItemParameters.Model.RASCH if row.a == 1.0 else ItemParameters.Model.TWO_PL


def new_version(item: Item, row: Row) -> ItemParameters:
    last = item.parameter_versions.order_by("-version").values_list("version", flat=True).first()
    parameters = ItemParameters.objects.create(
        item=item,
        version=(last or 0) + 1,
        model=_model(row),
        a=row.a,
        b=row.b,
        thresholds=row.thresholds,
        provisional=row.provisional,
        source=row.source,
    )
    item.parameters = parameters
    item.save(update_fields=["parameters"])
    return parameters


@transaction.atomic
def apply(rows: list[Row], bank: ItemBank) -> Summary:
    """Write the rows into `bank` (all of them or, on a refusal, none)."""
    summary = Summary()
    existing = {
        (i.code, i.language): i for i in Item.objects.filter(bank=bank).select_related("parameters")
    }
    refused: list[str] = []
    for row in rows:
        item = existing.get((row.code, row.language))
        fields = {
            "domain": row.domain,
            "kind": row.kind,
            "stem": row.stem,
            "options": row.options,
            "key": row.key,
            "option_scores": row.scores,
            "reference": row.reference,
        }
        if item is None:
            item = Item.objects.create(bank=bank, code=row.code, language=row.language, **fields)
            new_version(item, row)
            summary.created += 1
            summary.new_parameters += 1
            continue
        meaning = ("kind", "options", "key", "option_scores")
        if any(getattr(item, f) != fields[f] for f in meaning) and item.responses.exists():
            refused.append(
                f"line {row.line}: {row.code} ({row.language}) has answers; changing its options, "
                "key or scores would change what they mean: give the new version a new code"
            )
            continue
        changed = [f for f, v in fields.items() if getattr(item, f) != v]
        if changed:
            for f in changed:
                setattr(item, f, fields[f])
            item.updated_at = timezone.now()
            item.save()
        current = item.parameters
        if _same_parameters(current, row):
            pass
        elif current is not None and not current.provisional and row.provisional:
            summary.kept_calibrated += 1
        else:
            new_version(item, row)
            summary.new_parameters += 1
            changed.append("parameters")
        if changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
    if refused:
        raise ImportProblems(refused)
    return summary


def get_bank(code: str, name_th: str = "", name_en: str = "") -> ItemBank:
    bank, _ = ItemBank.objects.get_or_create(
        code=code, defaults={"name_th": name_th or code, "name_en": name_en or code}
    )
    return bank
