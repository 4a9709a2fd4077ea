"""Fixtures for the officers' tests: the shipped bank, and small banks built in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pracha.competency.bank.seed import seed
from pracha.competency.models import Assessment, Item, ItemBank, ItemParameters, Subtest


@pytest.fixture
def shipped(db: None) -> None:
    """The shipped bank and tests (`pracha cat seed`)."""
    seed()


@pytest.fixture
def make_item(db: None) -> Callable[..., Item]:
    """An item with version-1 parameters; `key` 0 unless graded."""

    def make(
        bank: ItemBank,
        code: str,
        domain: str = "workflow",
        language: str = "th",
        b: float = 0.0,
        a: float = 1.7,
        graded: bool = False,
        provisional: bool = True,
    ) -> Item:
        if graded:
            item = Item.objects.create(
                bank=bank,
                code=code,
                language=language,
                domain=domain,
                kind="graded",
                stem=f"situation {code}",
                options=[f"{code} o{i}" for i in range(5)],
                option_scores=[5, 4, 3, 2, 1],
            )
            parameters = ItemParameters.objects.create(
                item=item,
                version=1,
                model="grm",
                a=1.0,
                thresholds=[-2.5, -1.5, -0.5, 0.5],
                provisional=provisional,
                source="test",
            )
        else:
            item = Item.objects.create(
                bank=bank,
                code=code,
                language=language,
                domain=domain,
                kind="dichotomous",
                stem=f"question {code}",
                options=[f"{code} right", f"{code} w1", f"{code} w2", f"{code} w3"],
                key=0,
            )
            parameters = ItemParameters.objects.create(
                item=item,
                version=1,
                model="2pl",
                a=a,
                b=b,
                provisional=provisional,
                source="test",
            )
        item.parameters = parameters
        item.save()
        return item

    return make


@pytest.fixture
def small_fixed(db: None, make_item: Callable[..., Item]) -> Assessment:
    """A fixed test: 3 of 6 workflow items (pass 10 of 15) and 2 of 3 graded (pass 7)."""
    bank = ItemBank.objects.create(code="small", name_th="เล็ก", name_en="small")
    for i in range(6):
        make_item(bank, f"w{i}", b=i - 2.5)
    for i in range(3):
        make_item(bank, f"c{i}", domain="character", graded=True)
    test = Assessment.objects.create(
        code="small-fixed",
        name_th="ทดสอบ",
        name_en="Small",
        mode="fixed",
        bank=bank,
        time_limit_minutes=10,
    )
    Subtest.objects.create(
        assessment=test,
        position=0,
        code="rules",
        name_th="กฎ",
        name_en="Rules",
        domains="workflow",
        items=3,
        passing=10,
    )
    Subtest.objects.create(
        assessment=test,
        position=1,
        code="conduct",
        name_th="วางตัว",
        name_en="Conduct",
        domains="character",
        kind="graded",
        items=2,
        passing=7,
    )
    return test


def right_choice(body: dict[str, Any]) -> int:
    """The shown position of the right option of a test-made item ("<code> right")."""
    return next(i for i, text in enumerate(body["item"]["options"]) if text.endswith(" right"))


def first_choice(body: dict[str, Any]) -> int:
    return 0
