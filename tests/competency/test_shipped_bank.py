"""The bank Pracha ships: at least 150 questions in Thai and English across the domains,
every parameter marked provisional, and tests that can be drawn from it."""

from __future__ import annotations

from collections import Counter

import numpy as np
from django.core.management import call_command

from pracha.competency.bank.importer import read
from pracha.competency.bank.seed import ITEMS
from pracha.competency.models import Assessment, Item
from pracha.competency.selection.forms import draw_form
from pracha.competency.services.pools import adaptive_pool
from pracha.competency.services.sessions import fixed_parts


def test_at_least_150_questions_each_in_thai_and_english() -> None:
    rows = read(ITEMS)
    by_code: dict[str, dict[str, object]] = {}
    for row in rows:
        by_code.setdefault(row.code, {})[row.language] = row
    assert len(by_code) >= 150
    assert all(set(versions) == {"th", "en"} for versions in by_code.values())
    for versions in by_code.values():
        th, en = versions["th"], versions["en"]
        # The translations are the same question: same domain, kind, key or scores, parameters.
        assert (th.domain, th.kind, th.key, th.scores, th.a, th.b, th.thresholds) == (  # type: ignore[attr-defined]
            en.domain,
            en.kind,
            en.key,
            en.scores,
            en.a,
            en.b,
            en.thresholds,  # type: ignore[attr-defined]
        )
        assert th.stem != en.stem  # type: ignore[attr-defined]
    domains = Counter(r.domain for r in rows if r.language == "th")
    assert set(domains) == {"workflow", "service", "pdpa", "disaster", "character"}
    assert min(domains.values()) >= 25
    assert all(r.provisional and "provisional" in r.source for r in rows)
    keys = Counter(r.key for r in rows if r.kind == "dichotomous")
    assert len(keys) == 4 and max(keys.values()) < 0.4 * sum(keys.values())


def test_graded_items_score_every_option_one_to_five() -> None:
    graded = [r for r in read(ITEMS) if r.kind == "graded"]
    assert len(graded) >= 50
    assert all(sorted(r.scores or []) == [1, 2, 3, 4, 5] for r in graded)


def test_seeding_twice_changes_nothing(db: None, capsys: object) -> None:
    call_command("cat", "seed")
    count = Item.objects.count()
    call_command("cat", "seed")
    assert Item.objects.count() == count >= 300
    assert set(Assessment.objects.values_list("code", flat=True)) == {
        "practice",
        "quick",
        "adaptive",
    }
    assert all(i.parameters.version == 1 for i in Item.objects.select_related("parameters"))


def test_every_shipped_test_can_be_drawn_in_both_languages(shipped: None) -> None:
    for assessment in Assessment.objects.all():
        for language in ("th", "en"):
            if assessment.adaptive:
                pool, _parts = adaptive_pool(assessment, language)
                assert len(pool) >= 100
            else:
                form = draw_form(fixed_parts(assessment, language), np.random.default_rng(0))
                assert len(form) == sum(s.items for s in assessment.subtests.all())
