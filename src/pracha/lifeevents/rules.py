"""Eligibility rules over facts, as data: never eval.

A rule is a condition `{"fact": "household_income_per_person_year", "op": "<=", "value":
100000}`, or `{"all": [rules...]}` / `{"any": [rules...]}`. Evaluating gives True, False or
None (a fact it needs is not known yet), with the reason in words.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda fact, allowed: fact in allowed,
}
ORDERED = {"<", "<=", ">", ">="}


@dataclass(frozen=True)
class Verdict:
    ok: bool | None  # None: a fact is missing
    reason: str = ""
    missing: tuple[str, ...] = ()


def rule_problems(rule: Any, where: str) -> list[str]:
    """What is wrong with a rule's shape (empty when it is well formed)."""
    if not isinstance(rule, Mapping):
        return [f"{where}: a rule must be a table, not {type(rule).__name__}"]
    keys = set(rule)
    if keys in ({"all"}, {"any"}):
        (name,) = keys
        parts = rule[name]
        if not isinstance(parts, list) or not parts:
            return [f"{where}.{name}: must be a non-empty list of rules"]
        return [
            p for i, part in enumerate(parts) for p in rule_problems(part, f"{where}.{name}[{i}]")
        ]
    if keys != {"fact", "op", "value"}:
        return [f"{where}: a rule has either 'all', 'any', or exactly 'fact', 'op', 'value'"]
    problems = []
    if not isinstance(rule["fact"], str) or not rule["fact"]:
        problems.append(f"{where}.fact: must be a fact name")
    if rule["op"] not in OPS:
        problems.append(f"{where}.op: {rule['op']!r} is not one of {', '.join(OPS)}")
    if rule["op"] == "in" and not isinstance(rule["value"], list):
        problems.append(f"{where}.value: 'in' needs a list")
    if rule["op"] in ORDERED and not _number(rule["value"]):
        problems.append(f"{where}.value: {rule['op']!r} compares numbers")
    return problems


def facts_of_rule(rule: Mapping[str, Any] | None) -> set[str]:
    if not rule:
        return set()
    if "fact" in rule:
        return {str(rule["fact"])}
    return {name for part in rule.get("all", rule.get("any", [])) for name in facts_of_rule(part)}


def evaluate(rule: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> Verdict:
    if not rule:
        return Verdict(True)
    if "all" in rule or "any" in rule:
        return _combine(rule, facts)
    name, op, expected = str(rule["fact"]), str(rule["op"]), rule["value"]
    if name not in facts or facts[name] is None:
        return Verdict(None, f"{name} is not known yet", (name,))
    actual = facts[name]
    if op in ORDERED and not (_number(actual) and _number(expected)):
        return Verdict(False, f"{name} must be a number to compare with {expected}")
    ok = OPS[op](actual, expected)
    return Verdict(ok, "" if ok else f"{name} is {actual!r}; the rule needs {op} {expected!r}")


def _combine(rule: Mapping[str, Any], facts: Mapping[str, Any]) -> Verdict:
    every = "all" in rule
    verdicts = [evaluate(part, facts) for part in rule["all" if every else "any"]]
    missing = tuple(m for v in verdicts for m in v.missing)
    failed = [v for v in verdicts if v.ok is False]
    if every:
        if failed:
            return Verdict(False, "; ".join(v.reason for v in failed))
        return (
            Verdict(None, f"{', '.join(missing)} not known yet", missing)
            if missing
            else Verdict(True)
        )
    if any(v.ok for v in verdicts):
        return Verdict(True)
    if missing:
        return Verdict(None, f"{', '.join(missing)} not known yet", missing)
    return Verdict(False, " and ".join(v.reason for v in failed))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
