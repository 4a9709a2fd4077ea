"""Reference tables read through a per-process cache (pracha.reference): kept for a few
seconds, dropped at once when this process saves one, never keeping a miss; a change made
elsewhere (another process, or an update that sends no signal) shows once the seconds pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pracha.agencies.models import Agency, RoutingRule
from pracha.agencies.services import agency_by_code
from pracha.intake.triage import current_rules
from pracha.reference import Reference

pytestmark = pytest.mark.django_db


def test_a_save_in_this_process_is_seen_at_once(make_agency: Callable[..., Agency]) -> None:
    agency = make_agency("khet-x", "เขตทดสอบ")
    assert agency_by_code("khet-x") == agency
    agency.name_th = "เขตทดสอบใหม่"
    agency.save()
    found = agency_by_code("khet-x")
    assert found is not None and found.name_th == "เขตทดสอบใหม่"
    agency.delete()
    assert agency_by_code("khet-x") is None


def test_a_miss_is_not_kept(make_agency: Callable[..., Agency]) -> None:
    assert agency_by_code("khet-new") is None
    Agency.objects.bulk_create([Agency(code="khet-new", name_th="เขตใหม่")])  # no signal
    assert agency_by_code("khet-new") is not None


def test_an_unsignalled_change_shows_once_the_seconds_pass(
    bma: Agency, pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    RoutingRule.objects.all().delete()
    assert current_rules() == []
    RoutingRule.objects.bulk_create(
        [RoutingRule(category="road", target="agency", agency=bma, reason="ถนน")]
    )  # as another process would: no signal here
    assert current_rules() == []  # still the kept answer
    clock = [1_000_000.0]
    monkeypatch.setattr("pracha.reference.time.monotonic", lambda: clock[0])
    assert [r.category for r in current_rules()] == ["road"]  # first read on the new clock
    pracha(reference_seconds=0)  # 0: read every time
    RoutingRule.objects.filter(category="road").update(is_active=False)
    assert current_rules() == []


def test_a_reference_forgets_after_its_seconds(
    pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []

    def load(key: str) -> Any:
        loads.append(key)
        return f"value of {key}"

    pracha(reference_seconds=5)
    clock = [100.0]
    monkeypatch.setattr("pracha.reference.time.monotonic", lambda: clock[0])
    kept: Reference[str, Any] = Reference(load, models=())
    assert kept.get("a") == kept.get("a") == "value of a"
    clock[0] += 4.9
    kept.get("a")
    assert loads == ["a"]
    clock[0] += 0.2
    kept.get("a")
    assert loads == ["a", "a"]


def test_held_keys_are_read_again_together(
    pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With load_many, the first expired key refreshes every held key in one read; a key
    whose row is gone is dropped and answered None, and then read on its own again."""
    rows = {"a": "A", "b": "B", "c": "C"}
    single: list[str] = []
    batches: list[list[str]] = []

    def load(key: str) -> Any:
        single.append(key)
        return rows.get(key)

    def load_many(keys: Any) -> dict[str, Any]:
        batches.append(sorted(keys))
        return {k: rows[k] for k in keys if k in rows}

    pracha(reference_seconds=5)
    clock = [100.0]
    monkeypatch.setattr("pracha.reference.time.monotonic", lambda: clock[0])
    kept: Reference[str, Any] = Reference(load, load_many=load_many, models=())
    assert [kept.get(k) for k in ("a", "b", "c", "x")] == ["A", "B", "C", None]
    assert single == ["a", "b", "c", "x"] and batches == []
    clock[0] += 6
    rows["b"] = "B2"
    del rows["c"]
    assert kept.get("a") == "A"
    assert batches == [["a", "b", "c"]]  # one read for all held (the miss "x" is not held)
    assert kept.get("b") == "B2"  # refreshed with the others: no read of its own
    assert kept.get("c") is None
    assert single == ["a", "b", "c", "x", "c"]  # gone: no longer held, so read alone
    assert batches == [["a", "b", "c"]]


def test_agencies_are_refreshed_together(
    make_agency: Callable[..., Agency],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    first, second = make_agency("khet-a", "เขตเอ"), make_agency("khet-b", "เขตบี")
    clock = [1_000.0]
    monkeypatch.setattr("pracha.reference.time.monotonic", lambda: clock[0])
    assert agency_by_code("khet-a") == first and agency_by_code("khet-b") == second
    Agency.objects.filter(pk=second.pk).update(name_en="Khet B")  # as another process would
    clock[0] += 60
    with django_assert_num_queries(1):
        assert agency_by_code("khet-a") == first
        refreshed = agency_by_code("khet-b")
    assert refreshed is not None and refreshed.name_en == "Khet B"
