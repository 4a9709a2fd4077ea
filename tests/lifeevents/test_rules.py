"""Eligibility rules: data evaluated without eval, with reasons, and unknown facts apart."""

from __future__ import annotations

import pytest

from pracha.lifeevents.rules import evaluate, facts_of_rule, rule_problems

INCOME = {"fact": "income", "op": "<=", "value": 100000}
THAI = {"fact": "thai", "op": "==", "value": True}


def test_a_condition_passes_fails_or_waits_for_its_fact() -> None:
    assert evaluate(INCOME, {"income": 90000}).ok is True
    failed = evaluate(INCOME, {"income": 120000})
    assert failed.ok is False and "120000" in failed.reason and "<= 100000" in failed.reason
    waiting = evaluate(INCOME, {})
    assert waiting.ok is None and waiting.missing == ("income",)


def test_all_fails_on_any_failure_even_with_facts_missing() -> None:
    rule = {"all": [INCOME, THAI]}
    assert evaluate(rule, {"income": 1, "thai": True}).ok is True
    assert evaluate(rule, {"income": 10**6}).ok is False
    assert evaluate(rule, {"income": 1}).missing == ("thai",)


def test_any_passes_on_one_and_fails_only_when_all_fail() -> None:
    rule = {"any": [INCOME, THAI]}
    assert evaluate(rule, {"income": 10**6, "thai": True}).ok is True
    assert evaluate(rule, {"income": 10**6, "thai": False}).ok is False
    assert evaluate(rule, {"income": 10**6}).ok is None


def test_ordering_a_text_with_a_number_is_a_failure_not_a_crash() -> None:
    assert evaluate(INCOME, {"income": "a lot"}).ok is False


def test_no_rule_always_passes() -> None:
    assert evaluate(None, {}).ok is True


@pytest.mark.parametrize(
    "rule, problem",
    [
        ({"fact": "x", "op": "~", "value": 1}, "is not one of"),
        ({"fact": "x", "op": "<", "value": "1"}, "compares numbers"),
        ({"fact": "x", "op": "in", "value": 1}, "needs a list"),
        ({"all": []}, "non-empty list"),
        ({"fact": "x", "op": "==", "value": 1, "extra": 2}, "exactly"),
        ({"expr": "__import__('os').system('true')"}, "exactly"),
        ("income <= 100000", "must be a table"),
    ],
)
def test_malformed_rules_are_named(rule: object, problem: str) -> None:
    problems = rule_problems(rule, "birth.toml: step 'x'.eligibility")
    assert problems and problem in problems[0]
    assert problems[0].startswith("birth.toml: step 'x'.eligibility")


def test_the_facts_a_rule_reads() -> None:
    assert facts_of_rule({"all": [INCOME, {"any": [THAI]}]}) == {"income", "thai"}
