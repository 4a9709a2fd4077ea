"""Life-event templates: TOML files under data/life-events/, checked before anything is stored.

Every problem names the file, the step and the field, so a typo in a template is found by
`pracha load-life-events` (and by the tests) rather than by a citizen. `agencies.toml` in the
same folder lists the agencies the steps name.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pracha.lifeevents.rules import rule_problems

AGENCIES_FILE = "agencies.toml"
STEP_KINDS = ("service", "record")  # record: the citizen records it (no agency inbox)
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
EVENT_FIELDS = {
    "code": str, "name_th": str, "name_en": str, "summary_th": str, "summary_en": str,
    "anchor_th": str, "anchor_en": str, "sources": list, "steps": list,
}  # fmt: skip
REQUIRED_EVENT = ("code", "name_th", "name_en", "steps")
STEP_FIELDS = {
    "code": str, "kind": str, "name_th": str, "name_en": str, "agency": str, "gives_th": str,
    "gives_en": str, "due_days": int, "due_months": int, "mandatory": bool, "online": bool,
    "prerequisites": list, "uses": list, "produces": list, "eligibility": dict,
    "documents": list, "notes_th": str, "notes_en": str, "sources": list, "unverified": list,
    "reminders": dict,
}  # fmt: skip
REQUIRED_STEP = ("code", "name_th", "name_en", "agency", "mandatory", "sources")


class TemplateError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Template:
    code: str
    definition: dict[str, Any]  # normalised: every step field present
    digest: str  # of the definition: a changed template is a new version
    path: Path


def _code_ok(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and set(value) <= CODE_CHARS


def _typed(table: dict[str, Any], fields: Mapping[str, type], where: str) -> list[str]:
    problems = []
    for name, value in table.items():
        if name not in fields:
            problems.append(f"{where}: unknown field {name!r}")
        elif not isinstance(value, fields[name]) or (
            fields[name] is int and isinstance(value, bool)
        ):
            problems.append(f"{where}.{name}: must be {fields[name].__name__}")
    return problems


def _step_problems(step: Any, index: int, where: str, source_ids: set[str]) -> list[str]:
    if not isinstance(step, dict):
        return [f"{where}: steps[{index}] must be a table"]
    at = f"{where}: step {step.get('code', index)!r}"
    problems = _typed(step, STEP_FIELDS, at)
    problems += [f"{at}.{name}: missing" for name in REQUIRED_STEP if name not in step]
    if "code" in step and not _code_ok(step["code"]):
        problems.append(f"{at}.code: lower-case letters, digits and '-' only")
    if step.get("kind", "service") not in STEP_KINDS:
        problems.append(f"{at}.kind: one of {', '.join(STEP_KINDS)}")
    if "due_days" in step and "due_months" in step:
        problems.append(f"{at}: give due_days or due_months, not both")
    for name in ("due_days", "due_months"):
        if isinstance(step.get(name), int) and step[name] < 0:
            problems.append(f"{at}.{name}: counts from the event, so it cannot be negative")
    for name in ("prerequisites", "uses", "produces", "sources", "unverified"):
        if isinstance(step.get(name), list) and not all(isinstance(v, str) for v in step[name]):
            problems.append(f"{at}.{name}: must be a list of strings")
    for unknown in set(step.get("sources", [])) - source_ids:
        problems.append(f"{at}.sources: {unknown!r} is not in the file's [[sources]]")
    if not step.get("sources") and not step.get("unverified"):
        problems.append(f"{at}: a step with no sources must say what is unverified")
    for i, doc in enumerate(step.get("documents", [])):
        if not (isinstance(doc, dict) and set(doc) == {"th", "en"}):
            problems.append(f"{at}.documents[{i}]: must be {{th = ..., en = ...}}")
    if "eligibility" in step:
        problems += rule_problems(step["eligibility"], f"{at}.eligibility")
    reminders = step.get("reminders", {})
    if isinstance(reminders, dict):
        problems += _typed(reminders, {"before": list, "overdue": list}, f"{at}.reminders")
        for name in ("before", "overdue"):
            days = reminders.get(name, [])
            if isinstance(days, list) and not all(isinstance(d, int) and d >= 0 for d in days):
                problems.append(f"{at}.reminders.{name}: whole days, 0 or more")
    return problems


def check(data: dict[str, Any], where: str) -> list[str]:
    """Every problem of one parsed template ([] when it is sound)."""
    problems = _typed(data, EVENT_FIELDS, where)
    problems += [f"{where}.{name}: missing" for name in REQUIRED_EVENT if name not in data]
    if "code" in data and not _code_ok(data["code"]):
        problems.append(f"{where}.code: lower-case letters, digits and '-' only")
    sources = data.get("sources", [])
    source_ids = {s.get("id") for s in sources if isinstance(s, dict)}
    for i, source in enumerate(sources):
        if not (isinstance(source, dict) and {"id", "title", "where"} <= set(source)):
            problems.append(f"{where}.sources[{i}]: needs id, title and where")
    steps = data.get("steps", [])
    if not isinstance(steps, list) or not steps:
        return [*problems, f"{where}.steps: at least one step"]
    codes: list[str] = [s.get("code", "") for s in steps if isinstance(s, dict)]
    for i, step in enumerate(steps):
        problems += _step_problems(step, i, where, {str(s) for s in source_ids})
    for code in {c for c in codes if codes.count(c) > 1}:
        problems.append(f"{where}: step {code!r} appears twice")
    for step in steps:
        if isinstance(step, dict):
            for needed in step.get("prerequisites", []):
                if needed not in codes:
                    problems.append(
                        f"{where}: step {step.get('code')!r}.prerequisites: no step {needed!r}"
                    )
    if not problems and (cycle := _cycle(steps)):
        problems.append(f"{where}: the prerequisites go round in a circle: {' -> '.join(cycle)}")
    return problems


def _cycle(steps: list[dict[str, Any]]) -> list[str]:
    needs = {s["code"]: list(s.get("prerequisites", [])) for s in steps}
    state: dict[str, int] = {}

    def visit(code: str, path: list[str]) -> list[str]:
        if state.get(code) == 1:
            return [*path[path.index(code) :], code]
        if state.get(code) == 2:
            return []
        state[code] = 1
        for needed in needs[code]:
            if found := visit(needed, [*path, code]):
                return found
        state[code] = 2
        return []

    for code in needs:
        if found := visit(code, []):
            return found
    return []


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    steps = []
    for step in data["steps"]:
        steps.append(
            {
                "kind": "service", "gives_th": "", "gives_en": "", "due_days": None,
                "due_months": None, "online": False, "prerequisites": [], "uses": [],
                "produces": [], "eligibility": None, "documents": [], "notes_th": "",
                "notes_en": "", "unverified": [], "reminders": {"before": [], "overdue": []},
                **step,
            }
        )  # fmt: skip
    return {
        "summary_th": "", "summary_en": "", "anchor_th": "", "anchor_en": "", "sources": [],
        **data, "steps": steps,
    }  # fmt: skip


def read_template(path: Path) -> Template:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError([f"{path.name}: cannot be read: {exc}"]) from exc
    if problems := check(data, path.name):
        raise TemplateError(problems)
    definition = normalise(data)
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    return Template(data["code"], definition, hashlib.sha256(text.encode()).hexdigest(), path)


def read_folder(folder: Path) -> list[Template]:
    """Every template in `folder`, all checked: one TemplateError listing every problem."""
    templates: list[Template] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        if path.name == AGENCIES_FILE:
            continue
        try:
            templates.append(read_template(path))
        except TemplateError as exc:
            problems += exc.problems
    codes = [t.code for t in templates]
    problems += [
        f"{folder.name}: two templates have code {c!r}" for c in set(codes) if codes.count(c) > 1
    ]
    if problems:
        raise TemplateError(problems)
    return templates


def read_agencies(folder: Path) -> list[dict[str, str]]:
    path = folder / AGENCIES_FILE
    if not path.exists():
        return []
    try:
        rows = tomllib.loads(path.read_text(encoding="utf-8")).get("agencies", [])
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError([f"{AGENCIES_FILE}: cannot be read: {exc}"]) from exc
    problems = [
        f"{AGENCIES_FILE}: agencies[{i}] needs code, name_th, name_en and kind"
        for i, row in enumerate(rows)
        if not {"code", "name_th", "name_en", "kind"} <= set(row)
    ]
    if problems:
        raise TemplateError(problems)
    return [dict(row) for row in rows]
